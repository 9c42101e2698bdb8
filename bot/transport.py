"""PTB's request extension point implemented on aiohttp.

PTB's default transport (``HTTPXRequest``) is CPU-bound at roughly 500 requests/s on a
2-core machine; an aiohttp client does an order of magnitude more against the same server.
Plug this in through ``ApplicationBuilder().request(AiohttpRequest())`` and
``.get_updates_request(AiohttpRequest())`` or ``telegram.Bot(..., request=...)``.
"""

from __future__ import annotations

import logging
import time

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.redaction import redact

__all__ = ["AiohttpRequest", "ApiContact", "ConnectTimedOut", "RequestNotSent", "ResponseLost"]

_LOGGER = logging.getLogger(__name__)

_JSON_HEADERS = {"Content-Type": "application/json"}


class RequestNotSent(NetworkError):
    """The request certainly never reached the server, so sending it again cannot duplicate it.

    Raised for failures that happen before a single byte of the request is written: connection
    refused, DNS failure, TLS handshake failure, a connect timeout, or a pool timeout (every
    connection busy). The message names the aiohttp error, with the bot token redacted; the
    aiohttp error itself is not chained (its message may quote the URL, token included).
    """

    __slots__ = ()


class ResponseLost(NetworkError):
    """The connection broke after the request was written (reset, server disconnected).

    Like a read timeout this is ambiguous: Telegram may have accepted the request.
    """

    __slots__ = ()


class ConnectTimedOut(RequestNotSent, TimedOut):
    """A connect or pool timeout: both a :class:`RequestNotSent` (safe to retry) and a
    :class:`telegram.error.TimedOut` (so code written for PTB's transport still sees a timeout).
    """

    __slots__ = ()


class ApiContact:
    """When the Bot API last answered, and why the latest request failed: for /healthz.

    Any answer below 500 counts (a 400 or a 429 is Telegram answering); a 5xx or no answer at
    all is a failure. One instance is shared by all the requests of a process.
    """

    __slots__ = ("last_answer", "last_failure")

    def __init__(self) -> None:
        self.last_answer: float | None = None  # time.monotonic()
        self.last_failure: str | None = None

    def answered(self, status: int) -> None:
        if status < 500:
            self.last_answer = time.monotonic()
        else:
            self.failed(f"HTTP {status}")

    def failed(self, reason: str) -> None:
        self.last_failure = reason

    def silence(self) -> float | None:
        """Seconds since the last answer; None before the first one."""
        return None if self.last_answer is None else time.monotonic() - self.last_answer


class AiohttpRequest(BaseRequest):
    """Implementation of :class:`telegram.request.BaseRequest` on one reused
    :class:`aiohttp.ClientSession`.

    Mirrors :class:`telegram.request.HTTPXRequest`: same constructor timeouts and defaults,
    ``write_timeout`` replaced by ``media_write_timeout`` for uploads, the body sent as
    ``multipart/form-data`` when the request carries files. Without files the parameters go as
    one ``application/json`` body, ``json.dumps`` of :attr:`RequestData.json_parameters`
    (Telegram's server reads a JSON string value exactly as the same form field would be read,
    so this is equivalent to HTTPX's urlencoded form, and cheaper to build).

    The session is created by :meth:`initialize` (or on first use), inside the running event
    loop; :meth:`shutdown` closes it; ``initialize`` after ``shutdown`` opens a new one.

    Errors, and what a caller that must never send a message twice may do with them:

    * :class:`RequestNotSent` (a :class:`telegram.error.NetworkError`): the request never
      left this process, e.g. connection refused, DNS failure, TLS handshake failure.
      :class:`ConnectTimedOut`, raised for a connect timeout or a pool timeout, is both a
      :class:`RequestNotSent` and a :class:`telegram.error.TimedOut`. **Safe to retry.**
    * :class:`telegram.error.TimedOut` that is *not* a :class:`RequestNotSent`: the request
      was written and no answer came in time (read timeout, or the overall upload deadline).
      **Ambiguous**: Telegram may have accepted it.
    * :class:`ResponseLost` (server disconnected, connection reset, payload error):
      ambiguous too. A plain ``NetworkError`` comes from PTB itself for an HTTP 5xx answer:
      Telegram refused the request, so it is safe to retry.

    aiohttp retries a request on a broken keep-alive connection only for idempotent methods,
    never for ``POST``, which every Bot API call uses, so the transport adds no duplicates.

    Timeouts, compared with HTTPX: aiohttp's ``connect`` limit covers waiting for a pooled
    connection *and* opening a new one, so it is set to ``pool_timeout + connect_timeout``
    (unbounded if either is ``None``), with ``connect_timeout`` as the socket connect limit.
    ``read_timeout`` is aiohttp's ``sock_read``, the longest silence between reads, counted from
    the moment the request body has been written. aiohttp has no per-write timeout: a JSON body
    is small enough to land in the socket buffer at once, and for uploads the whole request is
    bounded by ``pool + connect + write + read`` (``write`` defaulting to
    ``media_write_timeout``); that deadline raises a plain, ambiguous ``TimedOut``.

    Args:
        connection_pool_size: Most connections open at once (aiohttp's connector ``limit``).
        read_timeout: Default read timeout in seconds; ``None`` waits forever.
        write_timeout: Default write timeout for requests without files (see above).
        connect_timeout: Default limit for opening a TCP (and TLS) connection.
        pool_timeout: Default limit for waiting for a free connection in the pool.
        media_write_timeout: Default write timeout for requests that upload files.
        proxy: Optional proxy URL passed to the session, e.g. ``"http://127.0.0.1:3128"``.
        contact: Optional :class:`ApiContact` told about every answer and failure.
    """

    __slots__ = (
        "_connect_timeout",
        "_contact",
        "_media_write_timeout",
        "_pool_size",
        "_pool_timeout",
        "_proxy",
        "_read_timeout",
        "_session",
        "_timeout",
        "_upload_timeout",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = 64,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
        proxy: str | None = None,
        contact: ApiContact | None = None,
    ) -> None:
        if connection_pool_size < 1:
            raise ValueError("connection_pool_size must be at least 1")
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._proxy = proxy
        self._contact = contact
        self._session: aiohttp.ClientSession | None = None
        # The two timeouts nearly every request uses, built once.
        self._timeout = _client_timeout(
            read_timeout, write_timeout, connect_timeout, pool_timeout, upload=False
        )
        self._upload_timeout = _client_timeout(
            read_timeout, media_write_timeout, connect_timeout, pool_timeout, upload=True
        )

    @property
    def read_timeout(self) -> float | None:
        """See :attr:`telegram.request.BaseRequest.read_timeout`."""
        return self._read_timeout

    @property
    def connection_pool_size(self) -> int:
        return self._pool_size

    async def initialize(self) -> None:
        """Open the HTTP session; a no-op when one is open already."""
        if self._session is None or self._session.closed:
            self._session = self._build_session()

    def _build_session(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=0)
        return aiohttp.ClientSession(
            connector=connector,
            headers={"User-Agent": self.USER_AGENT},
            timeout=self._timeout,
            cookie_jar=aiohttp.DummyCookieJar(),
            proxy=self._proxy,
        )

    async def shutdown(self) -> None:
        """Close the HTTP session and its connections."""
        session = self._session
        if session is None or session.closed:
            _LOGGER.debug("This AiohttpRequest is already shut down")
            return
        await session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """See :meth:`telegram.request.BaseRequest.do_request`."""
        session = self._session
        if session is None:  # used without initialize(), as HTTPXRequest allows
            session = self._session = self._build_session()
        elif session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")

        data: bytes | aiohttp.FormData | None = None
        headers: dict[str, str] | None = None
        upload = False
        if request_data is not None:
            if request_data.contains_files:
                upload = True
                data = _form_data(request_data)
            else:
                data = request_data.json_payload
                headers = _JSON_HEADERS

        if (
            isinstance(read_timeout, DefaultValue)
            and isinstance(write_timeout, DefaultValue)
            and isinstance(connect_timeout, DefaultValue)
            and isinstance(pool_timeout, DefaultValue)
        ):
            timeout = self._upload_timeout if upload else self._timeout
        else:
            timeout = _client_timeout(
                self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout,
                (
                    (self._media_write_timeout if upload else self._write_timeout)
                    if isinstance(write_timeout, DefaultValue)
                    else write_timeout
                ),
                (
                    self._connect_timeout
                    if isinstance(connect_timeout, DefaultValue)
                    else connect_timeout
                ),
                self._pool_timeout if isinstance(pool_timeout, DefaultValue) else pool_timeout,
                upload=upload,
            )

        failure: NetworkError
        try:
            async with session.request(
                method, url, data=data, headers=headers, timeout=timeout
            ) as response:
                answer = response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as err:
            failure = ConnectTimedOut(
                "Connect or pool timeout: no connection to Telegram within the limit, the "
                f"request was *not* sent ({_describe(err)})"
            )
        except aiohttp.ClientConnectorError as err:
            failure = RequestNotSent(f"{_describe(err)}; the request was *not* sent")
        except TimeoutError:  # aiohttp.SocketTimeoutError, or the upload deadline
            failure = TimedOut()
        except aiohttp.ClientError as err:
            # The class name helps where the message is empty (ServerDisconnectedError).
            failure = ResponseLost(_describe(err))
        else:
            if self._contact is not None:
                self._contact.answered(answer[0])
            return answer
        if self._contact is not None:
            self._contact.failed(str(failure))
        # Raised outside the handlers, so the aiohttp error is not chained to it: its message
        # may hold the URL, and the URL holds the token.
        raise failure


def _describe(error: aiohttp.ClientError) -> str:
    """The error's class and message, without the token."""
    return redact(f"aiohttp.{error.__class__.__name__}: {error}")


def _client_timeout(
    read: float | None,
    write: float | None,
    connect: float | None,
    pool: float | None,
    *,
    upload: bool,
) -> aiohttp.ClientTimeout:
    acquire = None if connect is None or pool is None else connect + pool
    total = None
    if upload and acquire is not None and write is not None and read is not None:
        total = acquire + write + read
    return aiohttp.ClientTimeout(total=total, connect=acquire, sock_connect=connect, sock_read=read)


def _form_data(request_data: RequestData) -> aiohttp.FormData:
    """The ``multipart/form-data`` body HTTPX builds from ``data=`` plus ``files=``."""
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form

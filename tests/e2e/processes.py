"""Real `limber` processes for process-level tests: started with an environment, their
standard error kept in a file, stopped with a signal."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# Shaped like a real token (bot id, colon, 35 characters), so shape-based redaction is tested
# as well as redaction of the configured value.
TOKEN = "7012345678:AAHk4v_Q9rZ2mX8pL3nB6tY1wE5uJ0cKd7s"


@dataclass
class Limber:
    process: asyncio.subprocess.Process
    stderr_path: Path

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text()

    def terminate(self) -> None:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)

    # Generous: a process starting on a loaded 2-core machine can take a while; the deadline only
    # decides how long a failing test hangs. Tests of a bounded shutdown pass their own.
    async def wait(self, seconds: float = 60) -> int:
        return await asyncio.wait_for(self.process.wait(), seconds)

    async def wait_for_line(self, text: str, seconds: float = 60) -> None:
        """Until standard error holds ``text`` (the process may still be starting)."""
        for _ in range(int(seconds * 20)):
            if text in self.stderr:
                return
            if self.process.returncode is not None:
                break
            await asyncio.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared:\n{self.stderr}")


async def start_limber(command: str, workdir: Path, name: str, **env: str | int | float) -> Limber:
    """``python -m bot <command>`` in ``workdir``, with ``env`` over this process's
    environment (LIMBER_* and TELEGRAM_* from outside are dropped, so tests are repeatable)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LIMBER_", "TELEGRAM_"))
    }
    environment.update({key: str(value) for key, value in env.items()})
    stderr_path = workdir / f"{name}.stderr"
    with stderr_path.open("w") as stderr:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            *command.split(),
            env=environment,
            cwd=workdir,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=stderr,
            stderr=stderr,
        )
    return Limber(process, stderr_path)


async def stop_all(processes: list[Limber]) -> None:
    """SIGTERM, then SIGKILL for any still running after 15 s (a test failing midway)."""
    for limber in processes:
        limber.terminate()
    for limber in processes:
        try:
            await limber.wait()
        except TimeoutError:
            limber.process.kill()
            await limber.process.wait()


def _fill_backlog(port: int) -> list[socket.socket]:
    """Connections that fill the accept queue of a listener that no longer accepts: after
    them, a connect to ``port`` gets no answer and times out."""
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    time.sleep(0.05)  # the handshakes (loopback: at once) fill the queue
    return fillers


@contextmanager
def unanswering_port() -> Iterator[int]:
    """A port on 127.0.0.1 where connecting times out, as with a host that is down: it
    listens with a full backlog and never accepts, so new connections get no answer."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    fillers = _fill_backlog(port)
    try:
        yield port
    finally:
        for sock in (*fillers, server):
            sock.close()


class Relay:
    """A TCP relay to ``127.0.0.1:target`` that can go dark: then it drops its connections and
    new ones time out (as when the network to Telegram fails), on the same address."""

    def __init__(self, target: int) -> None:
        self._target = target
        self._server = socket.socket()
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(0)
        self._server.setblocking(False)
        self.port: int = self._server.getsockname()[1]
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: list[asyncio.StreamWriter] = []
        self._fillers: list[socket.socket] = []
        self._accepting = asyncio.get_running_loop().create_task(self._accept())

    async def _accept(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            client, _ = await loop.sock_accept(self._server)
            task = loop.create_task(self._relay(client))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _relay(self, client: socket.socket) -> None:
        client_reader, client_writer = await asyncio.open_connection(sock=client)
        reader, writer = await asyncio.open_connection("127.0.0.1", self._target)
        self._writers += [client_writer, writer]
        await asyncio.gather(_pipe(client_reader, writer), _pipe(reader, client_writer))

    async def go_dark(self) -> None:
        self._accepting.cancel()
        for task in list(self._tasks):
            task.cancel()
        for writer in self._writers:
            writer.close()
        self._fillers = _fill_backlog(self.port)

    def close(self) -> None:
        self._accepting.cancel()
        for task in list(self._tasks):
            task.cancel()
        for sock in (*self._fillers, self._server):
            sock.close()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()

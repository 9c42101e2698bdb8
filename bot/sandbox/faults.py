"""Scripted failures and slow responses, for testing a production-grade sender."""

from __future__ import annotations

from dataclasses import dataclass

from bot.sandbox.errors import ApiError, default_description

ANY_METHOD = "*"


@dataclass(slots=True)
class Fault:
    method: str  # lower-case method name or ANY_METHOD
    status: int
    description: str
    retry_after: int | None
    remaining: int
    chat_id: int | None

    def error(self) -> ApiError:
        return ApiError(self.status, self.description, retry_after=self.retry_after)


@dataclass(slots=True)
class Delay:
    method: str
    seconds: float
    remaining: int
    chat_id: int | None
    after_processing: bool


def _matches(method: str, chat_id: int | None, want_method: str, want_chat: int | None) -> bool:
    return want_method in (method, ANY_METHOD) and (want_chat is None or want_chat == chat_id)


class FaultPlan:
    """Faults and delays consumed in the order they were scheduled."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._delays: list[Delay] = []

    def __bool__(self) -> bool:
        return bool(self._faults or self._delays)

    def add_fault(
        self,
        method: str,
        *,
        status: int,
        retry_after: int | None,
        description: str | None,
        times: int,
        chat_id: int | None,
    ) -> None:
        if status == 429 and retry_after is None:
            retry_after = 1  # Telegram never sends a 429 without retry_after
        self._faults.append(
            Fault(
                method=method.lower(),
                status=status,
                description=description or default_description(status, retry_after),
                retry_after=retry_after,
                remaining=times,
                chat_id=chat_id,
            )
        )

    def add_delay(
        self,
        method: str,
        seconds: float,
        *,
        times: int,
        chat_id: int | None,
        after_processing: bool,
    ) -> None:
        self._delays.append(Delay(method.lower(), seconds, times, chat_id, after_processing))

    def take_fault(self, method: str, chat_id: int | None) -> Fault | None:
        for fault in self._faults:
            if _matches(method, chat_id, fault.method, fault.chat_id):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    def take_delay(self, method: str, chat_id: int | None) -> Delay | None:
        for delay in self._delays:
            if _matches(method, chat_id, delay.method, delay.chat_id):
                delay.remaining -= 1
                if delay.remaining <= 0:
                    self._delays.remove(delay)
                return delay
        return None

    def clear(self) -> None:
        self._faults.clear()
        self._delays.clear()

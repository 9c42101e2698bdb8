"""One person's updates are handled in the order they came; different people's at once."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update, User

from bot.observability import InstrumentedUpdateProcessor


def update_from(update_id: int, user_id: int) -> Update:
    user = User(user_id, "Someone", is_bot=False)
    chat = Chat(user_id, Chat.PRIVATE)
    message = Message(update_id, None, chat, from_user=user, text="hi")  # type: ignore[arg-type]
    return Update(update_id, message=message)


async def test_one_persons_updates_in_order_and_other_people_alongside() -> None:
    processor = InstrumentedUpdateProcessor(16)
    events: list[str] = []
    release_first = asyncio.Event()

    async def handle(name: str, wait: asyncio.Event | None = None) -> None:
        events.append(f"{name} starts")
        if wait is not None:
            await wait.wait()
        events.append(f"{name} ends")

    first = asyncio.create_task(
        processor.do_process_update(update_from(1, 7), handle("first of 7", release_first))
    )
    await asyncio.sleep(0)
    second = asyncio.create_task(
        processor.do_process_update(update_from(2, 7), handle("second of 7"))
    )
    other = asyncio.create_task(processor.do_process_update(update_from(3, 8), handle("8")))
    await other  # someone else is not held up by person 7's slow update
    assert events == ["first of 7 starts", "8 starts", "8 ends"]
    release_first.set()
    await asyncio.gather(first, second)
    assert events[3:] == ["first of 7 ends", "second of 7 starts", "second of 7 ends"]

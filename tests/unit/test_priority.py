"""People first: the reminder tick waits while updates are being handled, within a bound."""

from __future__ import annotations

import asyncio

from bot.priority import PeopleFirst


async def test_the_tick_waits_for_updates_in_progress_then_goes_on() -> None:
    people = PeopleFirst(max_wait=5)
    await asyncio.wait_for(people.yield_to_people(), 0.1)  # nobody talking: no wait
    entered = asyncio.Event()
    release = asyncio.Event()

    async def handle() -> None:
        with people.handling():
            entered.set()
            await release.wait()

    update = asyncio.create_task(handle())
    await entered.wait()
    waiting = asyncio.create_task(people.yield_to_people())
    await asyncio.sleep(0.05)
    assert not waiting.done(), "the tick went on while a reply was being handled"
    release.set()
    await update
    await asyncio.wait_for(waiting, 1)
    assert people.busy == 0


async def test_a_stream_of_updates_never_stops_reminders() -> None:
    people = PeopleFirst(max_wait=0.05)
    with people.handling():
        await asyncio.wait_for(people.yield_to_people(), 1)  # gives up waiting after 50 ms

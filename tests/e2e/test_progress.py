"""/progress through the sandbox: a PNG sent as a photo after an upload_photo action, with a
text version that has the same facts, for a new user, after one day and after 90 days."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from bot.clock import FakeClock
from bot.db.models import Activity
from bot.domain.activity import ActivityKind
from bot.render.progress_picture import WIDTH
from bot.sandbox.models import SentMessage
from tests.e2e.conftest import Chat
from tests.e2e.test_privacy import answer_a_checkin

ZONE = "America/New_York"
# Late evening in New York, already the next day in UTC: days must be the user's own.
NOW = datetime(2026, 11, 30, 4, 30, tzinfo=UTC)  # 23:30 on Sunday 29 November in New York
MAX_BYTES = 400_000


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


async def progress(chat: Chat) -> tuple[SentMessage, str]:
    """Send /progress; the photo, and the text version its button sends."""
    [photo] = await chat.say("/progress")
    [text] = await chat.press("📝 Text version", message_id=photo.message_id)
    return photo, text.text


def check_picture(chat: Chat, photo: SentMessage) -> Image.Image:
    assert photo.kind == "photo" and photo.file is not None and photo.file.content is not None
    assert photo.file.mime_type == "image/png"
    assert 0 < photo.file.size <= MAX_BYTES
    image = Image.open(io.BytesIO(photo.file.content))
    image.verify()  # a whole, valid PNG
    assert image.format == "PNG" and image.width == WIDTH and 600 <= image.height <= 1280
    assert chat.api.chat_actions(chat.chat_id)[-1] == "upload_photo"
    return image


async def log_done(chat: Chat, days: int) -> None:
    """One stretch done at 21:00 local time on each of the last ``days`` days."""
    zone = ZoneInfo(ZONE)
    today = NOW.astimezone(zone).date()
    stretches = [s.id for s in chat.services.stretches.all()]
    async with chat.services.transaction() as session:
        for back in range(days):
            local = datetime.combine(today - timedelta(days=back), datetime.min.time(), zone)
            at = (local + timedelta(hours=21)).astimezone(UTC)
            session.add(
                Activity(
                    user_id=chat.chat_id,
                    kind=ActivityKind.DONE.value,
                    stretch_id=stretches[back % len(stretches)],
                    at=at,
                )
            )


async def test_a_new_user_gets_an_encouraging_picture(chat: Chat) -> None:
    await chat.say(f"/timezone {ZONE}", replies=2)
    photo, text = await progress(chat)

    check_picture(chat, photo)
    assert "Current streak: 0 days · best: 0 days" in photo.text
    assert "One missed day a week doesn't break a streak." in photo.text
    assert "Your first stretch will colour in today's square" in photo.text
    assert "Days with a stretch: 0 of 84" in text  # 12 whole weeks: today is a Sunday
    assert "Current streak: 0 days · best: 0 days" in text and "/stretch" in text


async def test_one_day_done_through_the_card(chat: Chat) -> None:
    await chat.say(f"/timezone {ZONE}", replies=2)
    _, card = await chat.say("/stretch", replies=2)
    *_, done = await chat.press("✅ Done", replies=2, message_id=card.message_id)
    assert done.text.startswith("Nice work!")
    name = card.text.split("\n")[0]

    photo, text = await progress(chat)

    check_picture(chat, photo)
    assert "Current streak: 1 day · best: 1 day" in photo.text
    assert "Days with a stretch: 1 of 84" in text and "Stretches done: 1" in text
    assert "Per body area" in text
    stretch = next(s for s in chat.services.stretches.all() if s.name == name)
    if stretch.hold_seconds is not None:
        assert f"{name}: {stretch.hold_seconds} s hold, done 1 time" in text


async def test_ninety_days_in_the_users_own_days(chat: Chat) -> None:
    await chat.say(f"/timezone {ZONE}", replies=2)
    await log_done(chat, 90)

    photo, text = await progress(chat)

    image = check_picture(chat, photo)
    assert "Current streak: 90 days · best: 90 days" in photo.text
    assert "Days with a stretch: 84 of 84" in text and "Stretches done: 84" in text
    assert "Longest holds" in text and "Per body area" in text
    assert image.height > 900  # areas and holds drawn below the calendar


async def test_the_text_version_lists_the_pain_check_ins(chat: Chat) -> None:
    _photo, before = await progress(chat)
    assert "Pain check-ins" not in before  # none answered yet: nothing to show
    async with chat.services.transaction() as session:  # check-ins go to people still active
        session.add(
            Activity(
                user_id=chat.chat_id,
                kind=ActivityKind.DONE.value,
                stretch_id="cat-cow",
                at=chat.clock.now(),
            )
        )
    await answer_a_checkin(chat, "🙂 Better")
    _photo, after = await progress(chat)
    assert "Pain check-ins" in after and "better" in after

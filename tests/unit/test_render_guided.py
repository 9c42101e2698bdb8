"""Guided session and hold timer screens, in English and the pseudo-locale: valid HTML that
fits, buttons within Telegram's limits, the words that matter."""

from __future__ import annotations

import random

import pytest

from bot.catalog.stretches import Stretch
from bot.domain.picking import PickFor
from bot.domain.sessions import SessionComposer, SessionStep
from bot.domain.timer import Cue, holds_for, timer_schedule
from bot.render.callbacks import Action, decode
from bot.render.guided import (
    card_timer_end_keyboard,
    render_buzz,
    render_closed_late,
    render_countdown,
    render_session_end,
    render_session_intro,
    render_session_menu,
    render_session_step,
    render_timer_stopped,
    session_end_keyboard,
    session_step_keyboard,
    session_timer_end_keyboard,
    session_title,
)
from bot.render.i18n import ENGLISH, Translator
from bot.render.stretch_card import reminder_card_keyboard
from tests.unit.test_render import CATALOG, assert_buttons_fit, assert_fits, visible

COMPOSER = SessionComposer(CATALOG.stretches)
HELD = CATALOG.stretches.get("standing-quad")
assert HELD is not None


def test_the_menu_offers_for_me_and_every_routine(t: Translator) -> None:
    text, keyboard = render_session_menu(t, CATALOG.routines)
    assert_fits(text)
    assert_buttons_fit(keyboard)
    actions = [decode(str(b.callback_data)) for row in keyboard.inline_keyboard for b in row]
    assert [a.args[0] for a in actions if a is not None] == ["me"] + [
        r.id for r in CATALOG.routines
    ]


@pytest.mark.parametrize("seed", range(5))
def test_every_step_of_a_session_renders(t: Translator, seed: int) -> None:
    steps = COMPOSER.compose(PickFor(frozenset()), rng=random.Random(seed))
    assert_fits(render_session_intro(t, session_title(t, None), steps, 420, 1))
    for index, step in enumerate(steps):
        card = render_session_step(t, step.stretch, step, index, len(steps))
        assert_fits(card)
        keyboard = session_step_keyboard(t, 123456, index, step)
        assert_buttons_fit(keyboard)
        actions = [decode(str(b.callback_data)) for row in keyboard.inline_keyboard for b in row]
        has_timer = any(a is not None and a.action is Action.SESSION_TIMER for a in actions)
        assert has_timer == step.timed


def test_a_step_shows_the_sessions_dose_not_the_cards() -> None:
    step = SessionStep(HELD, 1)
    card = visible(render_session_step(ENGLISH, HELD, step, 1, 5))
    assert card.startswith("Step 2 of 5 · stretch")
    assert "Hold 30 s on each side" in card and "rounds" not in card


@pytest.mark.parametrize("stopped", [False, True])
@pytest.mark.parametrize(("done", "skipped"), [(0, 5), (1, 0), (4, 1), (5, 0)])
def test_the_end_of_a_session(t: Translator, done: int, skipped: int, stopped: bool) -> None:
    text = render_session_end(
        t, done=done, skipped=skipped, count=5, stopped=stopped, streak=3 if done else None
    )
    assert_fits(text)
    assert_buttons_fit(session_end_keyboard(t))


def test_end_texts_in_english() -> None:
    done = visible(render_session_end(ENGLISH, done=4, skipped=1, count=5, stopped=False, streak=2))
    assert done.startswith("🎉 Session complete! 4 of 5 steps done. 1 skipped.")
    assert "2 days in a row" in done
    nothing = render_session_end(ENGLISH, done=0, skipped=2, count=5, stopped=True, streak=None)
    assert "Nothing was logged" in nothing


@pytest.mark.parametrize("stretch", CATALOG.stretches.all(), ids=lambda s: s.id)
def test_every_countdown_and_buzz_renders(t: Translator, stretch: Stretch) -> None:
    seconds = stretch.hold_seconds or stretch.duration_seconds or 30
    assert_fits(render_countdown(t, stretch, None))
    for event in timer_schedule(seconds, holds_for(stretch.sides, stretch.rounds)):
        shown = (
            render_buzz(t, stretch, event)
            if event.cue.buzzes
            else render_countdown(t, stretch, event)
        )
        assert_fits(shown)
    assert_fits(render_closed_late(t, stretch))
    assert_fits(render_timer_stopped(t, stretch))
    assert_fits(render_timer_stopped(t, None, finished=True))
    assert_buttons_fit(card_timer_end_keyboard(t, stretch))
    assert_buttons_fit(session_timer_end_keyboard(t, 999999, 15))
    assert_buttons_fit(reminder_card_keyboard(t, stretch))


def test_the_countdown_in_english() -> None:
    plan = timer_schedule(30, 2)
    shown = [visible(render_countdown(ENGLISH, HELD, e)) for e in plan if not e.cue.buzzes]
    assert shown[0] == "⏱ Standing quad stretch\nGet into position… 3 s"
    assert "⏱ Standing quad stretch\nFirst side · 30 s left" in shown
    assert "⏱ Standing quad stretch\nSwitch sides · next hold in 2 s" in shown
    assert "⏱ Standing quad stretch\nSecond side · 1 s left" in shown
    assert shown[-1] == "⏱ Standing quad stretch\n✅ Time's up."
    buzz = [render_buzz(ENGLISH, HELD, e) for e in plan if e.cue.buzzes]
    assert buzz == ["🔄 Switch sides", "✅ Done: Standing quad stretch. Well held!"]
    assert [e.cue for e in plan if e.cue.buzzes] == [Cue.SWITCH, Cue.DONE]

"""The feedback screens: valid HTML that fits, buttons within Telegram's limits, in English and
in the pseudo-language (a third longer); the area levels in /mydata read as words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.catalog.stretches import Stretch
from bot.domain.feedback import Feeling, PainKind, PainPlace, triage
from bot.render import feedback as screens
from bot.render.i18n import ENGLISH, Translator, text
from bot.render.privacy import render_data_summary
from tests.unit.test_render import CATALOG, EXPORT, assert_buttons_fit, assert_fits, visible

ASKED = datetime(2026, 3, 2, 7, 0, 5, tzinfo=UTC)
LIBRARY = [stretch.id for stretch in CATALOG.stretches.all()]
LONGEST = max(CATALOG.stretches.all(), key=lambda s: (len(s.id), len(s.name)))


@pytest.mark.parametrize("stretch", CATALOG.stretches.all(), ids=lambda s: s.id)
def test_every_pain_outcome_is_valid_and_fits(t: Translator, stretch: Stretch) -> None:
    for place in PainPlace:
        for kind in PainKind:
            for easier_allowed in (True, False):
                shown, keyboard = screens.render_pain_outcome(
                    t, stretch, triage(place, kind), easier_allowed=easier_allowed
                )
                assert_fits(shown)
                if keyboard is not None:
                    assert_buttons_fit(keyboard)


def test_questions_and_replies_are_valid(t: Translator) -> None:
    assert_fits(text(t, screens.HOW_DID_IT_FEEL))
    assert_buttons_fit(screens.feedback_keyboard(t, [LONGEST.id], ASKED, LIBRARY))
    assert_buttons_fit(screens.feedback_keyboard(t, LIBRARY[:8], ASKED, LIBRARY))
    for screen in (
        screens.where_question(t, LONGEST, ASKED),
        *(screens.how_question(t, LONGEST, ASKED, place) for place in PainPlace),
        screens.which_one_hurt(t, CATALOG.stretches.all()[:8], ASKED),
        screens.render_stopped(t, CATALOG.stretches.all()[:3]),
    ):
        assert_fits(screen[0])
        assert screen[1] is not None
        assert_buttons_fit(screen[1])
    for feeling in Feeling:
        assert_fits(screens.render_noted(t, feeling, CATALOG.stretches.all()[:2]))
    for message in (screens.ALREADY_NOTED, screens.EXPIRED):
        assert len(text(t, message)) <= 200  # a callback answer's limit
    assert_fits(screens.render_stopped(t, [])[0])
    assert_fits(text(t, screens.NOTHING_LEFT))


def test_a_question_stamp_and_a_session_round_trip() -> None:
    assert screens.asked_at(screens.stamp(ASKED)) == ASKED
    print_, places = screens.session_args(["cat-cow", LIBRARY[-1]], LIBRARY)
    assert screens.session_ids(print_, places, LIBRARY) == ["cat-cow", LIBRARY[-1]]
    # Another library (a stretch added or removed): the old buttons are stale.
    assert screens.session_ids(print_, places, LIBRARY[1:]) is None


def test_the_summary_names_area_levels_in_words() -> None:
    user = {**EXPORT["users"][0], "area_levels": {"glutes": 2, "hamstrings": 1}}
    export = {**EXPORT, "users": [user], "stretch_feedback": [{}] * 4, "stopped_stretches": [{}]}
    summary = visible(render_data_summary(ENGLISH, export))
    assert "Your own level for some areas: Glutes: moderate, Hamstrings: gentle" in summary
    assert "How stretches felt: 4 answers" in summary
    assert "left out because they hurt: 1 (see /stopped)" in summary

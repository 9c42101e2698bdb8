from __future__ import annotations

import pytest

from bot.domain.emergency_numbers import NUMBERS
from bot.domain.symptom_text import Concern, concern
from bot.render.i18n import ENGLISH
from bot.render.redflags import render_symptom_reply

EMERGENCY = [
    "I can't feel my legs",
    "numb down there",
    "Numbness between my legs since this morning",
    "it feels numb when I wipe",
    "my bum feels dead",
    "can’t feel my bottom",  # a typographic apostrophe
    "both legs are weak",
    "my legs gave way on the stairs",
    "I cant pee properly",
    "I wet myself without noticing",
    "lost control of my bowels",
    "bladder incontinence started today",
    "back pain and chest pain",
    "tightness in my chest",
    "I fainted after the pain hit",
    "fell and I can't get up",
    "sudden pain in my testicle",
]
SYMPTOM = [
    "my back hurts a lot",
    "MY HIP IS PAINFUL",
    "aching lower back",
    "sore since yesterday",
    "tingling in my foot",
    "my left leg is weak",
    "I fell on the ice",
    "my bladder is playing up",
    "bowel trouble",
    "sciatica again",
    "I pulled something, there's a spasm",
    "knee swollen and I'm limping",
    "I have a fever",
]
HARMLESS = [
    "hello",
    "thanks!",
    "what time is it",
    "I'm painting the kitchen",  # "pain" inside another word
    "let's go to the pool",  # "poo" inside another word
    "weekend plans",
    "x" * 5000,
    "",
]


@pytest.mark.parametrize("text", EMERGENCY)
def test_words_of_the_emergency_items(text: str) -> None:
    assert concern(text) is Concern.EMERGENCY


@pytest.mark.parametrize("text", SYMPTOM)
def test_words_about_symptoms(text: str) -> None:
    assert concern(text) is Concern.SYMPTOM


@pytest.mark.parametrize("text", HARMLESS)
def test_other_text(text: str) -> None:
    assert concern(text) is Concern.NONE


def test_a_negation_still_gets_the_safety_line() -> None:
    assert concern("no numbness down there, just back pain") is Concern.EMERGENCY


def test_replies_offer_the_check_never_a_stretch() -> None:
    gb = NUMBERS["GB"]
    symptom = render_symptom_reply(ENGLISH, Concern.SYMPTOM, gb, in_check=False)
    assert "/redflags" in symptom and "/stretch" not in symptom and "🚨" not in symptom
    emergency = render_symptom_reply(ENGLISH, Concern.EMERGENCY, gb, in_check=False)
    assert emergency.startswith("🚨") and "<b>999</b>" in emergency
    assert emergency.index("🚨") < emergency.index("/redflags")
    assert "/stretch" not in emergency


def test_during_the_check_the_reply_points_to_the_buttons() -> None:
    plain = render_symptom_reply(ENGLISH, Concern.NONE, None, in_check=True)
    assert "buttons" in plain and "/stretch" not in plain and "/redflags" not in plain
    urgent = render_symptom_reply(ENGLISH, Concern.EMERGENCY, None, in_check=True)
    assert urgent.startswith("🚨") and "buttons" in urgent

"""Common, harmless causes of back and hip pain, walked through the check as each patient
would honestly answer every question.

Each patient is a small table of facts; every question is answered from those facts by the
``ANSWERS`` table below, which must cover every question the check can ask. So a new or
reworded question forces a decision here about how these patients would answer it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from bot.catalog.redflags import Checklist, Item, Tier, load_redflags
from bot.domain.redflags import NO, YES, Answer, Outcome, Question, outcome_of
from tests.unit.redflags_paths import CONTENT, walk_with


@dataclass(frozen=True)
class Patient:
    """What a person knows about themselves. Defaults: an adult with nothing of note."""

    age: str = "18-49"  # the age band they would tap
    pregnant: str = "no"
    testicles: bool = False
    periods: bool = False
    past_cancer: bool = False
    # Symptoms, as the person would recognise them from the question's words.
    chest_pain: bool = False
    sudden_pain_and_faint: bool = False
    saddle_numbness: bool = False
    new_trouble_peeing: bool = False  # hard to start, weak stream, leaking unnoticed
    burning_or_frequent_peeing: bool = False
    bowel_control_lost: bool = False
    sexual_feeling_changed: bool = False
    legs: str = "no"  # where leg symptoms are: "both", "one" or "no"
    leg_symptoms_new_or_worse: bool = False
    leg_newly_weak: bool = False
    leg_pain_walking_eased_sitting: bool = False
    fever: bool = False
    hot_hip_or_new_limp: bool = False
    confused: bool = False
    started_with: str = "no"  # "accident", "fall", "strain" or "no"
    cannot_stand_after_fall: bool = False
    thin_bones_or_steroids: bool = False
    pop_in_sport: bool = False
    limping: bool = False
    lost_weight_unexpectedly: bool = False
    lump_on_back: bool = False
    pain_constant_or_every_night: bool = False
    pain_between_shoulder_blades: bool = False
    infection_risk: bool = False
    tummy_pulsing: bool = False
    pregnancy_pain_new: bool = False
    sudden_testicle_pain: bool = False
    over_4_weeks_not_better: bool = False
    worst_after_rest_for_months: bool = False
    follows_cycle: bool = False


def _yes_if(fact: Callable[[Patient], bool]) -> Callable[[Patient], Answer]:
    return lambda patient: YES if fact(patient) else NO


ANSWERS: dict[str, Callable[[Patient], Answer]] = {
    "age": lambda p: p.age,
    "pregnant": lambda p: p.pregnant,
    "E8": _yes_if(lambda p: p.chest_pain),
    "E9": _yes_if(lambda p: p.sudden_pain_and_faint),
    "E10": _yes_if(lambda p: p.sudden_pain_and_faint),
    "cancer": lambda p: YES if p.past_cancer else NO,
    "E14": _yes_if(lambda p: p.leg_newly_weak or p.new_trouble_peeing or p.bowel_control_lost),
    "E1": _yes_if(lambda p: p.saddle_numbness),
    "E2": _yes_if(lambda p: p.new_trouble_peeing),
    "U2": _yes_if(lambda p: p.burning_or_frequent_peeing),
    "E3": _yes_if(lambda p: p.bowel_control_lost),
    "E4": _yes_if(lambda p: p.sexual_feeling_changed),
    "legs": lambda p: p.legs,
    "E5": _yes_if(lambda p: p.leg_symptoms_new_or_worse),
    "U13": _yes_if(lambda p: p.leg_newly_weak),
    "S3": _yes_if(lambda p: p.leg_pain_walking_eased_sitting),
    "U1": _yes_if(lambda p: p.fever),
    "E12": _yes_if(lambda p: p.hot_hip_or_new_limp),
    "E13": _yes_if(lambda p: p.confused),
    "injury": lambda p: p.started_with,
    "E7": _yes_if(lambda p: p.cannot_stand_after_fall),
    "U9": _yes_if(lambda p: p.thin_bones_or_steroids),
    "U12": _yes_if(lambda p: p.pop_in_sport),
    "U11": _yes_if(lambda p: p.limping),
    "U4": _yes_if(lambda p: p.lost_weight_unexpectedly),
    "U6": _yes_if(lambda p: p.lump_on_back),
    "U7": _yes_if(lambda p: p.pain_constant_or_every_night),
    "U8": _yes_if(lambda p: p.pain_between_shoulder_blades),
    "U10": _yes_if(lambda p: p.infection_risk),
    "U14": _yes_if(lambda p: p.tummy_pulsing),
    "U3": _yes_if(lambda p: p.pregnancy_pain_new),
    "E11": _yes_if(lambda p: p.testicles and p.sudden_testicle_pain),
    "S4": _yes_if(lambda p: p.over_4_weeks_not_better),
    "S1": _yes_if(lambda p: p.worst_after_rest_for_months),
    "S5": _yes_if(lambda p: p.periods and p.follows_cycle),
}

MIMICS: list[tuple[str, Patient, Tier, set[str]]] = [
    # (what it is, the patient, expected tier, flags ticked)
    (
        "urinary infection without fever: burning and going often, a dull low back ache",
        Patient(periods=True, burning_or_frequent_peeing=True),
        Tier.URGENT,  # may have reached a kidney: seen today, not an ambulance
        {"U2"},
    ),
    (
        "spinal stenosis at 70: both legs ache on walking for years, eased by sitting",
        Patient(
            age="65+",
            testicles=True,
            legs="both",
            leg_pain_walking_eased_sitting=True,
            over_4_weeks_not_better=True,
        ),
        Tier.SOON,
        {"S3", "S4", "S2"},
    ),
    (
        "back strain after lifting a box, 35, a week ago",
        Patient(testicles=True, started_with="strain"),
        Tier.NONE,
        set(),
    ),
    (
        "one-sided sciatica that is getting better, 42",
        Patient(testicles=True, legs="one"),
        Tier.NONE,
        set(),
    ),
    (
        "slipped on ice, 30: sore lower back, walking normally",
        Patient(periods=True, started_with="fall"),
        Tier.NONE,
        set(),
    ),
    (
        "bruised hip after a fall at 75, walking normally",
        Patient(age="65+", periods=False, started_with="fall"),
        Tier.URGENT,  # older bones can break after a small fall: seen today
        {"U9"},
    ),
    (
        "bursitis on the outside of the hip, 55: hurts lying on that side at night, for months",
        Patient(age="50-64", over_4_weeks_not_better=True),
        Tier.SOON,
        {"S4", "S2"},
    ),
    (
        "hip osteoarthritis at 68: groin pain and stiffness for a year",
        Patient(age="65+", testicles=True, over_4_weeks_not_better=True),
        Tier.SOON,
        {"S4", "S2"},
    ),
    (
        "diabetic nerve damage at 60: numb feet for years, ordinary back ache",
        Patient(age="50-64", testicles=True, legs="both"),
        Tier.NONE,
        set(),
    ),
    (
        "tight piriformis in a runner, 25: buttock pain and tingling down one leg after a race",
        Patient(periods=True, legs="one", started_with="strain"),
        Tier.NONE,
        set(),
    ),
    (
        "period pain, 27: low back and pelvic pain each month for a year",
        Patient(periods=True, over_4_weeks_not_better=True, follows_cycle=True),
        Tier.SOON,
        {"S4", "S5"},
    ),
    (
        "pelvic girdle pain in pregnancy, 29: new pain at the back of the pelvis and groin",
        Patient(pregnant="yes", periods=True, pregnancy_pain_new=True),
        Tier.URGENT,  # kidney trouble in pregnancy can start with pain alone: midwife today
        {"U3"},
    ),
    (
        "growth-spurt back ache in a 14-year-old footballer, no pop, no limp",
        Patient(age="10-17", testicles=True, started_with="strain"),
        Tier.NONE,
        set(),
    ),
]


@pytest.fixture(scope="module")
def checklist() -> Checklist:
    return load_redflags(CONTENT)


def test_the_answer_table_covers_every_question(checklist: Checklist) -> None:
    asked = {q.id for q in checklist.questions if not (isinstance(q, Item) and q.implied)}
    assert set(ANSWERS) == asked


def walk_as(checklist: Checklist, patient: Patient) -> Outcome:
    def choose(question: Question) -> Answer:
        return ANSWERS[question.id](patient)

    return outcome_of(checklist, walk_with(checklist, choose))


@pytest.mark.parametrize(
    ("patient", "tier", "flags"),
    [(patient, tier, flags) for _, patient, tier, flags in MIMICS],
    ids=[name.split(":")[0] for name, *_ in MIMICS],
)
def test_a_harmless_cause_is_not_an_emergency(
    checklist: Checklist, patient: Patient, tier: Tier, flags: set[str]
) -> None:
    result = walk_as(checklist, patient)
    assert result.tier is not Tier.EMERGENCY
    assert result.tier is tier
    assert {tick.item.flag for tick in result.ticked} == flags


def test_the_same_patients_with_a_real_emergency_sign_are_emergencies(
    checklist: Checklist,
) -> None:
    """The check still catches the real thing in the same people: the mimics are no blind spot."""
    stenosis = MIMICS[1][1]
    worse = walk_as(checklist, Patient(**{**vars(stenosis), "leg_symptoms_new_or_worse": True}))
    assert worse.tier is Tier.EMERGENCY and worse.extras == ("ces",)
    fall = MIMICS[5][1]
    broken = walk_as(checklist, Patient(**{**vars(fall), "cannot_stand_after_fall": True}))
    assert broken.tier is Tier.EMERGENCY and broken.extras == ("hip_fracture",)
    infection = MIMICS[0][1]
    cauda = walk_as(checklist, Patient(**{**vars(infection), "new_trouble_peeing": True}))
    assert cauda.tier is Tier.EMERGENCY

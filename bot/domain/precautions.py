"""Stretch safety questions: three conditions that rule some movements out, asked once.

The answers live in one small integer (two bits per question), so "not asked yet" stays
distinct from "skipped" and nothing more than the three answers is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum

from bot.catalog.stretches import Movement


class Precaution(StrEnum):
    """One question, in the order they are asked; the value is its short code on buttons."""

    HIP_REPLACEMENT = "hip"
    PREGNANCY = "preg"  # pregnant, past the first trimester
    OSTEOPOROSIS = "bone"


class Answer(IntEnum):
    NOT_ASKED = 0
    NO = 1
    YES = 2
    SKIPPED = 3


# What each condition rules out when it may apply.
RULED_OUT: dict[Precaution, frozenset[Movement]] = {
    # The usual precautions after a hip replacement (dislocation risk).
    Precaution.HIP_REPLACEMENT: frozenset(
        {
            Movement.HIP_FLEXION_PAST_90,
            Movement.HIP_CROSSING_MIDLINE,
            Movement.HIP_INTERNAL_ROTATION,
        }
    ),
    # Lying flat on the back can press on the big veins; lying on the front presses on the bump.
    Precaution.PREGNANCY: frozenset({Movement.LYING_ON_BACK, Movement.LYING_ON_FRONT}),
    # Fragile vertebrae: no loaded forward bending, no end-range twisting.
    Precaution.OSTEOPOROSIS: frozenset({Movement.LOADED_FORWARD_BEND, Movement.END_RANGE_TWIST}),
}
EVERY_PRECAUTION: frozenset[Movement] = frozenset().union(*RULED_OUT.values())

BITS = 2
MASK = (1 << BITS) - 1


@dataclass(frozen=True)
class PrecautionAnswers:
    """A user's answers, as stored: two bits per question, 0 meaning not asked yet."""

    code: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.code < 1 << (BITS * len(Precaution)):
            raise ValueError(f"not a precaution answers code: {self.code}")

    @classmethod
    def stored(cls, code: int) -> PrecautionAnswers:
        """The answers in a stored code; a value no version wrote counts as nothing asked,
        the cautious reading (the questions come again)."""
        try:
            return cls(code)
        except ValueError:
            return cls()

    def answer(self, precaution: Precaution) -> Answer:
        return Answer((self.code >> _shift(precaution)) & MASK)

    def with_answer(self, precaution: Precaution, answer: Answer) -> PrecautionAnswers:
        shift = _shift(precaution)
        return PrecautionAnswers((self.code & ~(MASK << shift)) | (answer << shift))

    def next_unasked(self) -> Precaution | None:
        """The first question not asked yet, or None once every one has an answer."""
        return next((p for p in Precaution if self.answer(p) is Answer.NOT_ASKED), None)

    @property
    def complete(self) -> bool:
        return self.next_unasked() is None


def _shift(precaution: Precaution) -> int:
    return BITS * list(Precaution).index(precaution)


def forbidden_movements(answers: PrecautionAnswers) -> frozenset[Movement]:
    """The movements to leave out for these answers.

    Only a plain No clears a condition: a Yes, a skipped question (the people most likely to
    skip are those for whom it is true) and a question not asked yet all rule its movements
    out, so a reminder can go out before the questions were asked and still be safe.
    """
    return frozenset().union(
        *(RULED_OUT[p] for p in Precaution if answers.answer(p) is not Answer.NO)
    )


# Every stored code's forbidden movements, worked out once: the reminder tick looks them up for
# thousands of users in a row (a table lookup instead of decoding: about 0.1 us, not 5).
_FORBIDDEN_BY_CODE = tuple(
    forbidden_movements(PrecautionAnswers(code)) for code in range(1 << (BITS * len(Precaution)))
)


def forbidden_for_stored(code: int) -> frozenset[Movement]:
    """``forbidden_movements`` of a stored code (see ``PrecautionAnswers.stored``)."""
    return _FORBIDDEN_BY_CODE[code] if 0 <= code < len(_FORBIDDEN_BY_CODE) else EVERY_PRECAUTION


def is_allowed(movements: frozenset[Movement], forbidden: frozenset[Movement]) -> bool:
    return not movements & forbidden

"""What a free-text message says about symptoms: a small, conservative word check. Pure.

Limber does not understand free text, but a message about pain must never get "here is a
stretch" back. So the rule errs on the side of caution: any word about pain, numbness,
weakness, falling, or the bladder and bowels counts as a symptom (the reply offers the
red-flag check, which costs a worried user nothing), and the words of the emergency items
(cauda equina, chest pain, collapse, a fall you can't get up from, testicle pain) get the
emergency advice at once. Negation is ignored on purpose: "no numbness down there" still
gets the safety line, because a missed emergency costs far more than an extra sentence.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Final

# "can't", "cant", "cannot", "can not", "unable to", "couldn't".
_CANT: Final = r"(?:can'?t|cannot|can not|unable to|couldn'?t)"
# The saddle area, in the words people use.
_SADDLE: Final = (
    r"(?:down there|between (?:my |the )?legs|groin|genitals?|crotch|privates?|bum|bottom|"
    r"butt(?:ocks?)?|saddle|anus|back passage|when i wipe|wiping)"
)
_LEGS: Final = r"(?:legs|feet)"

# Words of the EMERGENCY items: the check would stop at once on any of these.
_EMERGENCY: Final = re.compile(
    "|".join(
        (
            # Saddle numbness (E1): "numb down there", "can't feel my bum".
            rf"\b(?:numb\w*|tingl\w*|no feeling|pins and needles)\b.{{0,30}}\b{_SADDLE}",
            rf"\b{_SADDLE}\b.{{0,30}}\b(?:numb\w*|tingl\w*|dead)\b",
            rf"\b{_CANT} feel\b.{{0,20}}\b{_SADDLE}",
            # Both legs (E5): "I can't feel my legs", "both legs are weak".
            rf"\b{_CANT} (?:feel|move)\b.{{0,12}}\b{_LEGS}\b",
            r"\bboth (?:legs|feet)\b",
            r"\blegs?\b.{0,15}\b(?:gave way|giving way|gone|paraly[sz]\w*)",
            # Bladder and bowel control (E2, E3).
            rf"\b{_CANT} (?:pee|wee|urinate|go to the toilet|control my (?:bladder|bowels?))\b",
            r"\b(?:wet|peed|pissed|pooed|pooped|soiled) myself\b",
            r"\bincontinen\w*",
            r"\b(?:lost|losing|no) control\b.{0,20}\b(?:bladder|bowels?|pee|poo)\b",
            # Chest pain (E8), collapse (E9, E10), a fall you can't get up from (E7).
            r"\bchest\b.{0,20}\b(?:pain|hurts?|tight\w*|pressure)\b",
            r"\b(?:pain|tightness|pressure) in (?:my |the )?chest\b",
            r"\b(?:fainted|fainting|passed out|collapsed|blacked out)\b",
            rf"\b{_CANT} (?:stand|get up|put (?:any )?weight)\b",
            # Testicle pain (E11).
            r"\btestic\w*",
        )
    )
)

# Any word about a symptom: the reply offers /redflags first, never a stretch.
_SYMPTOM: Final = re.compile(
    r"\b(?:pains?|painful|hurt|hurts|hurting|aches?|aching|achy|sore|soreness|agony|"
    r"numb\w*|tingl\w*|pins and needles|weak|weaker|weakness|fell|falls?|falling|fallen|"
    r"bladder|bowels?|pee|peeing|wee|weeing|urine|urinat\w*|poo|pooing|poop\w*|stools?|"
    r"sciatica|spasms?|injur(?:y|ies|ed)|swollen|swelling|limp|limping|fever\w*)\b"
)


class Concern(Enum):
    NONE = "none"
    SYMPTOM = "symptom"  # offer the red-flag check
    EMERGENCY = "emergency"  # the emergency advice first, then the check


def concern(text: str) -> Concern:
    """How worried a free-text message should make us (see the module notes)."""
    normalised = text.casefold().replace("\u2019", "'")
    if _EMERGENCY.search(normalised):
        return Concern.EMERGENCY
    if _SYMPTOM.search(normalised):
        return Concern.SYMPTOM
    return Concern.NONE

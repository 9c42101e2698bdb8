"""What a user cannot do or has not got (kneel, get down to the floor, a wall, a band...):
stored as one small integer, a bit per ``Need``, so stretches that need it are never picked."""

from __future__ import annotations

from bot.catalog.stretches import Need

# Bit order is stored: append new needs at the end, never reorder.
NEED_BITS: dict[Need, int] = {need: 1 << index for index, need in enumerate(Need)}
ALL_BITS = sum(NEED_BITS.values())


def _decode(code: int) -> frozenset[Need]:
    return frozenset(need for need, bit in NEED_BITS.items() if code & bit)


# Every code decoded once: the reminder tick decodes thousands in a row (a lookup, not 3 us).
_BY_CODE = tuple(_decode(code) for code in range(ALL_BITS + 1))


def cannot_of(code: int) -> frozenset[Need]:
    """The needs a stored code rules out (bits no version wrote are ignored)."""
    return _BY_CODE[code & ALL_BITS]


def code_of(needs: frozenset[Need]) -> int:
    return sum(NEED_BITS[need] for need in needs)


def toggle_need(code: int, need: Need) -> int:
    """The code with ``need`` switched between "can" and "cannot"."""
    return (code ^ NEED_BITS[need]) & ALL_BITS

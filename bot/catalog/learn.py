"""Education cards for /learn: ``content/learn.yaml``, validated at start like the stretches.

Plain text, in our own words (the bot escapes it); a translation in ``content/<lang>/learn.yaml``
replaces the titles and texts only (``catalog.translations``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from bot.catalog.loading import ContentError, validate_model
from bot.catalog.translations import overlay, read_yaml

# Limits leave room for translations a third longer, within one Telegram message.
Paragraph = Annotated[str, StringConstraints(strip_whitespace=True, min_length=20, max_length=500)]
MIN_CARDS = 10


class LearnCard(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)
    title: str = Field(min_length=3, max_length=60)
    text: tuple[Paragraph, ...] = Field(min_length=1, max_length=4)
    sources: tuple[str, ...] = Field(min_length=1)


class LearnFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    cards: tuple[LearnCard, ...] = Field(min_length=MIN_CARDS)

    @model_validator(mode="after")
    def _unique_ids(self) -> LearnFile:
        ids = [card.id for card in self.cards]
        if len(set(ids)) != len(ids):
            raise ValueError("two cards have the same id")
        return self


class LearnCards:
    """The cards in their file's order, looked up by id or position."""

    def __init__(self, cards: tuple[LearnCard, ...]) -> None:
        self.cards = cards
        self._index = {card.id: number for number, card in enumerate(cards)}

    def __len__(self) -> int:
        return len(self.cards)

    def get(self, card_id: str) -> LearnCard | None:
        number = self._index.get(card_id)
        return None if number is None else self.cards[number]

    def position(self, card_id: str) -> int | None:
        return self._index.get(card_id)

    def at(self, position: int) -> LearnCard:
        """The card at ``position``, wrapping around at either end."""
        return self.cards[position % len(self.cards)]


NO_CARDS = LearnCards(())


def load_learn(path: Path, translated: Path | None = None) -> LearnCards:
    """The cards in ``path``; with ``translated``, its texts replace the English ones."""
    data, source = read_yaml(path), path
    if translated is not None and translated.is_file():
        data, source = overlay(data, read_yaml(translated), translated), translated
    if not isinstance(data, dict):
        raise ContentError(f"{source}: expected a mapping at the top level")
    return LearnCards(validate_model(data, LearnFile, source).cards)

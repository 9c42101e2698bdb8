"""/learn through the sandbox (which refuses invalid HTML and over-long messages): every card
in turn with Next, back with Previous, a card by number, and bad input."""

from __future__ import annotations

from tests.e2e.conftest import Chat


async def test_every_card_by_next_and_back(chat: Chat) -> None:
    cards = chat.services.catalog.learn
    [first] = await chat.say("/learn")
    assert first.text.startswith(f"📖 {cards.cards[0].title}")
    assert f"Card 1 of {len(cards)}" in first.text
    seen = [first.text]
    for number in range(2, len(cards) + 1):
        [shown] = await chat.press("Next ➡️", message_id=first.message_id)
        assert shown.message_id == first.message_id  # turns the page in place
        assert f"Card {number} of {len(cards)}" in shown.text
        seen.append(shown.text)
    assert len(set(seen)) == len(cards)
    [wrapped] = await chat.press("Next ➡️", message_id=first.message_id)
    assert wrapped.text == first.text
    [back] = await chat.press("⬅️ Previous", message_id=first.message_id)
    assert back.text == seen[-1]


async def test_a_card_by_number_and_bad_input(chat: Chat) -> None:
    cards = chat.services.catalog.learn
    [card] = await chat.say("/learn 3")
    assert card.text.startswith(f"📖 {cards.cards[2].title}")
    for bad in ("/learn 0", f"/learn {len(cards) + 1}", "/learn sleep", "/learn ³"):
        [reply] = await chat.say(bad)
        assert f"There are {len(cards)} cards" in reply.text


async def test_a_forged_card_id_is_stale(chat: Chat) -> None:
    [card] = await chat.say("/learn")
    assert "out of date" in await chat.press_data(card.message_id, "1:lc:no-such-card")

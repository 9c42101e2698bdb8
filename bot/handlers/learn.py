"""/learn: short education cards about back pain, one at a time with Previous and Next."""

from __future__ import annotations

from telegram import CallbackQuery, Update
from telegram.ext import Application, CommandHandler

from bot.handlers.common import StaleButton, answer_quietly, command_argument, reply, routed, show
from bot.handlers.context import LimberContext
from bot.render.callbacks import Action, Callback
from bot.render.learn import learn_screen, render_learn_unknown


async def learn_command(update: Update, context: LimberContext) -> None:
    cards, t = context.content.learn, context.t
    argument = command_argument(update)
    position = 0
    if argument:
        if not (argument.isascii() and argument.isdigit() and 1 <= int(argument) <= len(cards)):
            await reply(update, render_learn_unknown(t, len(cards)))
            return
        position = int(argument) - 1
    await reply(update, *learn_screen(t, cards, cards.at(position)))


async def show_card(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    cards = context.content.learn
    card = cards.get(callback.arg() or "")
    if card is None:  # a card from an older version of the content
        raise StaleButton
    await answer_quietly(query)
    # Turns the page in place; offered under a weekly summary (a photo), it comes below it.
    await show(query, *learn_screen(context.t, cards, card))


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("learn", learn_command))
    application.add_handler(routed({Action.LEARN_SHOW: show_card}))

"""The question after a stretch (or a session), "How did that feel?"; "It hurt" question by
question; and /stopped to see and bring back the stretches left out because they hurt.

The answers to where and how it hurt are never logged nor stored: only the stop they lead to.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.catalog.stretches import Stretch
from bot.domain.feedback import Feeling, PainKind, PainPlace
from bot.handlers.common import StaleButton, answer_quietly, drop_keyboard, reply, routed, show
from bot.handlers.context import LimberContext
from bot.render import feedback as screens
from bot.render.callbacks import Action, Callback
from bot.render.i18n import text
from bot.usecases import feedback


async def ask_feedback(
    update: Update,
    context: LimberContext,
    stretch_ids: Sequence[str],
    *,
    lead: str | None = None,
    more: InlineKeyboardMarkup | None = None,
    effect: str | None = None,
) -> None:
    """Ask "How did that feel?" about what the user just did: one stretch id, or a session's
    stretch ids in the order done. ``lead`` (HTML) goes above the question, e.g. "Nice work";
    ``more`` adds its buttons below the answers; ``effect`` is a message effect id."""
    t, svc = context.t, context.services
    library = [stretch.id for stretch in svc.stretches.all()]
    asked = svc.clock.now().replace(microsecond=0)
    question = text(t, screens.HOW_DID_IT_FEEL)
    body = f"{lead}\n\n{question}" if lead else question
    keyboard = screens.feedback_keyboard(t, list(stretch_ids), asked, library)
    if more is not None:
        keyboard = InlineKeyboardMarkup([*keyboard.inline_keyboard, *more.inline_keyboard])
    await reply(update, body, keyboard, effect=effect)


def _named(context: LimberContext, stretch_ids: Sequence[str]) -> list[Stretch]:
    """The stretches in the user's language; a button naming one the library lacks is stale."""
    found = [context.content.stretches.get(stretch_id) for stretch_id in stretch_ids]
    named = [stretch for stretch in found if stretch is not None]
    if len(named) != len(found) or not named:
        raise StaleButton
    return named


async def on_feeling(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    """Good / Too easy / Too hard / It hurt, about one stretch or a whole session."""
    if callback.action is Action.FEEL_SESSION:
        print_, digits, stamped, code = callback.args
        library = [stretch.id for stretch in context.services.stretches.all()]
        ids = screens.session_ids(print_, digits, library)
        if ids is None:
            raise StaleButton
    else:
        stretch_id, stamped, code = callback.args
        ids = [stretch_id]
    stretches = _named(context, ids)
    feeling, asked = screens.FEELING_CODES[code], screens.asked_at(stamped)
    t = context.t
    if feeling is Feeling.HURT and len(stretches) > 1:
        # One stretch at a time: which one, then where and how.
        await answer_quietly(query)
        await drop_keyboard(query)
        await reply(update, *screens.which_one_hurt(t, stretches, asked))
        return
    result = await feedback.record_feeling(
        context.services, context.require_account().user_id, ids, feeling, asked
    )
    if result is None:
        raise StaleButton
    if isinstance(result, feedback.Expired):
        await answer_quietly(query, text(t, screens.EXPIRED))
        await drop_keyboard(query)
    elif isinstance(result, feedback.AlreadyNoted):
        await answer_quietly(query, text(t, screens.ALREADY_NOTED))
        await drop_keyboard(query)
    elif feeling is Feeling.HURT:
        await answer_quietly(query)
        await drop_keyboard(query)
        await reply(update, *screens.where_question(t, stretches[0], asked))
    else:
        await answer_quietly(query)
        await drop_keyboard(query)
        await reply(update, screens.render_noted(t, feeling, stretches))


async def on_pain_place(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    """Where it hurt: the next question replaces this one."""
    stretch_id, stamped, place = callback.args
    [stretch] = _named(context, [stretch_id])
    await answer_quietly(query)
    await show(
        query,
        *screens.how_question(context.t, stretch, screens.asked_at(stamped), PainPlace(place)),
    )


async def on_pain_kind(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    """What it felt like: reassure, or stop the stretch and offer what fits."""
    stretch_id, stamped, place, kind = callback.args
    [stretch] = _named(context, [stretch_id])
    result = await feedback.answer_pain(
        context.services,
        context.require_account().user_id,
        stretch_id,
        screens.asked_at(stamped),
        PainPlace(place),
        PainKind(kind),
    )
    if result is None:
        raise StaleButton
    await answer_quietly(query)
    await show(
        query,
        *screens.render_pain_outcome(
            context.t, stretch, result.outcome, easier_allowed=result.easier_allowed
        ),
    )


async def stopped_command(update: Update, context: LimberContext) -> None:
    """/stopped: the stretches left out because they hurt, each with a way back."""
    ids = await feedback.stopped_stretches(context.services, context.require_account().user_id)
    stretches = [s for s in (context.content.stretches.get(i) for i in ids) if s is not None]
    await reply(update, *screens.render_stopped(context.t, stretches))


async def on_bring_back(
    update: Update, context: LimberContext, query: CallbackQuery, callback: Callback
) -> None:
    """Bring one stopped stretch (or all) back; the list updates in place."""
    user_id = context.require_account().user_id
    await feedback.bring_back(context.services, user_id, callback.arg())
    await answer_quietly(query)
    ids = await feedback.stopped_stretches(context.services, user_id)
    stretches = [s for s in (context.content.stretches.get(i) for i in ids) if s is not None]
    await show(query, *screens.render_stopped(context.t, stretches))


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("stopped", stopped_command))
    application.add_handler(
        routed(
            {
                Action.FEEL: on_feeling,
                Action.FEEL_SESSION: on_feeling,
                Action.PAIN_PLACE: on_pain_place,
                Action.PAIN_KIND: on_pain_kind,
                Action.BRING_BACK: on_bring_back,
                Action.BRING_BACK_ALL: on_bring_back,
            }
        )
    )

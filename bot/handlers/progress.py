"""/progress: the picture of the last 12 weeks, and its text version."""

from __future__ import annotations

import asyncio

from telegram import CallbackQuery, InputFile, Update
from telegram.constants import ChatAction, ParseMode
from telegram.ext import Application, CommandHandler

from bot.handlers.common import answer_quietly, reply, routed
from bot.handlers.context import LimberContext
from bot.render.callbacks import Action, Callback
from bot.render.checkin import render_checkin_history
from bot.render.progress import progress_keyboard, render_progress_caption, render_progress_text
from bot.render.progress_picture import render_progress_picture
from bot.usecases import checkins
from bot.usecases import progress as usecase

FILENAME = "limber-progress.png"
CHECKINS_SHOWN = 12  # about half a year of two-weekly answers


async def progress_command(update: Update, context: LimberContext) -> None:
    chat = update.effective_chat
    found = await usecase.progress(
        context.services, context.require_account().user_id, context.content.stretches.get
    )
    if chat is None or found is None:
        return
    t = context.t
    await chat.send_chat_action(ChatAction.UPLOAD_PHOTO)
    # Drawing takes tens of milliseconds of CPU: off the event loop.
    picture = await asyncio.to_thread(render_progress_picture, t, found)
    await chat.send_photo(
        InputFile(picture, filename=FILENAME),
        caption=render_progress_caption(t, found),
        parse_mode=ParseMode.HTML,
        reply_markup=progress_keyboard(t),
    )


async def text_version(
    update: Update, context: LimberContext, query: CallbackQuery, _callback: Callback
) -> None:
    await answer_quietly(query)
    svc, user_id = context.services, context.require_account().user_id
    found = await usecase.progress(svc, user_id, context.content.stretches.get)
    if found is None:
        return
    body = render_progress_text(context.t, found)
    # The pain check-ins so far (the last few), when there are any.
    history = (await checkins.checkin_history(svc, user_id))[-CHECKINS_SHOWN:]
    if history:
        body += "\n\n" + render_checkin_history(context.t, history)
    await reply(update, body)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("progress", progress_command))
    application.add_handler(routed({Action.PROGRESS_TEXT: text_version}))

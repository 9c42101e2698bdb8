"""Fixed texts: welcome, help and the friendly fallbacks. HTML parse mode."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions

from bot.domain.reminders import SnoozeRefusal
from bot.render.callbacks import Action, encode

# Parse mode and previews are passed per call, not as PTB Defaults: Defaults would also add
# them to calls that have no such parameters (editMessageReplyMarkup).
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)

# (command, one-line description): the source for /help and the Telegram command menu.
COMMANDS: list[tuple[str, str]] = [
    ("stretch", "Get one stretch to do now"),
    ("settings", "Your reminder time, days and timezone"),
    ("time", "Set the reminder time, e.g. /time 07:30"),
    ("timezone", "Set your timezone, e.g. /timezone Europe/Berlin"),
    ("focus", "Choose which areas your stretches focus on"),
    ("pause", "Pause daily reminders"),
    ("resume", "Resume daily reminders"),
    ("redflags", "Check symptoms that need a doctor"),
    ("mydata", "See and export what Limber stores about you"),
    ("forget", "Delete everything Limber stores about you"),
    ("about", "What Limber is and is not"),
    ("help", "List the commands"),
    ("start", "Welcome and quick start"),
]

SAFETY_LINE = (
    "Limber is not medical care: stretch gently, never into sharp pain, and check "
    "/redflags if your pain is new, severe or comes with other symptoms."
)


def render_welcome(first_name: str | None) -> str:
    name = escape(first_name) if first_name else "there"
    return (
        f"Hi {name}! I'm <b>Limber</b>, your pocket coach for hips and lower back.\n\n"
        "• Tap <b>Stretch now</b> (or send /stretch) for one short stretch with clear steps.\n"
        "• Set a daily reminder and I'll send you a stretch at your time, on your days.\n"
        "• Warm up for a few minutes first, and stay within what feels comfortable.\n\n"
        f"⚠️ {SAFETY_LINE}"
    )


def start_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("🧘 Stretch now", callback_data=encode(Action.STRETCH_NOW))],
            [
                InlineKeyboardButton(
                    "⏰ Set a daily reminder", callback_data=encode(Action.SET_REMINDER)
                )
            ],
        ]
    )


def render_help() -> str:
    lines = ["<b>What I can do</b>"]
    lines.extend(f"/{command} – {escape(description)}" for command, description in COMMANDS)
    lines.append("")
    lines.append("Buttons under my messages do the same things with one tap.")
    return "\n".join(lines)


UNKNOWN_COMMAND = (
    "I don't know that command. Send /stretch for a stretch, or /help to see everything I can do."
)
FREE_TEXT = (
    "I'm a simple coach and don't understand free text yet. "
    "Send /stretch for a stretch now, or /help for the list of commands."
)
STALE_BUTTON = "That button is out of date. Send /stretch for a fresh stretch."
NO_ACCOUNT_BUTTON = (
    "I have no data for you any more (it was deleted), so this old button does nothing. "
    "Send /start to begin again."
)
SLOW_DOWN = (
    "That's a lot of messages at once 🙂 I'll take a short breather; try again in a few seconds."
)
SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on my side. Your settings are safe; please try again in a moment."
)

ABOUT = """<b>About Limber</b>
Limber is a free, open-source coach for tight hips and a stiff lower back: one short stretch \
when you ask, and a daily reminder at your time.

<b>What it is not</b>
It is not a doctor, a physiotherapist or a diagnosis. It cannot examine you, and it does not \
know your history. If pain is severe, new, spreading, or comes with other symptoms, see a \
clinician.

<b>The red-flag check (/redflags)</b>
It asks about warning signs that mean back, hip or groin pain should be checked by a doctor, \
and how soon. A "yes" means "get checked", not "you have something serious"; a "no" rules \
nothing out. Its questions follow:
• the International Framework for Red Flags for Potential Serious Spinal Pathologies \
(Finucane et al., JOSPT 2020)
• NICE guidelines NG59 (low back pain and sciatica), NG65 (spondyloarthritis), NG234 \
(spinal cord compression from cancer) and the NICE CKS red flags for back pain
• NHS pages on back pain, sciatica, kidney infection, aortic aneurysm, hip fracture and \
ectopic pregnancy; the cauda equina warning card
• Henschke 2009 and 2013, Downie 2013 and Dionne 2019 on how well red flags work
• children's hospital guidance on the limping child (Melbourne, Queensland)

<b>Your data</b>
Limber stores your settings, your answers to the three stretch safety questions, what it \
sent you and what you did, and only the outcome of a red-flag check (never your answers). \
/mydata shows it all; /forget deletes it all."""


def render_snoozed(minutes: int, clock: str) -> str:
    span = "1 hour" if minutes == 60 else f"{minutes} minutes"
    return f"OK, I'll remind you again in {span}, at {clock}. ⏰"


def render_skipped(next_reminder: str | None) -> str:
    upcoming = f" Next reminder: {next_reminder}." if next_reminder else ""
    return f"Skipped for today; rest is fine too.{upcoming}"


SNOOZE_REFUSED = {
    SnoozeRefusal.ON_HOLD: (
        "I won't snooze this one: reminders are on hold until a clinician has checked you "
        "(send /stretch when they have)."
    ),
    SnoozeRefusal.PAUSED: (
        "Reminders are paused, so I won't snooze this one. Send /resume to turn them back on."
    ),
}


def render_snooze_refused(reason: SnoozeRefusal) -> str:
    return SNOOZE_REFUSED[reason]


def private_chat_link(bot_username: str) -> str:
    """A deep link that opens a private chat with the bot (``/start group`` once opened)."""
    return f"https://t.me/{bot_username}?start=group"


def render_private_only(bot_username: str) -> str:
    return (
        "I only work in a private chat, so nothing about anyone is shown here: "
        f'<a href="{escape(private_chat_link(bot_username), quote=True)}">message me directly</a>.'
    )


def render_private_only_short() -> str:
    """For a button pressed in a group (a callback answer: plain text, 200 characters)."""
    return "Limber works in private chats only: open a chat with me to use it."

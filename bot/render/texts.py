"""Fixed texts: welcome, help and the friendly fallbacks. HTML parse mode.

Constants are marked with ``N_`` (extracted for translators) and translated where they are
shown, with :func:`bot.render.i18n.text`; functions take the user's Translator ``t``.
"""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions

from bot.domain.reminders import SnoozeRefusal
from bot.render.callbacks import Action, encode
from bot.render.i18n import N_, Translator

# Parse mode and previews are passed per call, not as PTB Defaults: Defaults would also add
# them to calls that have no such parameters (editMessageReplyMarkup).
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)

# (command, one-line description): the source for /help and the Telegram command menu.
COMMANDS: list[tuple[str, str]] = [
    ("stretch", N_("Get one stretch to do now")),
    ("session", N_("A 6-8 minute guided session, step by step")),
    ("settings", N_("Your reminder time, days and timezone")),
    ("time", N_("Set the reminder time, e.g. /time 07:30")),
    ("timezone", N_("Set your timezone, e.g. /timezone Europe/Berlin")),
    ("focus", N_("Choose which areas your stretches focus on")),
    ("progress", N_("Your last 12 weeks: streaks, areas and holds")),
    ("learn", N_("Short cards about back pain and what helps")),
    ("pause", N_("Pause daily reminders")),
    ("resume", N_("Resume daily reminders")),
    ("redflags", N_("Check symptoms that need a doctor")),
    ("stopped", N_("Stretches left out because they hurt")),
    ("mydata", N_("See and export what Limber stores about you")),
    ("forget", N_("Delete everything Limber stores about you")),
    ("about", N_("What Limber is and is not")),
    ("help", N_("List the commands")),
    ("start", N_("Welcome and quick start")),
]


# setMyDescription (up to 512 characters) and setMyShortDescription (up to 120), plain text.
DESCRIPTION = N_(
    "Limber is a pocket coach for tight hips and a stiff lower back: one short, safe stretch "
    "when you ask, and a daily reminder at your time. A one-minute start fits it to you. "
    "Not medical care; free and open source."
)
SHORT_DESCRIPTION = N_("Daily hip and lower-back stretches, one minute at a time.")


def command_menu(t: Translator) -> list[tuple[str, str]]:
    """The commands with their descriptions in ``t``'s language (Telegram's command menu)."""
    return [(command, t.gettext(description)) for command, description in COMMANDS]


def render_welcome(t: Translator, first_name: str | None) -> str:
    name = escape(first_name) if first_name else t.gettext("there")
    return (
        t.gettext(
            "Hi {name}! I'm <b>Limber</b>, your pocket coach for hips and lower back."
        ).format(name=name)
        + "\n\n• "
        + t.gettext(
            "Tap <b>Stretch now</b> (or send /stretch) for one short stretch with clear steps."
        )
        + "\n• "
        + t.gettext("Set a daily reminder and I'll send you a stretch at your time, on your days.")
        + "\n• "
        + t.gettext("Warm up for a few minutes first, and stay within what feels comfortable.")
        + "\n\n⚠️ "
        + t.gettext(
            "Limber is not medical care: stretch gently, never into sharp pain, and check "
            "/redflags if your pain is new, severe or comes with other symptoms."
        )
    )


def start_keyboard(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.gettext("🧘 Stretch now"), callback_data=encode(Action.STRETCH_NOW)
                )
            ],
            [
                InlineKeyboardButton(
                    t.gettext("⏰ Set a daily reminder"), callback_data=encode(Action.SET_REMINDER)
                )
            ],
        ]
    )


def render_help(t: Translator) -> str:
    lines = [t.gettext("<b>What I can do</b>")]
    lines.extend(f"/{command} – {escape(description)}" for command, description in command_menu(t))
    lines.append("")
    lines.append(t.gettext("Buttons under my messages do the same things with one tap."))
    return "\n".join(lines)


UNKNOWN_COMMAND = N_(
    "I don't know that command. Send /stretch for a stretch, or /help to see everything I can do."
)
FREE_TEXT = N_(
    "I'm a simple coach and don't understand free text yet. "
    "Send /stretch for a stretch now, or /help for the list of commands."
)
STALE_BUTTON = N_("That button is out of date. Send /stretch for a fresh stretch.")
NO_ACCOUNT_BUTTON = N_(
    "I have no data for you any more (it was deleted), so this old button does nothing. "
    "Send /start to begin again."
)
SLOW_DOWN = N_(
    "That's a lot of messages at once 🙂 I'll take a short breather; try again in a few seconds."
)
SOMETHING_WENT_WRONG = N_(
    "Sorry, something went wrong on my side. Your settings are safe; please try again in a moment."
)

ABOUT = N_("""<b>About Limber</b>
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
/mydata shows it all; /forget deletes it all.""")


def render_snoozed(t: Translator, minutes: int, clock: str) -> str:
    if minutes == 60:
        return t.gettext("OK, I'll remind you again in 1 hour, at {clock}. ⏰").format(clock=clock)
    return t.ngettext(
        "OK, I'll remind you again in {minutes} minute, at {clock}. ⏰",
        "OK, I'll remind you again in {minutes} minutes, at {clock}. ⏰",
        minutes,
    ).format(minutes=minutes, clock=clock)


def render_skipped(t: Translator, next_reminder: str | None) -> str:
    skipped = t.gettext("Skipped for today; rest is fine too.")
    if next_reminder is None:
        return skipped
    return skipped + " " + t.gettext("Next reminder: {when}.").format(when=next_reminder)


SNOOZE_REFUSED = {
    SnoozeRefusal.ON_HOLD: N_(
        "I won't snooze this one: reminders are on hold until a clinician has checked you "
        "(send /stretch when they have)."
    ),
    SnoozeRefusal.PAUSED: N_(
        "Reminders are paused, so I won't snooze this one. Send /resume to turn them back on."
    ),
}


def render_snooze_refused(t: Translator, reason: SnoozeRefusal) -> str:
    return t.gettext(SNOOZE_REFUSED[reason])


def private_chat_link(bot_username: str) -> str:
    """A deep link that opens a private chat with the bot (``/start group`` once opened)."""
    return f"https://t.me/{bot_username}?start=group"


def render_private_only(t: Translator, bot_username: str) -> str:
    link = escape(private_chat_link(bot_username), quote=True)
    return t.gettext(
        "I only work in a private chat, so nothing about anyone is shown here: "
        '<a href="{link}">message me directly</a>.'
    ).format(link=link)


def render_private_only_short(t: Translator) -> str:
    """For a button pressed in a group (a callback answer: plain text, 200 characters)."""
    return t.gettext("Limber works in private chats only: open a chat with me to use it.")


def next_step_keyboard(t: Translator, *, check_again: bool = False) -> InlineKeyboardMarkup:
    """Where to go after a screen that ends something (a check stopped or all clear)."""
    rows = [
        [
            InlineKeyboardButton(
                t.gettext("🧘 Stretch now"), callback_data=encode(Action.STRETCH_NOW)
            )
        ]
    ]
    if check_again:
        rows.append(
            [
                InlineKeyboardButton(
                    t.gettext("🩺 Start the check again"),
                    callback_data=encode(Action.REDFLAGS_START),
                )
            ]
        )
    return InlineKeyboardMarkup(rows)

"""Telegram's HTML parse mode: what the user sees, and which markup Telegram refuses.

Modelled on tdlib's `parse_html`: a fixed set of tags, proper nesting, and only
the `&lt; &gt; &amp; &quot;` named entities plus numeric ones. Error messages
follow tdlib's wording, because bots (and their tests) match on them.

One deliberate difference: in strict mode (the default) a bare `&` that does
not start a valid entity is an error. Real Telegram shows it literally, but a
bot that forgets to escape `&` will also forget to escape `<` sooner or later,
so the sandbox flags it early.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

JSONDict = dict[str, Any]

# Tag -> MessageEntity type. `span` and `blockquote` are refined by attributes.
_TAG_TYPES: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPECIAL = re.compile(r"[<&]")
_ENTITY = re.compile(r"&(?:#([0-9]{1,8})|#x([0-9a-fA-F]{1,7})|([a-zA-Z]+))(;?)")
_SPACE = " \t\n\r\f\v"
_NAME_TOKEN = re.compile(r"[A-Za-z0-9.\-]*")


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; str() is tdlib's explanation."""


@dataclass(frozen=True, slots=True)
class ParsedText:
    """Text as the user sees it plus MessageEntity dicts (UTF-16 offsets)."""

    text: str
    entities: tuple[JSONDict, ...] = ()


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of MessageEntity offsets."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str, *, strict: bool = True) -> ParsedText:
    """Parse Telegram HTML; raises EntityParseError like the Bot API would."""
    if "<" not in source and "&" not in source:
        return ParsedText(source)  # the common case: nothing to parse
    return _HtmlParser(source, strict=strict).run()


@dataclass(slots=True)
class _OpenTag:
    name: str
    start: int  # UTF-16 offset of the tag's content
    entity: JSONDict | None  # None: the tag produces no entity (e.g. <a> without href)


class _HtmlParser:
    def __init__(self, source: str, *, strict: bool) -> None:
        self.src = source
        self.strict = strict
        self.out: list[str] = []
        self.offset = 0  # UTF-16 length of the output so far
        self.stack: list[_OpenTag] = []
        self.entities: list[JSONDict] = []

    def run(self) -> ParsedText:
        pos = 0
        src = self.src
        while (match := _SPECIAL.search(src, pos)) is not None:
            at = match.start()
            self._emit(src[pos:at])
            if src[at] == "&":
                pos = self._entity(at)
            elif src.startswith("</", at):
                pos = self._end_tag(at)
            else:
                pos = self._start_tag(at)
        self._emit(src[pos:])
        if self.stack:
            raise EntityParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        entities = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return ParsedText("".join(self.out), tuple(entities))

    # -- output ---------------------------------------------------------------

    def _emit(self, chunk: str) -> None:
        if chunk:
            self.out.append(chunk)
            self.offset += utf16_len(chunk)

    def _error(self, message: str, index: int) -> EntityParseError:
        # tdlib reports UTF-8 byte offsets; only computed on the error path.
        return EntityParseError(f"{message} at byte offset {len(self.src[:index].encode())}")

    # -- character references -------------------------------------------------

    def _entity(self, at: int) -> int:
        char, end = decode_entity(self.src, at, strict=self.strict)
        if char is None:
            if self.strict:
                raise self._error('Unescaped "&" (write it as &amp;)', at)
            char, end = "&", at + 1
        self._emit(char)
        return end

    # -- tags -----------------------------------------------------------------

    def _start_tag(self, at: int) -> int:
        src = self.src
        i = at + 1
        while i < len(src) and src[i] not in _SPACE and src[i] != ">":
            i += 1
        if i >= len(src):
            raise self._error("Unclosed start tag", at)
        name = src[at + 1 : i].lower()
        if name not in _TAG_TYPES:
            raise self._error(f'Unsupported start tag "{name}"', at)
        attributes, i = self._attributes(name, i, at)
        entity = self._entity_for(name, attributes, at)
        self.stack.append(_OpenTag(name, self.offset, entity))
        return i + 1  # past '>'

    def _attributes(self, tag: str, i: int, tag_at: int) -> tuple[dict[str, str], int]:
        """Parse `name=value` pairs up to '>'; returns them and the index of '>'."""
        src = self.src
        attributes: dict[str, str] = {}
        while True:
            while i < len(src) and src[i] in _SPACE:
                i += 1
            if i >= len(src):
                raise self._error("Unclosed start tag", tag_at)
            if src[i] == ">":
                return attributes, i
            begin = i
            while i < len(src) and src[i] not in _SPACE and src[i] not in "=>":
                i += 1
            attr_name = src[begin:i].lower()
            if not attr_name:
                raise self._error(f'Empty attribute name in the tag "{tag}"', tag_at)
            while i < len(src) and src[i] in _SPACE:
                i += 1
            if i < len(src) and src[i] != "=":
                attributes[attr_name] = ""  # valueless, e.g. <blockquote expandable>
                continue
            i += 1
            while i < len(src) and src[i] in _SPACE:
                i += 1
            if i >= len(src):
                raise self._error("Unclosed start tag", tag_at)
            value, i = self._attribute_value(i, tag_at)
            attributes[attr_name] = value

    def _attribute_value(self, i: int, tag_at: int) -> tuple[str, int]:
        src = self.src
        quote = src[i]
        if quote not in "'\"":
            match = _NAME_TOKEN.match(src, i)
            end = match.end() if match else i
            if end >= len(src):
                raise self._error("Unclosed start tag", tag_at)
            if src[end] not in _SPACE and src[end] != ">":
                raise self._error("Unexpected end of name token", end)
            return src[i:end].lower(), end
        close = src.find(quote, i + 1)
        if close < 0:
            raise self._error("Unclosed start tag", tag_at)
        return _decode_attribute(src[i + 1 : close]), close + 1

    def _entity_for(self, tag: str, attrs: dict[str, str], tag_at: int) -> JSONDict | None:
        kind = _TAG_TYPES[tag]
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise self._error('Tag "span" must have class "tg-spoiler"', tag_at)
        if tag == "a":
            href = attrs.get("href")
            return {"type": kind, "url": href} if href else None
        if tag == "tg-emoji":
            emoji_id = attrs.get("emoji-id", "")
            if not emoji_id.isdigit():
                raise self._error('Tag "tg-emoji" must have a numeric "emoji-id"', tag_at)
            return {"type": kind, "custom_emoji_id": emoji_id}
        if tag == "blockquote" and "expandable" in attrs:
            return {"type": "expandable_blockquote"}
        if tag == "code" and self.stack and self.stack[-1].name == "pre":
            # <pre><code class="language-x"> is one pre entity with a language.
            pre = self.stack[-1].entity
            language = attrs.get("class", "")
            if pre is not None and language.startswith("language-"):
                pre["language"] = language.removeprefix("language-")
            return None
        return {"type": kind}

    def _end_tag(self, at: int) -> int:
        src = self.src
        i = at + 2
        while i < len(src) and src[i] not in _SPACE and src[i] != ">":
            i += 1
        name = src[at + 2 : i].lower()
        while i < len(src) and src[i] in _SPACE:
            i += 1
        if i >= len(src) or src[i] != ">":
            raise self._error("Unclosed end tag", at)
        if not self.stack:
            raise self._error("Unexpected end tag", at)
        open_tag = self.stack.pop()
        if name and name != open_tag.name:
            raise EntityParseError(
                f"{self._error('Unmatched end tag', at)}, "
                f'expected "</{open_tag.name}>", found "</{name}>"'
            )
        length = self.offset - open_tag.start
        if open_tag.entity is not None and length > 0:
            self.entities.append({**open_tag.entity, "offset": open_tag.start, "length": length})
        return i + 1


def decode_entity(src: str, at: int, *, strict: bool) -> tuple[str | None, int]:
    """Decode the character reference at `src[at] == '&'`.

    Returns (character, index after it), or (None, at) if it is not one Telegram
    supports. Strict mode also insists on the terminating ';'.
    """
    match = _ENTITY.match(src, at)
    if match is None:
        return None, at
    decimal, hexadecimal, name, semicolon = match.groups()
    if strict and not semicolon:
        return None, at
    if name is not None:
        char = _NAMED_ENTITIES.get(name)
        return (char, match.end()) if char is not None else (None, at)
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None, at
    return chr(code), match.end()


def _decode_attribute(raw: str) -> str:
    if "&" not in raw:
        return raw
    parts: list[str] = []
    pos = 0
    while (amp := raw.find("&", pos)) >= 0:
        parts.append(raw[pos:amp])
        char, end = decode_entity(raw, amp, strict=False)
        parts.append(char if char is not None else "&")
        pos = end if char is not None else amp + 1
    parts.append(raw[pos:])
    return "".join(parts)

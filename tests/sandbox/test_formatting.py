"""Telegram's HTML parse mode: visible text, entities with UTF-16 offsets, refusals."""

from __future__ import annotations

import pytest

from bot.sandbox.formatting import EntityParseError, parse_html, utf16_len


def test_plain_text_passes_through_untouched() -> None:
    parsed = parse_html("Just text, no markup.")
    assert (parsed.text, parsed.entities) == ("Just text, no markup.", ())


def test_tags_become_entities_with_utf16_offsets() -> None:
    parsed = parse_html("😀 <b>bold <i>both</i></b> <u>u</u>")
    assert parsed.text == "😀 bold both u"
    assert parsed.entities == (
        {"type": "bold", "offset": 3, "length": 9},
        {"type": "italic", "offset": 8, "length": 4},
        {"type": "underline", "offset": 13, "length": 1},
    )


def test_every_supported_tag() -> None:
    parsed = parse_html(
        "<strong>a</strong><em>b</em><ins>c</ins><s>d</s><strike>e</strike><del>f</del>"
        '<tg-spoiler>g</tg-spoiler><span class="tg-spoiler">h</span>'
        '<a href="https://x.org/?q=1&amp;r=2">i</a><code>j</code>'
        '<pre><code class="language-python">k</code></pre>'
        "<blockquote>l</blockquote><blockquote expandable>m</blockquote>"
        '<tg-emoji emoji-id="5368324170671202286">n</tg-emoji>'
    )
    assert parsed.text == "abcdefghijklmn"
    types = [e["type"] for e in parsed.entities]
    assert types == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "strikethrough",
        "strikethrough",
        "spoiler",
        "spoiler",
        "text_link",
        "code",
        "pre",
        "blockquote",
        "expandable_blockquote",
        "custom_emoji",
    ]
    assert parsed.entities[8]["url"] == "https://x.org/?q=1&r=2"
    assert parsed.entities[10]["language"] == "python"


def test_entities_decode_to_characters() -> None:
    assert parse_html("&lt;b&gt; &amp; &quot;q&quot; &#65;&#x42;").text == '<b> & "q" AB'


@pytest.mark.parametrize(
    ("text", "lenient"),
    [
        ("a & b", "a & b"),
        ("&nbsp;", "&nbsp;"),
        ("&lt", "<"),
        ("&#0;", "&#0;"),
        ("&#xD800;", "&#xD800;"),
    ],
)
def test_strict_mode_refuses_what_telegram_would_let_through(text: str, lenient: str) -> None:
    with pytest.raises(EntityParseError, match='Unescaped "&"'):
        parse_html(text)
    assert parse_html(text, strict=False).text == lenient  # what tdlib shows


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<a href=x", "Unclosed start tag at byte offset 0"),
        ("<a href=x/y>l</a>", "Unexpected end of name token at byte offset 9"),
        ("<b =x>y</b>", 'Empty attribute name in the tag "b" at byte offset 0'),
        ("<tg-emoji>x</tg-emoji>", 'Tag "tg-emoji" must have a numeric "emoji-id"'),
        ("😀<x>", 'Unsupported start tag "x" at byte offset 4'),  # UTF-8 byte offsets
    ],
)
def test_malformed_markup(text: str, message: str) -> None:
    with pytest.raises(EntityParseError, match=message):
        parse_html(text)


def test_utf16_length() -> None:
    assert utf16_len("abc") == 3
    assert utf16_len("é😀") == 3

"""User text made safe to show: the one path every name, title and note takes to a screen.

Text a user typed or imported (a person's name, an item title, a log topic, a file name) is
data.  Before it reaches a terminal it goes through `shown()`: control characters (C0 but tab
and, where the text is multi-line, newline; ESC; DEL; C1), bidi overrides and invisible
formatting characters become visible placeholders (␛, ␇, �…) or are dropped, so an imported
name cannot rewrite the window title, write the clipboard or clear the screen.

* every catalog message (`i18n.t(key, **params)`) passes its string parameters through
  `shown()`, so a message quoting a name is safe wherever it is printed;
* the CLI prints tables and JSON through `shown()` / `json_text()`;
* the TUI wraps user text in `screens/usertext.py` (`xtalent_screens.usertext.user()`), which builds a Rich `Text` (never
  markup, so a `[/]` or an `[@click=…]` in a name is shown, not run);
* exports keep the text as typed and escape it for their own format (html.escape, CSV quoting…).
"""

from __future__ import annotations

# C0 controls as their Unicode "control pictures" (U+2400 + code): ␀ … ␛ … ␟.
_PICTURES = {code: 0x2400 + code for code in range(0x20)}
_PICTURES[0x7F] = 0x2421  # ␡
_REPLACEMENT = 0xFFFD  # �: a C1 control (0x80–0x9F) has no picture

# Bidi embeddings/overrides/isolates and marks reorder what follows them on the line; invisible
# joiners and the BOM hide a character.  Dropped: a name never needs them to be read.
# ZWJ (U+200D) and ZWNJ (U+200C) stay: emoji sequences and some scripts need them.
_DROPPED = (
    [0x061C, 0x200B, 0x200E, 0x200F, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
)

_SINGLE_LINE: dict[int, int | None] = {**_PICTURES, 0x09: 0x20}
_SINGLE_LINE.update({code: _REPLACEMENT for code in range(0x80, 0xA0)})
_SINGLE_LINE.update({code: None for code in _DROPPED})
_SINGLE_LINE.update({0x2028: 0x2424, 0x2029: 0x2424})  # line/paragraph separator: ␤

_MULTI_LINE: dict[int, int | None] = {**_SINGLE_LINE, 0x09: 0x09, 0x0A: 0x0A, 0x2028: 0x0A, 0x2029: 0x0A}


def shown(value: object, *, multiline: bool = False) -> str:
    """`value` as text that is safe to write to a terminal (see the module doc).

    Single-line (the default: a cell, a name, a heading): a newline shows as ␊, a tab as a
    space.  Multi-line (a memo, a note): CRLF and lone CR become newlines, tabs stay.
    """
    text = "" if value is None else str(value)
    if text.isprintable():  # the common case: nothing to replace (space and CJK are printable)
        return text
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text.translate(_MULTI_LINE)
    return text.translate(_SINGLE_LINE)


def is_safe(text: str, *, multiline: bool = False) -> bool:
    """True when `text` needs nothing replaced (what `shown` would return unchanged)."""
    return shown(text, multiline=multiline) == text


def json_text(document: str) -> str:
    """JSON text (from json.dumps with ensure_ascii=False) with every invisible or control
    character inside its strings written as a \\uXXXX escape: the same JSON value, exactly, but
    nothing in it a terminal would act on.  Outside strings JSON holds only printable ASCII and
    the whitespace kept here, so the escapes can only land inside strings."""
    if document.isprintable() or document.replace("\n", "").isprintable():  # the usual case, in C
        return document
    # Line by line: an indented document is mostly printable lines, checked in C; a character
    # loop over all of it was most of `check --format json` at a thousand engagements.
    return "\n".join(line if line.isprintable() else _escaped(line) for line in document.split("\n"))


def _escaped(text: str) -> str:
    out: list[str] = []
    for char in text:
        if char.isprintable() or char in " \n\t\r":
            out.append(char)
        elif ord(char) > 0xFFFF:
            code = ord(char) - 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{ord(char):04x}")
    return "".join(out)

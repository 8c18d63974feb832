"""shown(): user text made safe for a terminal (the core of the one way to show user text)."""

from __future__ import annotations

import json
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from xtalent.i18n import t
from xtalent.usertext import is_safe, json_text, shown

from hostile import PAYLOADS


def _dangerous(char: str, multiline: bool) -> bool:
    code = ord(char)
    if multiline and char in "\n\t":
        return False
    return code < 0x20 or 0x7F <= code < 0xA0 or unicodedata.category(char) in ("Cc",) or char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


@given(st.text(), st.booleans())
def test_nothing_a_terminal_acts_on_survives(text: str, multiline: bool) -> None:
    out = shown(text, multiline=multiline)
    assert not [c for c in out if _dangerous(c, multiline)]
    assert shown(out, multiline=multiline) == out  # idempotent: showing twice changes nothing
    assert is_safe(out, multiline=multiline)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Zl", "Zp", "Cs"))))
def test_printable_text_is_shown_exactly(text: str) -> None:
    assert shown(text) == text


def test_each_control_has_a_visible_picture() -> None:
    assert shown("a\x1b]0;x\x07b") == "a␛]0;x␇b"
    assert shown("\x9b") == "\ufffd"
    assert shown("a\u202eb\u200bc") == "abc"
    assert shown("one\r\ntwo") == "one␍␊two"
    assert shown("one\r\ntwo\rthree", multiline=True) == "one\ntwo\nthree"
    assert shown("a\tb") == "a b" and shown("a\tb", multiline=True) == "a\tb"
    assert shown(None) == "" and shown(12) == "12"
    assert shown("👨‍👩‍👧") == "👨‍👩‍👧"  # a ZWJ sequence stays whole


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda kids: st.lists(kids) | st.dictionaries(st.text(), kids), max_leaves=20))
def test_json_text_is_the_same_json_with_nothing_raw(value: object) -> None:
    raw = json.dumps(value, ensure_ascii=False, indent=2)
    safe = json_text(raw)
    assert json.loads(safe) == value
    assert not [c for c in safe if _dangerous(c, True) and c not in "\r"]


def test_every_catalog_message_quotes_user_text_safely() -> None:
    for payload in PAYLOADS:
        said = t("edit.create", "ja", name=payload)
        assert "\x1b" not in said and "\x9b" not in said and "\u202e" not in said

"""Full-width twins of single-key bindings: with a Japanese IME in full-width mode, `f` arrives as
`ｆ` and `/` as `／`; the twins make those work too (hidden from the footer, same action)."""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from textual.binding import Binding, BindingType

_PUNCTUATION = {
    "slash": "fullwidth_solidus",
    "left_square_bracket": "fullwidth_left_square_bracket",
    "right_square_bracket": "fullwidth_right_square_bracket",
    "plus": "fullwidth_plus_sign",
}


def fullwidth(key: str) -> str | None:
    if len(key) == 1 and key.isascii() and key.isalnum():
        return chr(ord(key) + 0xFEE0)  # ｆ, Ｓ, １: Textual names these keys by the character
    return _PUNCTUATION.get(key)


def with_fullwidth(bindings: Iterable[Binding]) -> list[BindingType]:
    out: list[BindingType] = []
    for binding in bindings:
        out.append(binding)
        twins = [fw for key in binding.key.split(",") if (fw := fullwidth(key.strip()))]
        if twins:
            out.append(replace(binding, key=",".join(twins), show=False,
                               id=f"{binding.id}_fullwidth" if binding.id else None))
    return out

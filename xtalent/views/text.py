"""Small text helpers the views share: search normalisation, countdowns, bars."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Iterable

from ..i18n import t

_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


def fold(text: str) -> str:
    """Text as search compares it: NFKC (full-width ＡＢＣ/１２３ and half-width ｶﾅ become one form),
    case-folded, katakana as hiragana, whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_KATAKANA_TO_HIRAGANA)
    return " ".join(folded.split())


def haystack(parts: Iterable[str]) -> str:
    """All searchable fields in one folded string; each part also without its inner spaces,
    so "佐藤花子" finds "佐藤 花子"."""
    out: list[str] = []
    for part in parts:
        if not part:
            continue
        folded = fold(part)
        out.append(folded)
        if " " in folded:
            out.append(folded.replace(" ", ""))
    return "\n".join(out)


def matches(query: str, hay: str) -> bool:
    """Every word of the query occurs somewhere in the haystack (an empty query matches all)."""
    return all(word in hay for word in fold(query).split())


def countdown(term_start: date, term_end: date, today: date, lang: str | None = None) -> str:
    """"あと12日" / "12日前に終了" / "開始まで5日"."""
    if today < term_start:
        return t("eng.starts_in", lang, n=(term_start - today).days)
    left = (term_end - today).days
    if left >= 0:
        return t("eng.days_left", lang, n=left)
    return t("eng.ended_ago", lang, n=-left)


def bar(ratio: float, width: int, full: str = "█", empty: str = "░") -> str:
    """A text bar `width` cells wide, filled to `ratio` (0..1), rounding to the nearest cell."""
    ratio = max(0.0, min(1.0, ratio))
    filled = int(round(ratio * width))
    if ratio > 0 and filled == 0:
        filled = 1
    if ratio < 1 and filled == width and width > 0:
        filled = width - 1
    return full * filled + empty * (width - filled)


def minutes_text(minutes: int | float, lang: str | None = None) -> str:
    hours = minutes / 60
    text = f"{hours:.1f}".rstrip("0").rstrip(".")
    return t("eng.hours", lang, h=text)


def fit_widths(natural: list[int], minimum: list[int], available: int) -> list[int]:
    """Column widths that fit `available` cells: shrink the widest shrinkable column first, never
    below its minimum.  If even the minimums do not fit, keep every text whole: the table then
    scrolls sideways, which beats cutting every name."""
    if sum(minimum) > available:
        return list(natural)
    widths = list(natural)
    excess = sum(widths) - available
    while excess > 0:
        candidates = [n for n, w in enumerate(widths) if w > minimum[n]]
        if not candidates:
            break
        widest = max(candidates, key=lambda n: widths[n])
        widths[widest] -= 1
        excess -= 1
    return widths

"""Small text helpers the views share: search normalisation, countdowns, bars."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Iterable

from ..i18n import t

# textwidth (rich.cells and its tables, ~7 M instructions) is imported by the functions that
# measure, not here: most importers (`export ID`, `list`) want a countdown or the search text.

_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


def fold(text: str) -> str:
    """Text as search compares it: NFKC (full-width ＡＢＣ/１２３ and half-width ｶﾅ become one form),
    case-folded, katakana as hiragana, whitespace collapsed."""
    return " ".join(_fold_chars(text).split())


# Runs of the katakana _KATAKANA_TO_HIRAGANA maps: `str.translate` looks every character up in
# its table (a dashboard row's search text has hundreds), so only these runs go through it.
_KATAKANA_RUN = re.compile("([\u30a1-\u30f6]+)")


# Runs of full-width ASCII forms (（）０-９Ａ-Ｚ：…), which Japanese text is full of.  One of them
# anywhere makes NFKC of the whole string take CPython's slow path (decompose and recompose every
# character: ~0.7 M of a dashboard row's ~8 M instructions); normalized first, run by run, they
# leave the rest to the quick check, which passes text already in NFKC as it is.  The result is
# the same: each such character's NFKC is one ASCII character with no combining mark on either
# side of it, so NFKC of the whole is NFKC of the whole with the runs already normalized.
_FULL_WIDTH_RUN = re.compile("([\uff01-\uff5e]+)")


def _fold_chars(text: str) -> str:
    # Each pattern captures its runs, so `split` puts them at the odd places: they are
    # converted in a list comprehension, without the match object and the call back from C that
    # `re.sub` with a function makes per run (a row's search text has ~70 runs).
    pieces = _FULL_WIDTH_RUN.split(text)
    pieces[1::2] = [unicodedata.normalize("NFKC", run) for run in pieces[1::2]]
    pieces = _KATAKANA_RUN.split(unicodedata.normalize("NFKC", "".join(pieces)).casefold())
    pieces[1::2] = [run.translate(_KATAKANA_TO_HIRAGANA) for run in pieces[1::2]]
    return "".join(pieces)


def haystack(parts: Iterable[str]) -> str:
    """All searchable fields in one folded string; each part also without its inner spaces,
    so "佐藤花子" finds "佐藤 花子"."""
    parts = [part for part in parts if part]
    joined = "\0".join(parts)
    if joined.count("\0") != len(parts) - 1:  # a part holds a NUL itself
        folds = [fold(part) for part in parts]
    else:
        # One normalisation of every part at once (a NUL, which no normalisation, case-folding or
        # composition crosses, between them) instead of one call each: a dashboard row has ~35.
        folded = _fold_chars(joined)
        folds = folded.split("\0")
        # Each part's whitespace collapsed (" ".join(part.split())): stored text is stripped and
        # seldom needs it, which one collapse of the whole (NUL is not whitespace) shows unchanged
        # with no space beside a NUL, instead of a split and a join per part.
        if " ".join(folded.split()) != folded or " \0" in folded or "\0 " in folded:
            folds = [" ".join(p.split()) for p in folds]
    out: list[str] = []
    for folded in folds:
        out.append(folded)
        if " " in folded:
            out.append(folded.replace(" ", ""))
    return "\n".join(out)


def matches(query: str, hay: str) -> bool:
    """Every word of the query occurs somewhere in the haystack (an empty query matches all)."""
    return all(word in hay for word in fold(query).split())


def countdown(term_start: date, term_end: date, today: date, lang: str | None = None) -> str:
    """The term's countdown, the same on every screen, in `xtalent list` and in the checklist:
    "開始まで5日" before the term, "あと12日" in it, "本日終了" on its last day, "12日前に終了" after."""
    if today < term_start:
        return t("eng.starts_in", lang, n=(term_start - today).days)
    left = (term_end - today).days
    if left > 0:
        return t("eng.days_left", lang, n=left)
    if left == 0:
        return t("eng.ends_today", lang)
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


# ----- wrapping Japanese text -------------------------------------------------------------------
# Kinsoku shori (禁則処理): characters that must not begin a line (closing brackets, punctuation,
# small kana, the prolonged sound mark) and ones that must not end one (opening brackets).
NO_LINE_START = frozenset(
    "。、，．・：；？！?!,.:;)]}）］｝」』】〕〉》〙〗’”ー〜～々ゝゞヽヾ…"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
)
NO_LINE_END = frozenset("([{（［｛「『【〔〈《〘〖‘“")


def _atoms(text: str, keep: tuple[str, ...]) -> list[str]:
    """Graphemes, except that each occurrence of a `keep` string is one atom."""
    from ..textwidth import graphemes

    if not keep:
        return list(graphemes(text))
    pattern = re.compile("|".join(re.escape(k) for k in sorted(keep, key=len, reverse=True)))
    atoms: list[str] = []
    at = 0
    for m in pattern.finditer(text):
        atoms += graphemes(text[at:m.start()])
        atoms.append(m.group())
        at = m.end()
    return atoms + list(graphemes(text[at:]))


def _units(text: str, keep: tuple[str, ...] = ()) -> list[str]:
    """The pieces a line may break between: a run of ASCII without spaces (an ISO date, a URL, an
    English word with its brackets and punctuation, "item(s)") stays whole, each other character
    is its own piece, a space is a piece of its own, and so is each `keep` string (a person's
    name, "望月 浩二", is never broken at its space); closing punctuation sticks to the piece
    before it, opening brackets to the piece after."""
    pieces: list[str] = []
    for ch in _atoms(text, keep):  # an emoji sequence or a base with its accents is one piece
        if len(ch) > 1 and ch in keep:
            pieces.append(ch)
            continue
        word = ch.isascii() and not ch.isspace()
        if word and pieces and pieces[-1][-1].isascii() and not pieces[-1][-1].isspace():
            pieces[-1] += ch
        else:
            pieces.append(ch)
    units: list[str] = []
    for piece in pieces:
        if units and piece[0] in NO_LINE_START and not units[-1].isspace():
            units[-1] += piece
        elif units and units[-1][-1] in NO_LINE_END and not piece.isspace():
            units[-1] += piece
        else:
            units.append(piece)
    return units


def _fold(unit: str, width: int) -> list[str]:
    """A piece wider than a whole line, cut by characters; kinsoku still holds where it can
    (a closing mark pulls the character before it onto the new line)."""
    from ..textwidth import cell_width, graphemes

    lines: list[str] = []
    line: list[str] = []  # graphemes: a cut never splits one
    for ch in graphemes(unit):
        if line and cell_width("".join(line) + ch) > width:
            carry: list[str] = []
            while len(line) > 1 and (ch in NO_LINE_START or line[-1] in NO_LINE_END) and not carry:
                carry, line = [line[-1]], line[:-1]
            lines.append("".join(line))
            line = carry
        line.append(ch)
    if line:
        lines.append("".join(line))
    return lines


def wrap(text: str, width: int, keep: Iterable[str] = ()) -> list[str]:
    """Lines of at most `width` terminal cells: Japanese may break between any two characters
    except where kinsoku forbids it (no line starts with 。、）」 etc., none ends with （「), and a
    run of ASCII (a date such as 2026-12-31, a word) is not broken unless it is wider than a line;
    nor is a `keep` string (a name). Spaces at the break are dropped; the text's own newlines are
    kept."""
    from ..textwidth import cell_width

    width = max(1, width)
    kept = tuple(k for k in keep if k and "\n" not in k)
    out: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for unit in _units(paragraph, kept):
            w = cell_width(unit)
            if unit.isspace():
                if line and used + w <= width:
                    line += unit
                    used += w
                elif line:
                    out.append(line.rstrip())
                    line, used = "", 0
                continue
            if used + w > width and line.strip():
                out.append(line.rstrip())
                line, used = "", 0
            if w > width:
                *full, line = _fold(unit, width)
                out.extend(full)
                used = cell_width(line)
                continue
            line += unit
            used += w
        out.append(line.rstrip())
    return out

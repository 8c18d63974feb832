"""Terminal cell widths: Japanese (East Asian wide/full-width) characters take two cells."""

from __future__ import annotations

import unicodedata
from typing import Iterable, Sequence


def cell_width(text: str) -> int:
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def column_width(header: str, values: Iterable[str]) -> int:
    """The cells a column needs to show its header and every value whole."""
    return max([cell_width(header), *(cell_width(v) for v in values)])


def truncate(text: str, width: int) -> str:
    if cell_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def pad(text: str, width: int, align: str = "<") -> str:
    text = truncate(text, width)
    gap = " " * (width - cell_width(text))
    return gap + text if align == ">" else text + gap


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]], aligns: str = "", max_width: int = 40) -> str:
    """A plain-text table whose columns line up in a terminal, Japanese included."""
    # User text (names, titles) is shown safe before it is measured: a control character
    # becomes a one-cell picture, and the columns still line up.
    from .usertext import shown

    headers = [shown(h) for h in headers]
    rows = [[shown(cell) for cell in row] for row in rows]
    columns = len(headers)
    aligns = aligns.ljust(columns, "<")
    widths = [min(max_width, column_width(headers[c], (r[c] for r in rows))) for c in range(columns)]
    lines = ["  ".join(pad(headers[c], widths[c], aligns[c]) for c in range(columns)).rstrip()]
    lines.append("  ".join("-" * widths[c] for c in range(columns)))
    for row in rows:
        lines.append("  ".join(pad(row[c], widths[c], aligns[c]) for c in range(columns)).rstrip())
    return "\n".join(lines)

"""Terminal cell widths, measured as Textual measures them (rich.cells): a column the CLI or a
view lines up is the width the TUI draws.  Japanese takes two cells, a zero-width space none,
an emoji sequence joined by ZWJ (👨‍👩‍👧‍👦) two, as one grapheme."""

from __future__ import annotations

from typing import Iterable, Sequence

from rich.cells import cell_len, chop_cells, split_graphemes


def cell_width(text: str) -> int:
    """The cells `text` takes on screen: the measure Textual lays out and crops with."""
    return cell_len(text)


def graphemes(text: str) -> list[str]:
    """`text` in the pieces a terminal draws as one: a line may break between them, never inside."""
    spans, _ = split_graphemes(text)
    return [text[start:end] for start, end, _ in spans]


def column_width(header: str, values: Iterable[str]) -> int:
    """The cells a column needs to show its header and every value whole."""
    return max([cell_width(header), *(cell_width(v) for v in values)])


def truncate(text: str, width: int) -> str:
    """`text` cut to `width` cells with "…", never inside a grapheme (nor half a wide character)."""
    if cell_width(text) <= width:
        return text
    return (chop_cells(text, width - 1)[0] if width > 1 else "") + "…"


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

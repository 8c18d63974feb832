"""How the dashboard and the engagement screen colour what the views computed (display only).

User text is always wrapped in `Text` so a "[" in a name is shown, never read as markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from xtalent.i18n import t
from xtalent.textwidth import cell_width
from xtalent.views.text import wrap
from xtalent.vocabulary import Stage
from xtalent.usertext import shown

if TYPE_CHECKING:  # the dashboard, painted first, needs neither the chart nor the matrix
    from xtalent.views.band import Segment, Tile
    from xtalent.views.load import ChartRow

SEVERITY_STYLE = {"critical": "bold red", "warning": "yellow", "info": "cyan"}
SEVERITY_MARK = {"critical": "●", "warning": "▲", "info": "·"}

# From not started (dim) through the climb (yellow → green) to verified (bold green).
STAGE_STYLE = {
    Stage.NOT_STARTED: "dim",
    Stage.DOCUMENTED: "red",
    Stage.SHADOWING: "dark_orange",
    Stage.TOGETHER: "yellow",
    Stage.SUPPORTED: "chartreuse3",
    Stage.INDEPENDENT: "green",
    Stage.VERIFIED: "bold green",
}


def plain(value: object, style: str = "") -> Text:
    """User text, never markup; "…" where a narrow column cuts it."""
    return Text(shown(value), style=style, end="", overflow="ellipsis", no_wrap=True)


def badges(pairs: list[tuple[str, int]], labels: bool = False) -> Text:
    """"●2 ▲3 ·1": warning counts by severity, most serious first, coloured; with `labels`, the
    legend instead ("●重大 ▲警告 ·情報")."""
    text = Text(end="")
    for n, (severity, count) in enumerate(pairs):
        if n:
            text.append(" ")
        shown = t(f"pitfall.severity.{severity}") if labels else str(count)
        text.append(f"{SEVERITY_MARK.get(severity, '?')}{shown}", style=SEVERITY_STYLE.get(severity, ""))
    return text


def severity_text(severity: str, label: str) -> Text:
    return Text(f"{SEVERITY_MARK.get(severity, '?')} {label}", style=SEVERITY_STYLE.get(severity, ""), end="")


def progress(text_bar: str, ratio: float) -> Text:
    """"███░░ 3/7": the filled part coloured by how far along, the rest dim."""
    bar, _, counts = text_bar.partition(" ")
    filled = len(bar.rstrip("░"))
    style = "green" if ratio >= 0.8 else "yellow" if ratio >= 0.4 else "red"
    text = Text(bar[:filled], style=style, end="")
    text.append(bar[filled:], style="dim")
    text.append(f" {counts}")
    return text


def readiness(score: int | None) -> Text:
    if score is None:
        return Text("—", style="dim", end="")
    style = "green" if score >= 70 else "yellow" if score >= 40 else "bold red"
    return Text(str(score), style=style, end="")


def stage_text(stage: Stage | None, full: bool = False) -> str:
    """"4 自走" (short) or "4 自走・支援あり" (the ladder's own words, where there is room)."""
    from xtalent.views.matrix import full_stage, short_stage

    return full_stage(stage) if full and stage is not None else short_stage(stage)


def stage_cell(stage: Stage | None, full: bool = False) -> Text:
    if stage is None:
        return Text("·", style="dim", end="")
    return Text(stage_text(stage, full), style=STAGE_STYLE[stage], end="")


class Marked:
    """Items each led by a mark ("✗ "), wrapped when drawn to the width they get by the core's
    wrap(): the mark stays on the line of its text (Rich alone moves a long Japanese sentence
    to the next line and leaves the mark alone), the text's further lines under the text."""

    def __init__(self, mark: str, items: Iterable[str], style: str = "") -> None:
        self.mark, self.items, self.style = mark, list(items), style

    def __str__(self) -> str:
        return "\n".join(self.mark + item for item in self.items)

    def lines(self, width: int) -> list[str]:
        indent = cell_width(self.mark)
        out: list[str] = []
        for item in self.items:
            first, *rest = wrap(item, max(1, width - indent)) or [""]
            out.append(self.mark + first)
            out.extend(" " * indent + line for line in rest)
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text("\n".join(self.lines(options.max_width)), style=self.style, no_wrap=True, overflow="ellipsis")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((cell_width(self.mark + line) for item in self.items for line in item.split("\n")), default=0)
        return Measurement(min(cell_width(self.mark) + 1, options.max_width), min(widest, options.max_width))


def wrapped(text: str, width: int, style: str = "") -> Text:
    """User text wrapped to `width` cells by the core's wrap() (kinsoku: no line starts with
    。、）, dates stay whole), never read as markup."""
    return Text("\n".join(wrap(shown(text, multiline=True), width)), style=style, end="", no_wrap=True, overflow="ellipsis")


class Wrapped:
    """A message wrapped when it is drawn, to the width it gets, by the core's wrap(): kinsoku, and
    each `keep` string (a person's or a file's name) unbroken — Rich alone breaks "望月 浩二" at
    its space and "checklist.xlsx" anywhere."""

    def __init__(self, text: str, keep: Iterable[str] = (), style: str = "") -> None:
        self.text, self.keep, self.style = text, tuple(keep), style

    def __str__(self) -> str:
        return self.text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # Ends with a newline: Textual counts a renderable's lines by its newlines.
        yield Text("\n".join(wrap(self.text, options.max_width, self.keep)), style=self.style, no_wrap=True,
                   overflow="ellipsis")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((cell_width(line) for line in self.text.split("\n")), default=0)
        longest_kept = max((cell_width(k) for k in self.keep), default=1)
        return Measurement(min(longest_kept, options.max_width), min(widest, options.max_width))


def labelled(label_text: str, body: str, width: int, label_style: str = "bold") -> Text:
    """"理由: …" wrapped to `width`: the body follows its label on the same line."""
    lines = wrap(f"{label_text} {shown(body, multiline=True)}", width)
    text = Text(end="", no_wrap=True, overflow="ellipsis")
    first = lines[0] if lines else ""
    if first.startswith(label_text):
        text.append(label_text, style=label_style)
        text.append(first[len(label_text):])
    else:
        text.append(first)
    for line in lines[1:]:
        text.append("\n" + line)
    return text


def flow(pieces: list[Text], separator: Text, width: int) -> Text:
    """Pieces laid out left to right, a line broken only between pieces (a legend such as
    "0 未着手 → 1 文書化 → …" never splits "6 検証済み")."""
    out = Text(end="", no_wrap=True, overflow="ellipsis")
    used = 0
    for n, piece in enumerate(pieces):
        sep = separator if n else Text("")
        if used and used + sep.cell_len + piece.cell_len > width:
            out.append("\n")
            used, sep = 0, Text("")
        out.append_text(sep)
        out.append_text(piece)
        used += sep.cell_len + piece.cell_len
    return out


def countdown(text: str, days_left: int) -> Text:
    style = "dim" if days_left < 0 else "bold red" if days_left <= 30 else "yellow" if days_left <= 90 else ""
    return Text(text, style=style, end="")


def chart_line(row: ChartRow) -> Text:
    """One month of the load chart: label, bar (in scope █, out of scope ▒, contracted │), note."""
    text = Text(f"{row.label} ", end="")
    bar = row.text()
    style_in = "bold red" if row.over else "green"
    text.append(bar[: row.in_cells], style=style_in)
    text.append(bar[row.in_cells : row.in_cells + row.out_cells], style="bold red" if row.over else "yellow")
    text.append(bar[row.in_cells + row.out_cells :], style="dim")
    text.append(f" {row.note}", style="bold red" if row.over else "")
    return text


# The summary band's tones (xtalent/views/band.py): the severities' own colours, and three more.
BAND_STYLE = {**SEVERITY_STYLE, "overdue": "bold red", "ending": "yellow", "good": "green"}


def band_tile(tile: "Tile") -> Text:
    """A tile of the band: its title in bold, then its lines (labels and values aligned)."""
    text = Text(end="", no_wrap=True, overflow="ellipsis")
    text.append(tile.title, style="bold")
    for line, aligned in zip(tile.lines, tile.texts()):
        text.append("\n")
        text.append(aligned, style=BAND_STYLE.get(line.tone, ""))
    return text


def band_line(parts: "list[Segment]") -> Text:
    """The band as one line (its segments already fitted to the width)."""
    from xtalent.views.band import gap_before

    text = Text(end="", no_wrap=True, overflow="ellipsis")
    for n, part in enumerate(parts):
        if n:
            text.append(gap_before(parts[n - 1], part))
        text.append(part.text, style=BAND_STYLE.get(part.tone, ""))
    return text

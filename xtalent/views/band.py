"""The dashboard's summary band: the engagements the list shows, counted.

By status and by their most serious warning, the terms ending within 90 days (the nearest
named), the know-how items overdue, and 分身 today with its change over the 年度.  Everything
comes from the dashboard rows alone — the row cache holds what the band needs — so the band
costs nothing at a first paint and is fresh whenever the rows are (a save refreshes the rows it
changed).  It summarises exactly the rows the list shows: the filter, the 年度 and the search
narrow both alike.

Two shapes: tiles side by side where the terminal is wide and tall enough, else one line that
drops its least telling parts to fit (and carries the warning marks' legend).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable

from ..dates import fiscal_year
from ..i18n import t
from ..textwidth import cell_width, pad
from ..usertext import shown
from ..vocabulary import Lifecycle
from .dashboard import ENDING_WITHIN_DAYS, SEVERITY_MARKS, DashboardRow, Filter, fiscal_year_label, keep
from .signals import SEVERITIES

NONE = "none"  # an engagement without any warning
NEAREST_SHOWN = 3  # the terms ending soonest, named in the tile
TILE_GAP = 1  # cells between tiles


@dataclass(frozen=True)
class Band:
    engagements: int
    by_status: dict[str, int]  # Lifecycle value -> engagements, in Lifecycle order, all present
    by_severity: dict[str, int]  # the most serious warning (or NONE) -> engagements
    ending: list[DashboardRow]  # in term and ending within ENDING_WITHIN_DAYS, the nearest first
    overdue_items: int  # know-how items past their due date below 自立, open engagements only
    overdue_engagements: int
    bunshin: int | None  # 分身 today, from the stage history (None: no rows)
    year: int  # the 年度 whose change is given: the dashboard's 年度 filter, else the current one
    current_year: int  # today's 年度
    bunshin_change: int | None  # since that 年度 began (None: it has not begun)
    bunshin_before: int | None  # at the end of the 年度 before it


def worst(row: DashboardRow) -> str:
    """The most serious severity among the row's warnings, or NONE."""
    return next((s for s in SEVERITIES if row.warnings.get(s, 0)), NONE)


def _total(values: Iterable[int | None]) -> int | None:
    values = list(values)
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def band(rows: Iterable[DashboardRow], today: date, year: int | None = None) -> Band:
    """The band of `rows` (the ones the list shows) as of `today`; `year` is the 年度 filter."""
    rows = list(rows)
    current = fiscal_year(today)
    year = current if year is None else year
    open_rows = [r for r in rows if not r.closed]  # a closed engagement is a record, not an alarm
    by_status = {status.value: 0 for status in Lifecycle}
    by_severity = {severity: 0 for severity in (*SEVERITIES, NONE)}
    for row in rows:
        by_status[row.status] = by_status.get(row.status, 0) + 1
        by_severity[worst(row)] += 1
    ending = sorted((r for r in rows if keep(r, Filter.ENDING)), key=lambda r: (r.days_left, r.person))
    now = _total(r.bunshin_at_end_of(current) for r in rows) if rows else None
    end = _total(r.bunshin_at_end_of(year) for r in rows)
    before = _total(r.bunshin_at_end_of(year - 1) for r in rows)
    return Band(
        engagements=len(rows),
        by_status=by_status,
        by_severity=by_severity,
        ending=ending,
        overdue_items=sum(r.items_overdue for r in open_rows),
        overdue_engagements=sum(1 for r in open_rows if r.items_overdue),
        bunshin=now,
        year=year,
        current_year=current,
        bunshin_change=None if end is None or before is None else end - before,
        bunshin_before=before,
    )


# ----- the band as text (the screen adds colour by `tone`) ------------------------------------


@dataclass(frozen=True)
class Line:
    label: str
    value: str = ""
    tone: str = ""  # a severity, "overdue", "ending", "good" or "" (plain)


@dataclass(frozen=True)
class Tile:
    key: str
    title: str
    lines: list[Line]

    def texts(self) -> list[str]:
        """Each line as one string: labels padded to one cell width, values right-aligned."""
        labels = max((cell_width(line.label) for line in self.lines if line.value), default=0)
        values = max((cell_width(line.value) for line in self.lines), default=0)
        return [
            f"{pad(line.label, labels)}  {pad(line.value, values, '>')}" if line.value else line.label
            for line in self.lines
        ]

    def width(self) -> int:
        return max([cell_width(self.title), *(cell_width(text) for text in self.texts())])


def _count(n: int, lang: str | None) -> str:
    return t("band.engagements", lang, n=n)


def signed(n: int) -> str:
    return f"+{n}" if n > 0 else "±0" if n == 0 else f"−{-n}"


def tiles(b: Band, lang: str | None = None) -> list[Tile]:
    """The wide band: status, warnings, terms ending, items overdue, 分身."""
    status = [Line(t(f"lifecycle.short.{s}", lang), _count(n, lang)) for s, n in b.by_status.items() if n]
    severity = [
        Line(t(f"band.worst.{s}", lang), _count(n, lang), tone=s if n and s != NONE else "")
        for s, n in b.by_severity.items()
    ]
    ending = [Line(t("band.ending_count", lang), _count(len(b.ending), lang), tone="ending" if b.ending else "")]
    for row in b.ending[:NEAREST_SHOWN]:
        ending.append(Line(shown(row.person), row.countdown(lang)))
    if len(b.ending) > NEAREST_SHOWN:
        ending.append(Line(t("band.more", lang, n=len(b.ending) - NEAREST_SHOWN)))
    overdue = [
        Line(t("band.overdue_items", lang), t("band.items", lang, n=b.overdue_items),
             tone="overdue" if b.overdue_items else ""),
        Line(t("band.overdue_engagements", lang), _count(b.overdue_engagements, lang)),
    ]
    year = fiscal_year_label(b.year, lang)
    bunshin = [Line(t("band.bunshin_now", lang), t("band.people", lang, n=b.bunshin) if b.bunshin is not None else "—")]
    if b.bunshin_change is not None:
        bunshin.append(Line(t("band.bunshin_change", lang, year=year), t("band.people", lang, n=signed(b.bunshin_change)),
                            tone="good" if b.bunshin_change > 0 else ""))
    else:
        bunshin.append(Line(t("band.bunshin_change", lang, year=year), "—"))
    if b.bunshin_before is not None and b.year - 1 < b.current_year:  # a 年度 that has ended
        previous = fiscal_year_label(b.year - 1, lang)
        bunshin.append(Line(t("band.bunshin_before", lang, year=previous), t("band.people", lang, n=b.bunshin_before)))
    return [
        Tile("status", t("band.title.status", lang), status or [Line("—")]),
        Tile("severity", t("band.title.severity", lang), severity),
        Tile("ending", t("band.title.ending", lang, days=ENDING_WITHIN_DAYS), ending),
        Tile("overdue", t("band.title.overdue", lang), overdue),
        Tile("bunshin", t("band.title.bunshin", lang), bunshin),
    ]


def tiles_width(parts: list[Tile], padding: int = 2) -> int:
    """The cells the tiles take side by side, each with `padding` cells on either side."""
    return sum(tile.width() + 2 * padding for tile in parts) + TILE_GAP * (len(parts) - 1)


@dataclass(frozen=True)
class Segment:
    key: str
    text: str
    tone: str = ""
    short: str | None = None  # a shorter text, tried before the segment is dropped


def segments(b: Band, lang: str | None = None) -> list[Segment]:
    """The narrow band, in display order: the warning marks with their labels first (the legend
    of the list's 警告 column), then terms ending, overdue, 分身 and the statuses."""
    out = [
        Segment(f"severity.{s}", t("band.short.severity", lang, mark=SEVERITY_MARKS[s], name=t(f"pitfall.severity.{s}", lang),
                                   n=b.by_severity[s]), tone=s)
        for s in SEVERITIES
    ]
    out.append(Segment("ending", t("band.short.ending", lang, days=ENDING_WITHIN_DAYS, n=len(b.ending)),
                       tone="ending" if b.ending else ""))
    out.append(Segment("overdue", t("band.short.overdue", lang, n=b.overdue_items), tone="overdue" if b.overdue_items else ""))
    if b.bunshin is not None:
        alone = t("band.short.bunshin", lang, n=b.bunshin, change="")
        change = "" if b.bunshin_change is None else t("band.short.change", lang, n=signed(b.bunshin_change))
        out.append(Segment("bunshin", t("band.short.bunshin", lang, n=b.bunshin, change=change),
                           tone="good" if (b.bunshin_change or 0) > 0 else "", short=alone if change else None))
    statuses = [t("band.short.status", lang, name=t(f"lifecycle.short.{s}", lang), n=n) for s, n in b.by_status.items() if n]
    if statuses:
        out.append(Segment("status", " ".join(statuses)))
    return out


SEPARATOR = "  "  # between segments; the three severities (one legend) are one space apart
# What gives way first when the line is too long: the statuses (the status line names the
# filter), then the 年度's change of 分身, the items overdue, 分身 itself; the legend and the
# terms ending stay.
SHORTEN_ORDER = ("status", "bunshin", "overdue", "bunshin", "ending")


def fit(parts: list[Segment], width: int) -> list[Segment]:
    """The segments that fit in `width` cells: each in SHORTEN_ORDER shortened if it can be,
    else dropped, until the line fits."""
    parts = list(parts)
    for key in SHORTEN_ORDER:
        if line_width(parts) <= width:
            break
        parts = [
            Segment(p.key, p.short, p.tone) if p.key == key and p.short else p
            for p in parts
            if p.key != key or p.short
        ]
    return parts


def gap_before(previous: Segment, part: Segment) -> str:
    both_severity = previous.key.startswith("severity.") and part.key.startswith("severity.")
    return " " if both_severity else SEPARATOR


def line_width(parts: list[Segment]) -> int:
    return sum(cell_width(p.text) for p in parts) + sum(cell_width(gap_before(a, b)) for a, b in zip(parts, parts[1:]))


def line_text(parts: list[Segment]) -> str:
    out = parts[0].text if parts else ""
    for a, b in zip(parts, parts[1:]):
        out += gap_before(a, b) + b.text
    return out

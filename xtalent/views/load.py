"""The log, and the monthly load it adds up to against the contracted time.

Contracted time per month is xtalent.contracted's (the hours, else the days × 7h45m).  The
chart covers the months of the term up to today (the last twelve at most).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..contracted import HOURS_PER_DAY, minutes_per_month
from ..i18n import t
from ..labels import label

if TYPE_CHECKING:  # annotations only
    from ..models import Engagement
from .text import minutes_text

CHART_MONTHS = 12


@dataclass(frozen=True)
class LogRow:
    id: str
    on: date
    kind: str
    from_department: str
    topic: str
    in_scope: bool
    target: str
    minutes: int
    attendees: str = ""
    advice: str = ""
    next_steps: str = ""


def log_rows(engagement: Engagement, lang: str | None = None) -> list[LogRow]:
    """Newest first."""
    targets = engagement.target_by_id()
    rows = [
        LogRow(
            id=e.id,
            on=e.on,
            kind=label(e.kind, lang),
            from_department=e.from_department,
            topic=e.topic,
            in_scope=e.in_scope,
            target=targets[e.target_id].title if e.target_id in targets else "",
            minutes=e.minutes,
            attendees=e.attendees,
            advice=e.advice,
            next_steps=e.next_steps,
        )
        for e in engagement.log
    ]
    return sorted(rows, key=lambda r: (r.on, r.id), reverse=True)


def contracted_minutes(engagement: Engagement, hours_per_day: float = HOURS_PER_DAY) -> int | None:
    minutes = minutes_per_month(engagement, hours_per_day)
    return None if minutes is None else int(round(minutes))


@dataclass(frozen=True)
class MonthLoad:
    month: date  # the first day of the month
    in_scope: int  # minutes
    out_of_scope: int
    entries: int
    contracted: int | None

    @property
    def total(self) -> int:
        return self.in_scope + self.out_of_scope

    @property
    def ratio(self) -> float | None:
        return self.total / self.contracted if self.contracted else None

    @property
    def over(self) -> bool:
        return self.contracted is not None and self.total > self.contracted


def _month(d: date) -> date:
    return d.replace(day=1)


def _next(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def monthly_load(engagement: Engagement, today: date, months: int = CHART_MONTHS) -> list[MonthLoad]:
    last = _month(min(engagement.term_end, today))
    first = _month(engagement.term_start)
    if last < first:
        return []  # not started yet
    span: list[date] = []
    month = first
    while month <= last:
        span.append(month)
        month = _next(month)
    span = span[-months:]
    contracted = contracted_minutes(engagement)
    sums = {m: [0, 0, 0] for m in span}
    for entry in engagement.log:
        bucket = sums.get(_month(entry.on))
        if bucket is None:
            continue
        bucket[0 if entry.in_scope else 1] += entry.minutes
        bucket[2] += 1
    return [MonthLoad(m, s[0], s[1], s[2], contracted) for m, s in sums.items()]


@dataclass(frozen=True)
class ChartRow:
    label: str  # "2026-06"
    in_cells: int  # filled with the in-scope share
    out_cells: int  # then the out-of-scope share
    marker: int | None  # the cell index where the contracted time falls
    width: int
    note: str  # "9.5時間 / 16時間 (59%)"
    over: bool

    def text(self, full: str = "█", out: str = "▒", empty: str = " ", mark: str = "│") -> str:
        cells = [full] * self.in_cells + [out] * self.out_cells
        cells += [empty] * (self.width + 1 - len(cells))  # one more cell: room for the marker
        if self.marker is not None and cells[self.marker] == empty:
            cells[self.marker] = mark
        return "".join(cells)


def split_cells(cells: int, in_scope: int, out_of_scope: int) -> int:
    """How many of a bar's `cells` show the in-scope share: proportionate, and each share that is
    not zero keeps at least one cell (when the bar has room for both); a share that is zero never
    shows."""
    total = in_scope + out_of_scope
    if cells <= 0 or total <= 0:
        return 0
    if out_of_scope <= 0:
        return cells
    if in_scope <= 0:
        return 0
    share = int(round(cells * in_scope / total))
    if cells == 1:
        return 1 if in_scope >= out_of_scope else 0
    return max(1, min(cells - 1, share))


def chart(loads: list[MonthLoad], width: int = 24, lang: str | None = None) -> list[ChartRow]:
    """One bar per month scaled to the larger of the contracted time and the busiest month."""
    if not loads:
        return []
    scale = max([load.total for load in loads] + [loads[0].contracted or 0]) or 1
    rows = []
    for load in loads:
        total_cells = min(width, int(round(load.total / scale * width)))
        if load.total and total_cells == 0:
            total_cells = 1
        in_cells = split_cells(total_cells, load.in_scope, load.out_of_scope)
        marker = None
        if load.contracted:
            marker = min(width, int(round(load.contracted / scale * width)))
        if load.contracted:
            note = t("eng.load_note", lang, used=minutes_text(load.total, lang),
                     contracted=minutes_text(load.contracted, lang), pct=int(round(100 * (load.ratio or 0))))
        else:
            note = minutes_text(load.total, lang)
        rows.append(ChartRow(load.month.strftime("%Y-%m"), in_cells, total_cells - in_cells, marker, width, note, load.over))
    return rows

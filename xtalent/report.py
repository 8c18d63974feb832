"""The 年度実績報告 (fiscal-year results report) as data: every engagement whose term
reaches into a 年度, with figures derived from the record only, each with how it was computed.

    build_report(engagements, year, today, lang) -> FiscalReport

The year end is 3/31 of the next calendar year; for a 年度 still running, "year end" figures are
as of `today` (and the report says so).  Indicator values have no history in the record: the
movement shown is baseline → the value recorded now → target.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any, Sequence

from . import contracted, metrics
from .dates import format_fiscal_year, format_wareki
from .i18n import t
from .labels import label
from .models import Engagement, LogKind
from .vocabulary import INDEPENDENT_RANK, STAGE_RANK


def _day(d: date, lang: str) -> str:
    return format_wareki(d) if lang == "ja" else d.isoformat()


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: str
    how: str  # how it was computed from the record


@dataclass(frozen=True)
class TargetMovement:
    title: str
    status: str
    movement: str


@dataclass(frozen=True)
class EngagementYear:
    id: str
    person: str
    type: str
    term: str
    figures: tuple[Figure, ...]
    departments: tuple[tuple[str, int], ...]  # consultations by department, most first
    targets: tuple[TargetMovement, ...]
    numbers: dict[str, float]  # the raw figures, for the totals and typed cells


@dataclass(frozen=True)
class FiscalReport:
    lang: str
    year: int
    title: str
    period: str
    as_of_note: str  # empty once the 年度 has ended
    engagements: tuple[EngagementYear, ...]
    totals: tuple[Figure, ...]


KEYS = (
    "contracted_days", "contracted_hours", "logged_days", "logged_hours", "consultations", "in_scope", "out_of_scope",
    "transferred_start", "transferred_end", "bunshin_start", "bunshin_end", "warnings_end",
)


def _transferred_on(e: Engagement, day: date) -> int:
    if day < e.term_start:
        return 0
    return sum(
        1 for item in e.items
        if max((STAGE_RANK[metrics.stage_on(r, day)] for r in item.receivers), default=0) >= INDEPENDENT_RANK
    )


def _engagement(e: Engagement, year: int, start: date, end: date, today: date, lang: str, settings: Any) -> EngagementYear:
    from .appointments import type_label
    from .pitfalls import evaluate

    months = round(contracted.term_months_in_year(e, year), 1)  # as printed in the "how"
    per_day = contracted.days_per_month(e)
    per_minutes = contracted.minutes_per_month(e)
    log = [g for g in e.log if start <= g.on <= end]
    consultations = [g for g in log if g.kind is LogKind.CONSULTATION]
    day_before = date.fromordinal(start.toordinal() - 1)
    as_of = min(end, today)
    closed = e.closure is not None and e.closure.on <= as_of
    warnings = 0 if closed else len(evaluate(e, as_of, settings=settings, lang=lang))
    numbers: dict[str, float] = {
        "contracted_days": round(per_day * months, 1) if per_day else 0.0,
        "contracted_hours": round(per_minutes / 60 * months, 1) if per_minutes else 0.0,
        "logged_days": float(len({g.on for g in log})),
        "logged_hours": round(sum(g.minutes for g in log) / 60, 1),
        "consultations": float(len(consultations)),
        "in_scope": float(sum(1 for g in consultations if g.in_scope)),
        "out_of_scope": float(sum(1 for g in consultations if not g.in_scope)),
        "transferred_start": float(_transferred_on(e, day_before)),
        "transferred_end": float(_transferred_on(e, as_of)),
        "bunshin_start": float(len(metrics.bunshin_on(e, day_before))),
        "bunshin_end": float(len(metrics.bunshin_on(e, as_of))),
        "warnings_end": float(warnings),
    }
    params = {"months": _num(round(months, 1)), "per_day": _num(per_day or 0), "per_hours": _num(round((per_minutes or 0) / 60, 1)),
              "start": _day(day_before, lang), "end": _day(as_of, lang)}
    figures = tuple(
        Figure(key, t(f"report.figure.{key}", lang), _num(numbers[key]), t(f"report.how.{key}", lang, **params))
        for key in KEYS
    )
    departments = Counter(g.from_department or t("report.no_department", lang) for g in consultations)
    targets = []
    for tg in e.targets:
        ind = tg.indicator
        if ind is None:
            movement = t("report.no_indicator", lang)
        else:
            values = [ind.baseline, ind.current, ind.target]
            movement = f"{ind.name}: " + " → ".join("—" if v is None else _num(v) + ind.unit for v in values)
        targets.append(TargetMovement(tg.title, label(tg.status, lang), movement))
    return EngagementYear(
        id=e.id,
        person=e.person.name,
        type=type_label(e.appointment_type, lang=lang),
        term=t("export.term", lang, start=_day(e.term_start, lang), end=_day(e.term_end, lang)),
        figures=figures,
        departments=tuple(sorted(departments.items(), key=lambda kv: (-kv[1], kv[0]))),
        targets=tuple(targets),
        numbers=numbers,
    )


def build_report(engagements: Sequence[Engagement], year: int, today: date, lang: str, settings: Any = None) -> FiscalReport:
    start, end = date(year, 4, 1), date(year + 1, 3, 31)
    chosen = sorted((e for e in engagements if e.term_start <= end and e.term_end >= start), key=lambda e: (e.term_start, e.id))
    parts = tuple(_engagement(e, year, start, end, today, lang, settings) for e in chosen)
    totals = tuple(
        Figure(key, t(f"report.figure.{key}", lang), _num(round(sum(p.numbers[key] for p in parts), 1)), t("report.how.total", lang))
        for key in KEYS
    )
    fy = format_fiscal_year(start, lang)
    return FiscalReport(
        lang=lang,
        year=year,
        title=t("report.title", lang, fy=fy),
        period=t("export.term", lang, start=_day(start, lang), end=_day(end, lang)),
        as_of_note=t("report.as_of", lang, date=_day(today, lang)) if today < end else "",
        engagements=parts,
        totals=totals,
    )

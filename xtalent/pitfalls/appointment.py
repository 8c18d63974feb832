"""Appointment types (任用・契約の類型): each scheme's own limits, kept while the engagement runs.

A 地域情報化アドバイザー is a ministry dispatch of a few days per project, not a resident member
of staff; a 地域活性化起業人 has a term of six months to three years and a minimum monthly time;
a 会計年度任用職員's term ends with its 年度 and the person must be told in time whether they are
appointed again.  The numbers are the type's (xtalent/appointments.py; settings may vary them).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from ..appointments import contracted_problems, term_problems, type_label, type_rule
from ..contracted import days_per_month, dispatch_days_allowed, term_months_in_year
from ..dates import add_days, fiscal_year, format_fiscal_year
from ..i18n import get_language
from ..models import Engagement
from ..settings import PitfallSettings
from .base import Aspect, Deferred, Finding, Severity, Titles, snapshot
from .registry import rule


class TypeText(Deferred):
    """The type's name or its rule, in the language the finding is read in."""

    __slots__ = ("key", "types", "what")

    def __init__(self, key: str, types: dict[str, Any], what: str = "label") -> None:
        self.key, self.types, self.what = key, types, what

    def render(self, lang: str | None) -> str:
        return (type_label if self.what == "label" else type_rule)(self.key, self.types, lang)


class FiscalYear(Deferred):
    __slots__ = ("year",)

    def __init__(self, year: int) -> None:
        self.year = year

    def render(self, lang: str | None) -> str:
        return format_fiscal_year(date(self.year, 4, 1), lang or get_language())


class _Project:
    __slots__ = ("id", "title")

    def __init__(self, record_id: str | None, title: str) -> None:
        self.id, self.title = record_id, title


def _num(value: float) -> str:
    return f"{value:g}"


@rule("appointment-term-outside", Aspect.PROMOTION_STRUCTURE, severities=(Severity.WARNING,))
def appointment_term_outside(
    engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None
) -> list[Finding]:
    snap = snapshot(engagement, today, settings)
    problems = term_problems(engagement.appointment_type, engagement.term_start, engagement.term_end, snap.types)
    if not problems:
        return []
    key = engagement.appointment_type
    first = problems[0]
    variant = "message_fiscal_year" if first.key.endswith("fiscal_year") else "message_range"
    return [
        appointment_term_outside.finding(
            engagement, Severity.WARNING, lang, variant=variant,
            facts={"appointment_type": key, "problems": [p.key for p in problems],
                   "term_start": engagement.term_start.isoformat(), "term_end": engagement.term_end.isoformat()},
            type=TypeText(key, snap.types), rule=TypeText(key, snap.types, "rule"),
            months=first.params.get("months", ""), end=first.params.get("end", ""),
        )
    ]


@rule("contracted-time-below-type", Aspect.PROMOTION_STRUCTURE, severities=(Severity.WARNING,))
def contracted_time_below_type(
    engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None
) -> list[Finding]:
    snap = snapshot(engagement, today, settings)
    if snap.ended:
        return []
    key = engagement.appointment_type
    problems = contracted_problems(key, engagement.days_per_month, engagement.hours_per_month, snap.types)
    if not problems:
        return []
    first = problems[0]
    return [
        contracted_time_below_type.finding(
            engagement, Severity.WARNING, lang, variant="message_days" if "days" in first.params else "message_hours",
            facts={"appointment_type": key, "days_per_month": engagement.days_per_month,
                   "hours_per_month": engagement.hours_per_month,
                   "min_days_per_month": snap.kind.min_days_per_month,
                   "min_hours_per_month": snap.kind.min_hours_per_month},
            type=TypeText(key, snap.types), rule=TypeText(key, snap.types, "rule"),
            value=first.params.get("days", first.params.get("hours")), min=first.params["min"],
        )
    ]


@rule("dispatch-days-exceeded", Aspect.PROMOTION_STRUCTURE, severities=(Severity.WARNING,))
def dispatch_days_exceeded(
    engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None
) -> list[Finding]:
    # Leaning on a dispatch beyond its scheme is the 丸投げ pitfall in the scheme's own terms.
    snap = snapshot(engagement, today, settings)
    kind = snap.kind
    if kind is None or kind.dispatch_days is None:
        return []
    key = engagement.appointment_type
    out = []
    allowed = dispatch_days_allowed(engagement, kind) or kind.dispatch_days
    per_month = days_per_month(engagement, settings.hours_per_day)
    year = fiscal_year(min(max(today, engagement.term_start), engagement.term_end))
    if per_month:
        planned = per_month * term_months_in_year(engagement, year)
        if planned > allowed + 0.05:
            out.append(
                dispatch_days_exceeded.finding(
                    engagement, Severity.WARNING, lang, variant="message_plan",
                    facts={"fiscal_year": year, "planned_days": round(planned, 1), "allowed_days": allowed,
                           "days_per_month": per_month},
                    fy=FiscalYear(year), per_month=_num(per_month), planned=f"{planned:.0f}",
                    allowed=_num(allowed), limit=_num(kind.dispatch_days), type=TypeText(key, snap.types),
                )
            )
    days: dict[tuple[int, str | None], set[date]] = defaultdict(set)
    minutes: dict[tuple[int, str | None], int] = defaultdict(int)
    online_only: dict[tuple[int, str | None], bool] = defaultdict(lambda: True)
    for entry in engagement.log:
        project = (fiscal_year(entry.on), entry.target_id)
        days[project].add(entry.on)
        minutes[project] += entry.minutes
        online_only[project] = online_only[project] and entry.online
    titles = {tg.id: tg.title for tg in engagement.targets}
    over: dict[int, list[_Project]] = defaultdict(list)
    for (fy, target_id), on in sorted(days.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        online = online_only[(fy, target_id)] and kind.dispatch_online_hours is not None
        exceeded = (minutes[(fy, target_id)] / 60 > (kind.dispatch_online_hours or 0)) if online else len(on) > kind.dispatch_days
        if exceeded:
            over[fy].append(_Project(target_id, titles[target_id] if target_id else engagement.organisation))
    for fy, projects in over.items():
        out.append(
            dispatch_days_exceeded.finding(
                engagement, Severity.WARNING, lang, subjects=[p for p in projects if p.id] or None,
                facts={"fiscal_year": fy, "projects": [p.title for p in projects], "limit_days": kind.dispatch_days,
                       "limit_online_hours": kind.dispatch_online_hours},
                fy=FiscalYear(fy), count=len(projects), projects=Titles(projects), limit=_num(kind.dispatch_days),
                hours=_num(kind.dispatch_online_hours or 0), type=TypeText(key, snap.types),
            )
        )
    return out


@rule("dispatch-report-overdue", Aspect.PROMOTION_STRUCTURE, severities=(Severity.WARNING,))
def dispatch_report_overdue(
    engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None
) -> list[Finding]:
    snap = snapshot(engagement, today, settings)
    kind = snap.kind
    if kind is None or kind.report_due_days is None:
        return []
    cutoff = add_days(today, -kind.report_due_days)
    late = sorted((e for e in engagement.log if e.report_on is None and e.on < cutoff), key=lambda e: e.on)
    if not late:
        return []
    key = engagement.appointment_type
    return [
        dispatch_report_overdue.finding(
            engagement, Severity.WARNING, lang, subjects=late,
            facts={"count": len(late), "log_ids": [e.id for e in late], "oldest": late[0].on.isoformat(),
                   "report_due_days": kind.report_due_days},
            count=len(late), oldest=late[0].on.isoformat(), due=kind.report_due_days, type=TypeText(key, snap.types),
        )
    ]


@rule("reappointment-notice", Aspect.RECEIVING_KNOWHOW, severities=(Severity.WARNING, Severity.CRITICAL))
def reappointment_notice(
    engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None
) -> list[Finding]:
    # A 会計年度任用職員 must be told before expiry whether they are appointed again; without a
    # decision the municipality cannot tell them, and cannot plan who carries the work on.
    snap = snapshot(engagement, today, settings)
    kind = snap.kind
    if kind is None or kind.notice_days is None or engagement.after_term is not None or not snap.in_term:
        return []
    deadline = add_days(engagement.term_end, -kind.notice_days)
    if today < add_days(deadline, -14):
        return []
    passed = today > deadline
    key = engagement.appointment_type
    return [
        reappointment_notice.finding(
            engagement, Severity.CRITICAL if passed else Severity.WARNING, lang,
            variant="message_passed" if passed else "message",
            facts={"deadline": deadline.isoformat(), "notice_days": kind.notice_days, "term_end": snap.term_end_iso},
            deadline=deadline.isoformat(), notice=kind.notice_days, date=snap.term_end_iso,
            type=TypeText(key, snap.types),
        )
    ]

"""Internal coordination (庁内調整): how the person is used must spread through the organisation,
neither overloading them with every department's questions nor leaving them unused."""

from __future__ import annotations

from collections import Counter
from datetime import date

from ..contracted import DAYS_PER_MONTH, minutes_per_month
from ..dates import add_days
from ..models import ContractForm, Engagement, LogKind
from ..settings import PitfallSettings
from .base import Aspect, Finding, Severity, snapshot
from .registry import rule



@rule("consultation-overload", Aspect.INTERNAL_COORDINATION, severities=(Severity.WARNING,))
def consultation_overload(
    engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None
) -> list[Finding]:
    snap = snapshot(engagement, today, settings)
    if not snap.in_term:
        return []
    start = max(engagement.term_start, add_days(today, 1 - settings.overload_window_days))
    window = (today - start).days + 1
    outside, logged, count = 0, 0, 0
    departments: Counter[str] = Counter()
    for entry in engagement.log:
        if not start <= entry.on <= today:
            continue
        logged += entry.minutes
        if entry.kind is LogKind.CONSULTATION and not entry.in_scope:
            outside += entry.minutes
            count += 1
            if entry.from_department:
                departments[entry.from_department] += entry.minutes
    if not outside:
        return []
    per_month = minutes_per_month(engagement, settings.hours_per_day)
    # Without a contracted time, the share of all logged time is the best available measure.
    basis = "contract" if per_month else "logged"
    denominator = per_month * window / DAYS_PER_MONTH if per_month else logged
    share = outside / denominator
    if share < settings.overload_share:
        return []
    top = departments.most_common(1)[0][0] if departments else "-"
    # Under 業務委託, work outside the specification (仕様書) is a contract problem, not only load.
    outsourced = engagement.contract_form is ContractForm.OUTSOURCING
    return [
        consultation_overload.finding(
            engagement, Severity.WARNING, lang, variant=f"message_{basis}",
            action="action_outsourcing" if outsourced else "action",
            facts={"window_days": window, "out_of_scope_minutes": outside, "out_of_scope_count": count,
                   "basis": basis, "basis_minutes": round(denominator), "share": round(share, 3),
                   "top_department": top, "outsourcing": outsourced},
            days=window, hours=f"{outside / 60:.1f}", count=count, basis_hours=f"{denominator / 60:.0f}",
            percent=round(share * 100), department=top,
        )
    ]


@rule("underused", Aspect.INTERNAL_COORDINATION, severities=(Severity.WARNING,))
def underused(engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None) -> list[Finding]:
    snap = snapshot(engagement, today, settings)
    if not snap.in_term:
        return []
    # Only this term's entries count: a renewed engagement's old log says nothing about now.
    start = engagement.term_start
    last = None
    for entry in engagement.log:
        if start <= entry.on <= today and (last is None or entry.on > last):
            last = entry.on
    since = last or engagement.term_start
    idle = (today - since).days
    if idle < settings.underused_days:
        return []
    return [
        underused.finding(
            engagement, Severity.WARNING, lang, variant="message" if last else "message_never",
            facts={"idle_days": idle, "last_entry": last.isoformat() if last else None},
            days=idle, last=since.isoformat(),
        )
    ]

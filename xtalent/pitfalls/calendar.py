"""The fiscal-year calendar (年度): targets are set per 年度, and the next 年度's budget is
requested in the autumn — so a term ending in January–March needs its extension, successor or
post-term support decided before then."""

from __future__ import annotations

from datetime import date

from ..dates import fiscal_year
from ..models import Engagement, TargetStatus
from ..settings import PitfallSettings
from .appointment import FiscalYear
from .base import Aspect, Finding, Severity, Titles, snapshot
from .registry import rule


@rule("budget-cycle-undecided", Aspect.RECEIVING_KNOWHOW, severities=(Severity.INFO, Severity.WARNING))
def budget_cycle_undecided(
    engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None
) -> list[Finding]:
    snap = snapshot(engagement, today, settings)
    end = engagement.term_end
    if engagement.after_term is not None or not snap.in_term or end.month > 3:
        return []
    # The autumn before a term that ends with its 年度: the next 年度's budget is being requested.
    request = date(end.year - 1, settings.budget_prompt_month, 1)
    ahead = date(request.year - (request.month == 1), (request.month - 2) % 12 + 1, 1)  # a month earlier
    if today < ahead:
        return []
    severity = Severity.INFO if today < request else Severity.WARNING
    late = today >= date(end.year, 1, 1)
    return [
        budget_cycle_undecided.finding(
            engagement, severity, lang, variant="message_late" if late else "message",
            facts={"budget_fiscal_year": fiscal_year(end) + 1, "request_from": request.isoformat(), **{
                "days_left": snap.days_left, "term_end": snap.term_end_iso}},
            fy=FiscalYear(fiscal_year(end) + 1), date=snap.term_end_iso,
        )
    ]


@rule("target-fiscal-year", Aspect.PROMOTION_STRUCTURE, severities=(Severity.WARNING,))
def target_fiscal_year(
    engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None
) -> list[Finding]:
    snap = snapshot(engagement, today, settings)
    if snap.ended:
        return []
    now, last = fiscal_year(today), fiscal_year(engagement.term_end)
    open_ = [tg for tg in snap.open_targets if tg.fiscal_year is not None and tg.status is not TargetStatus.ACHIEVED]
    past = [tg for tg in open_ if tg.fiscal_year < now]
    after = [tg for tg in open_ if tg.fiscal_year > last]
    out = []
    if past:
        out.append(
            target_fiscal_year.finding(
                engagement, Severity.WARNING, lang, subjects=past, variant="message_past", action="action_past",
                facts={"count": len(past), "target_ids": [tg.id for tg in past], "fiscal_year": now},
                count=len(past), targets=Titles(past), fy=FiscalYear(now),
            )
        )
    if after:
        out.append(
            target_fiscal_year.finding(
                engagement, Severity.WARNING, lang, subjects=after, variant="message_after", action="action_after",
                facts={"count": len(after), "target_ids": [tg.id for tg in after], "last_fiscal_year": last},
                count=len(after), targets=Titles(after), fy=FiscalYear(last),
            )
        )
    return out

"""Promotion structure (推進体制): what the person is to transform, agreed in advance, with a
goal people can move toward — and not the whole DX dumped on them (丸投げ)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from ..dates import fiscal_year, format_fiscal_year
from ..i18n import get_language
from ..models import Engagement, Owner, Role, ScopeLevel
from ..settings import PitfallSettings
from .base import Aspect, Deferred, Finding, Label, Severity, snapshot, term_clause, term_facts
from .registry import rule

WIDE_SCOPES = (ScopeLevel.ORGANISATION, ScopeLevel.RESIDENTS)


@rule("scope-undefined", Aspect.PROMOTION_STRUCTURE, severities=(Severity.CRITICAL,))
def scope_undefined(engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None) -> list[Finding]:
    snap = snapshot(engagement, today)
    if snap.live_targets:
        return []
    dropped = len(engagement.targets)
    return [
        scope_undefined.finding(
            engagement, Severity.CRITICAL, lang,
            facts={"targets": 0, "dropped": dropped, **term_facts(snap)},
            term=term_clause(snap), dropped=dropped,
            variant="message_dropped" if dropped else "message",
        )
    ]


@rule("target-unagreed", Aspect.PROMOTION_STRUCTURE, severities=(Severity.WARNING,))
def target_unagreed(engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None) -> list[Finding]:
    out = []
    for target in snapshot(engagement, today).open_targets:
        no_date, no_counterpart = target.agreed_on is None, not target.agreed_by
        if not (no_date or no_counterpart):
            continue
        missing = "both" if no_date and no_counterpart else "date" if no_date else "counterpart"
        out.append(
            target_unagreed.finding(
                engagement, Severity.WARNING, lang, subject_id=target.id,
                facts={"missing": missing, "status": target.status.value},
                title=target.title, status=Label(target.status), variant=f"message_{missing}",
            )
        )
    return out


@rule("goal-undefined", Aspect.PROMOTION_STRUCTURE, severities=(Severity.WARNING,))
def goal_undefined(engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None) -> list[Finding]:
    return [
        goal_undefined.finding(engagement, Severity.WARNING, lang, subject_id=target.id, facts={}, title=target.title)
        for target in snapshot(engagement, today).open_targets
        if not target.goal and target.indicator is None
    ]


@rule("goal-unmeasured", Aspect.PROMOTION_STRUCTURE, severities=(Severity.INFO,))
def goal_unmeasured(engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None) -> list[Finding]:
    # "Quantitatively if you can": a goal in words only, or an indicator without the numbers to
    # compare against, cannot be verified with data at the review (ふりかえり).
    out = []
    for target in snapshot(engagement, today).open_targets:
        indicator = target.indicator
        if indicator is None:
            if not target.goal:
                continue  # goal-undefined says it more strongly
            variant = "message"
        elif indicator.baseline is None or indicator.target is None:
            variant = "message_numbers"
        else:
            continue
        out.append(
            goal_unmeasured.finding(
                engagement, Severity.INFO, lang, subject_id=target.id,
                facts={"has_indicator": indicator is not None},
                title=target.title, indicator=indicator.name if indicator else "", variant=variant,
            )
        )
    return out


@rule("wholesale-handover", Aspect.PROMOTION_STRUCTURE, severities=(Severity.WARNING,))
def wholesale_handover(engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None) -> list[Finding]:
    snap = snapshot(engagement, today)
    live = snap.live_targets
    if not live:
        return []  # scope-undefined covers an engagement with no targets
    alone = [tg for tg in live if tg.owner is Owner.EXTERNAL and not tg.staff_ids]
    if len(alone) / len(live) > settings.wholesale_share:
        return [
            wholesale_handover.finding(
                engagement, Severity.WARNING, lang,
                facts={"external_alone": len(alone), "targets": len(live), "target_ids": [tg.id for tg in alone]},
                count=len(alone), total=len(live),
            )
        ]
    everything = [tg for tg in live if tg.scope_level in WIDE_SCOPES and not tg.field_department]
    if len(everything) == len(live):
        return [
            wholesale_handover.finding(
                engagement, Severity.WARNING, lang, variant="message_everything",
                facts={"wide_without_department": len(everything), "targets": len(live)},
                total=len(live),
            )
        ]
    return []


@rule("dispatch-days-exceeded", Aspect.PROMOTION_STRUCTURE, severities=(Severity.WARNING,))
def dispatch_days_exceeded(
    engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None
) -> list[Finding]:
    # A 地域情報化アドバイザー is a ministry dispatch of a few days per project, not a resident
    # member of staff: leaning on them beyond that is the 丸投げ pitfall in the scheme's terms.
    if engagement.role is not Role.REGIONAL_INFO_ADVISOR:
        return []
    limit = settings.dispatch_max_days
    out = []
    if engagement.days_per_month is not None and engagement.days_per_month > limit:
        out.append(
            dispatch_days_exceeded.finding(
                engagement, Severity.WARNING, lang, variant="message_contract",
                facts={"days_per_month": engagement.days_per_month, "limit": limit},
                days=_num(engagement.days_per_month), limit=_num(limit),
            )
        )
    days: dict[tuple[int, str | None], set[date]] = defaultdict(set)
    for entry in engagement.log:
        days[(fiscal_year(entry.on), entry.target_id)].add(entry.on)
    titles = {tg.id: tg.title for tg in engagement.targets}
    for (fy, target_id), on in sorted(days.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        if len(on) <= limit:
            continue
        project = titles[target_id] if target_id else engagement.organisation
        out.append(
            dispatch_days_exceeded.finding(
                engagement, Severity.WARNING, lang, subject_id=target_id,
                facts={"fiscal_year": fy, "days": len(on), "limit": limit, "first": min(on).isoformat(),
                       "last": max(on).isoformat()},
                project=project, fy=FiscalYear(fy), days=len(on), limit=_num(limit),
            )
        )
    return out


def _num(value: float) -> str:
    return f"{value:g}"


class FiscalYear(Deferred):
    __slots__ = ("year",)

    def __init__(self, year: int) -> None:
        self.year = year

    def render(self, lang: str | None) -> str:
        return format_fiscal_year(date(self.year, 4, 1), lang or get_language())

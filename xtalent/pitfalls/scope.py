"""Promotion structure (推進体制): what the person is to transform, agreed in advance, with a
goal people can move toward — and not the whole DX dumped on them (丸投げ)."""

from __future__ import annotations

from datetime import date

from ..models import ChangeTarget, Engagement, Owner, ScopeLevel, TargetStatus
from ..settings import PitfallSettings
from .base import Aspect, Finding, Label, Severity, Titles, snapshot, term_clause, term_facts
from .registry import rule

WIDE_SCOPES = (ScopeLevel.ORGANISATION, ScopeLevel.RESIDENTS)


@rule("scope-undefined", Aspect.PROMOTION_STRUCTURE, severities=(Severity.CRITICAL,))
def scope_undefined(engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None) -> list[Finding]:
    snap = snapshot(engagement, today, settings)
    live = snap.live_targets
    if live and any(tg.status is not TargetStatus.PROPOSED for tg in live):
        return []
    if live:
        # Targets only proposed are a wish list, not "what we agreed they would transform".
        return [
            scope_undefined.finding(
                engagement, Severity.CRITICAL, lang, subjects=live, variant="message_proposed",
                facts={"targets": len(live), "agreed": 0, "target_ids": [tg.id for tg in live], **term_facts(snap)},
                count=len(live), targets=Titles(live), term=term_clause(snap), status=Label(TargetStatus.PROPOSED),
            )
        ]
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
    unagreed = [tg for tg in snapshot(engagement, today, settings).open_targets if tg.agreed_on is None or not tg.agreed_by]
    if not unagreed:
        return []
    missing = {tg.id: "both" if tg.agreed_on is None and not tg.agreed_by else "date" if tg.agreed_on is None
               else "counterpart" for tg in unagreed}
    return [
        target_unagreed.finding(
            engagement, Severity.WARNING, lang, subjects=unagreed,
            facts={"count": len(unagreed), "target_ids": list(missing), "missing": missing},
            count=len(unagreed), targets=Titles(unagreed),
        )
    ]


@rule("goal-undefined", Aspect.PROMOTION_STRUCTURE, severities=(Severity.WARNING,))
def goal_undefined(engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None) -> list[Finding]:
    bare = [tg for tg in snapshot(engagement, today, settings).open_targets if not tg.goal and tg.indicator is None]
    if not bare:
        return []
    return [
        goal_undefined.finding(
            engagement, Severity.WARNING, lang, subjects=bare,
            facts={"count": len(bare), "target_ids": [tg.id for tg in bare]}, count=len(bare), targets=Titles(bare),
        )
    ]


@rule("goal-unmeasured", Aspect.PROMOTION_STRUCTURE, severities=(Severity.INFO,))
def goal_unmeasured(engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None) -> list[Finding]:
    # "Quantitatively if you can": a goal in words only, or an indicator without the numbers to
    # compare against, cannot be verified with data at the review (ふりかえり).
    words: list[ChangeTarget] = []
    numbers: list[ChangeTarget] = []
    for target in snapshot(engagement, today, settings).open_targets:
        indicator = target.indicator
        if indicator is None:
            if target.goal:  # without a goal, goal-undefined says it more strongly
                words.append(target)
        elif indicator.baseline is None or indicator.target is None:
            numbers.append(target)
    out = []
    for variant, found in (("message", words), ("message_numbers", numbers)):
        if found:
            out.append(
                goal_unmeasured.finding(
                    engagement, Severity.INFO, lang, subjects=found, variant=variant,
                    facts={"count": len(found), "target_ids": [tg.id for tg in found],
                           "has_indicator": variant == "message_numbers"},
                    count=len(found), targets=Titles(found),
                )
            )
    return out


def external_alone(engagement: Engagement, live: list[ChangeTarget], settings: PitfallSettings) -> list[ChangeTarget]:
    """The targets behind a 丸投げ finding (owned by the external person alone, no staff), when
    there are enough of them to be one; else empty."""
    alone = [tg for tg in live if tg.owner is Owner.EXTERNAL and not tg.staff_ids]
    return alone if live and len(alone) / len(live) > settings.wholesale_share else []


@rule("wholesale-handover", Aspect.PROMOTION_STRUCTURE, severities=(Severity.WARNING,))
def wholesale_handover(engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None) -> list[Finding]:
    snap = snapshot(engagement, today, settings)
    live = snap.live_targets
    if not live:
        return []  # scope-undefined covers an engagement with no targets
    alone = external_alone(engagement, live, settings)
    if alone:
        return [
            wholesale_handover.finding(
                engagement, Severity.WARNING, lang, subjects=alone,
                facts={"external_alone": len(alone), "targets": len(live), "target_ids": [tg.id for tg in alone]},
                count=len(alone), total=len(live), targets=Titles(alone),
            )
        ]
    everything = [tg for tg in live if tg.scope_level in WIDE_SCOPES and not tg.field_department]
    if len(everything) == len(live):
        return [
            wholesale_handover.finding(
                engagement, Severity.WARNING, lang, variant="message_everything", subjects=everything,
                facts={"wide_without_department": len(everything), "targets": len(live),
                       "target_ids": [tg.id for tg in everything]},
                total=len(live), targets=Titles(everything),
            )
        ]
    return []

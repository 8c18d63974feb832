"""Receiving know-how (the three must-dos): named staff receive each item while the person is
still in post, and climb the ladder to "independent" before the term ends."""

from __future__ import annotations

import math
from datetime import date

from ..dates import add_days
from ..models import STAGE_ORDER, Engagement, KnowHowItem, StructureRole
from ..settings import PitfallSettings
from .base import INDEPENDENT_RANK, Aspect, Finding, Label, Severity, Titles, item_rank, snapshot, term_clause, term_facts
from .registry import rule


def _nearing_end(days_left: int, settings: PitfallSettings) -> bool:
    return 0 <= days_left <= settings.term_ending_critical_days


@rule("no-receiving-structure", Aspect.RECEIVING_KNOWHOW, severities=(Severity.WARNING, Severity.CRITICAL))
def no_receiving_structure(
    engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None
) -> list[Finding]:
    snap = snapshot(engagement, today)
    if not engagement.staff:
        return [
            no_receiving_structure.finding(
                engagement, Severity.CRITICAL, lang, variant="message_no_staff", action="action_no_staff",
                facts={"staff": 0, "leads": 0, **term_facts(snap)}, term=term_clause(snap),
            )
        ]
    if any(s.role is StructureRole.LEAD for s in engagement.staff):
        return []
    return [
        no_receiving_structure.finding(
            engagement, Severity.WARNING, lang, variant="message_no_lead",
            facts={"staff": len(engagement.staff), "leads": 0}, staff=len(engagement.staff),
            lead=Label(StructureRole.LEAD),
        )
    ]


@rule("items-undefined", Aspect.RECEIVING_KNOWHOW, severities=(Severity.WARNING,))
def items_undefined(engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None) -> list[Finding]:
    # Must-do 2: with no know-how item recorded there is nothing to hand over and nothing to check.
    if engagement.items:
        return []
    snap = snapshot(engagement, today)
    return [
        items_undefined.finding(
            engagement, Severity.WARNING, lang, facts={"items": 0, **term_facts(snap)}, term=term_clause(snap)
        )
    ]


@rule("item-without-receiver", Aspect.RECEIVING_KNOWHOW, severities=(Severity.WARNING, Severity.CRITICAL))
def item_without_receiver(
    engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None
) -> list[Finding]:
    orphans = [item for item in engagement.items if not item.receivers]
    if not orphans:
        return []
    snap = snapshot(engagement, today)
    severity = Severity.CRITICAL if _nearing_end(snap.days_left, settings) else Severity.WARNING
    return [
        item_without_receiver.finding(
            engagement, severity, lang,
            facts={"count": len(orphans), "total": len(engagement.items), "item_ids": [i.id for i in orphans],
                   **term_facts(snap)},
            count=len(orphans), total=len(engagement.items), items=Titles(orphans), term=term_clause(snap),
        )
    ]


@rule("single-point-of-knowledge", Aspect.RECEIVING_KNOWHOW, severities=(Severity.INFO, Severity.WARNING))
def single_point_of_knowledge(
    engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None
) -> list[Finding]:
    # Bus factor: an item one person received leaves with that person at the next rotation,
    # even after it reached "independent".
    received = [item for item in engagement.items if item.receivers]
    single = [item for item in received if len(item.receivers) == 1]
    if not single:
        return []
    share = len(single) / len(received)
    severity = Severity.WARNING if share > settings.single_point_share else Severity.INFO
    sole: dict[str, int] = {}
    for item in single:
        staff_id = item.receivers[0].staff_id
        sole[staff_id] = sole.get(staff_id, 0) + 1
    holder_id = max(sole, key=sole.__getitem__)  # the first of equals, as the data lists them
    held = sole[holder_id]
    facts = {"count": len(single), "with_receivers": len(received), "item_ids": [i.id for i in single],
             "holder_id": holder_id, "held": held}
    params = {"count": len(single), "total": len(received), "items": Titles(single)}
    if held >= 2:
        holder = engagement.staff_by_id()[holder_id]
        return [
            single_point_of_knowledge.finding(
                engagement, severity, lang, subject_id=holder_id, variant="message_holder",
                facts=facts, name=holder.name, held=held, **params,
            )
        ]
    return [single_point_of_knowledge.finding(engagement, severity, lang, facts=facts, **params)]


@rule("receiver-rotation-risk", Aspect.RECEIVING_KNOWHOW, severities=(Severity.WARNING,))
def receiver_rotation_risk(
    engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None
) -> list[Finding]:
    horizon = add_days(engagement.term_end, settings.rotation_margin_days)
    if today > horizon:
        return []  # long after the term, a rotation changes nothing the municipality can act on
    rotating = [
        (s, s.rotation_expected) for s in engagement.staff if s.rotation_expected is not None and s.rotation_expected <= horizon
    ]
    if not rotating:
        return []
    held: dict[str, int] = {}
    for item in engagement.items:
        for reception in item.receivers:
            held[reception.staff_id] = held.get(reception.staff_id, 0) + 1
    out = []
    for staff, rotation in rotating:
        if staff.id not in held and staff.role is not StructureRole.LEAD:
            continue
        before = rotation <= engagement.term_end
        gap = abs((engagement.term_end - rotation).days)
        out.append(
            receiver_rotation_risk.finding(
                engagement, Severity.WARNING, lang, subject_id=staff.id,
                variant="message_before" if before else "message_after",
                facts={"rotation_expected": rotation.isoformat(), "term_end": engagement.term_end.isoformat(),
                       "days_from_term_end": (rotation - engagement.term_end).days, "items": held.get(staff.id, 0)},
                name=staff.name, rotation=rotation.isoformat(), term_end=engagement.term_end.isoformat(),
                gap=gap, items=held.get(staff.id, 0),
            )
        )
    return out


@rule("due-after-term", Aspect.RECEIVING_KNOWHOW, severities=(Severity.WARNING,))
def due_after_term(engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None) -> list[Finding]:
    snap = snapshot(engagement, today)
    if snap.ended:
        return []  # the due date no longer plans anything; term-ended-untransferred says what is left
    end = engagement.term_end
    return [
        due_after_term.finding(
            engagement, Severity.WARNING, lang, subject_id=item.id,
            facts={"due": item.due.isoformat(), "term_end": end.isoformat(), "days_after": (item.due - end).days},
            title=item.title, due=item.due.isoformat(), term_end=end.isoformat(), days=(item.due - end).days,
        )
        for item in snap.untransferred
        if item.due is not None and item.due > end
    ]


def _last_move(item: KnowHowItem) -> date | None:
    last = None
    for reception in item.receivers:
        for event in reception.history:
            if last is None or event.on > last:
                last = event.on
    return last


@rule("transfer-stalled", Aspect.RECEIVING_KNOWHOW, severities=(Severity.WARNING,))
def transfer_stalled(engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None) -> list[Finding]:
    snap = snapshot(engagement, today)
    if not snap.in_term:
        return []
    out = []
    for item in snap.untransferred:
        if not item.receivers:
            continue  # item-without-receiver: nobody could have moved it
        last = _last_move(item)
        if last is not None and last < engagement.term_start:
            last = None  # moved before this term (a renewal): "during the term" it has not moved
        since = last or engagement.term_start
        idle = (today - since).days
        if idle < settings.stalled_days:
            continue
        stage = STAGE_ORDER[item_rank(item)]
        since_iso = since.isoformat()
        out.append(
            transfer_stalled.finding(
                engagement, Severity.WARNING, lang, subject_id=item.id,
                variant="message" if last else "message_never",
                facts={"idle_days": idle, "since": since_iso, "stage": stage.value, "days_left": snap.days_left,
                       "term_end": snap.term_end_iso},
                title=item.title, days=idle, since=since_iso, stage=Label(stage), term=snap.term,
            )
        )
    return out


@rule("transfer-pace-behind", Aspect.RECEIVING_KNOWHOW, severities=(Severity.WARNING,))
def transfer_pace_behind(
    engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None
) -> list[Finding]:
    # Pace = ladder steps climbed since the term began, per day; the projection assumes the same
    # pace for the steps still to climb to "independent" on every item.
    snap = snapshot(engagement, today)
    elapsed = (today - engagement.term_start).days
    if not snap.in_term or not snap.untransferred or elapsed < settings.pace_min_elapsed_days:
        return []
    climbed, remaining = snap.steps_climbed, snap.steps_remaining
    facts = {"elapsed_days": elapsed, "steps_climbed": climbed, "steps_remaining": remaining, **term_facts(snap)}
    if climbed == 0:
        return [
            transfer_pace_behind.finding(
                engagement, Severity.WARNING, lang, variant="message_none", facts={**facts, "projected": None},
                days=elapsed, remaining=remaining, term=term_clause(snap),
            )
        ]
    projected = add_days(today, math.ceil(remaining * elapsed / climbed))
    if projected <= engagement.term_end:
        return []
    return [
        transfer_pace_behind.finding(
            engagement, Severity.WARNING, lang, facts={**facts, "projected": projected.isoformat()},
            pace=f"{climbed * 30 / elapsed:.1f}", projected=projected.isoformat(), remaining=remaining,
            term_end=engagement.term_end.isoformat(), late=(projected - engagement.term_end).days,
        )
    ]


@rule("term-ending-untransferred", Aspect.RECEIVING_KNOWHOW, severities=(Severity.WARNING, Severity.CRITICAL))
def term_ending_untransferred(
    engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None
) -> list[Finding]:
    snap = snapshot(engagement, today)
    if not snap.untransferred or not 0 <= snap.days_left <= settings.term_ending_days:
        return []
    severity = Severity.CRITICAL if _nearing_end(snap.days_left, settings) else Severity.WARNING
    return [
        term_ending_untransferred.finding(
            engagement, severity, lang,
            facts={"count": len(snap.untransferred), "total": len(engagement.items),
                   "item_ids": [i.id for i in snap.untransferred], **term_facts(snap)},
            count=len(snap.untransferred), total=len(engagement.items), items=Titles(snap.untransferred),
            days=snap.days_left, date=engagement.term_end.isoformat(),
        )
    ]


@rule("term-ended-untransferred", Aspect.RECEIVING_KNOWHOW, severities=(Severity.CRITICAL,))
def term_ended_untransferred(
    engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None
) -> list[Finding]:
    snap = snapshot(engagement, today)
    if not snap.ended or not snap.untransferred:
        return []
    return [
        term_ended_untransferred.finding(
            engagement, Severity.CRITICAL, lang,
            facts={"count": len(snap.untransferred), "total": len(engagement.items),
                   "item_ids": [i.id for i in snap.untransferred], **term_facts(snap)},
            count=len(snap.untransferred), total=len(engagement.items), items=Titles(snap.untransferred),
            days=-snap.days_left, date=engagement.term_end.isoformat(),
        )
    ]


@rule("transfer-unevidenced", Aspect.RECEIVING_KNOWHOW, severities=(Severity.INFO,))
def transfer_unevidenced(
    engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None
) -> list[Finding]:
    # The handover checklist is signed off on evidence; "independent" with none is a claim.
    snap = snapshot(engagement, today)
    bare = [item for item, rank in zip(engagement.items, snap.ranks) if rank >= INDEPENDENT_RANK and not item.evidence]
    if not bare:
        return []
    return [
        transfer_unevidenced.finding(
            engagement, Severity.INFO, lang, facts={"count": len(bare), "item_ids": [i.id for i in bare]},
            count=len(bare), items=Titles(bare),
        )
    ]

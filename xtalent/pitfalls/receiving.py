"""Receiving know-how (the three must-dos): named staff receive each item while the person is
still in post, and climb the ladder to "independent" before the term ends."""

from __future__ import annotations

from datetime import date

from ..dates import add_days
from ..models import STAGE_ORDER, STAGE_RANK, AfterTerm, Engagement, KnowHowItem, StructureRole, is_overdue
from ..settings import PitfallSettings
from .base import (
    INDEPENDENT_RANK,
    Aspect,
    Days,
    Finding,
    Label,
    Month,
    Phrase,
    Severity,
    Snapshot,
    Span,
    Titles,
    item_rank,
    snapshot,
    term_clause,
    term_facts,
)
from .registry import rule


def _nearing_end(days_left: int, settings: PitfallSettings) -> bool:
    return 0 <= days_left <= settings.term_ending_critical_days


def near_the_end(snap: Snapshot, settings: PitfallSettings) -> bool:
    """Little time left, in calendar days or in the person's contracted days."""
    if not snap.in_term:
        return False
    if _nearing_end(snap.days_left, settings):
        return True
    return snap.contracted_left is not None and snap.contracted_left <= settings.term_ending_critical_contracted_days


def contracted_clause(snap: Snapshot) -> Phrase:
    """"契約上の残りは約2.4日" — or nothing, without a contracted time."""
    if snap.contracted_left is None:
        return Phrase("pitfall.common.empty")
    return Phrase("pitfall.common.contracted_left", days=Days(snap.contracted_left))


@rule("no-receiving-structure", Aspect.RECEIVING_KNOWHOW, severities=(Severity.INFO, Severity.WARNING, Severity.CRITICAL))
def no_receiving_structure(
    engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None
) -> list[Finding]:
    # The guidance: build the structure *during* the term.  On day one its absence is a to-do;
    # it becomes a warning, then (with nobody at all) critical, as the term runs out.
    snap = snapshot(engagement, today, settings)
    share = snap.elapsed_share
    percent = round(share * 100)
    facts = {"elapsed_share": round(share, 3), **term_facts(snap)}
    here = [s for s in engagement.staff if s.here]  # who left is no structure (ReceivingStaff.here)
    if not here:
        severity = (
            Severity.INFO if share < settings.structure_warning_share
            else Severity.WARNING if share < settings.structure_critical_share else Severity.CRITICAL
        )
        return [
            no_receiving_structure.finding(
                engagement, severity, lang, variant="message_no_staff", action="action_no_staff",
                facts={"staff": 0, "leads": 0, **facts}, term=term_clause(snap), percent=percent,
            )
        ]
    if any(s.role is StructureRole.LEAD for s in here):
        return []
    severity = Severity.INFO if share < settings.structure_warning_share else Severity.WARNING
    return [
        no_receiving_structure.finding(
            engagement, severity, lang, variant="message_no_lead",
            facts={"staff": len(here), "leads": 0, **facts}, staff=len(here),
            lead=Label(StructureRole.LEAD), percent=percent,
        )
    ]


@rule("items-undefined", Aspect.RECEIVING_KNOWHOW, severities=(Severity.WARNING,))
def items_undefined(engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None) -> list[Finding]:
    # Must-do 2: with no know-how item recorded there is nothing to hand over and nothing to check.
    if engagement.items:
        return []
    snap = snapshot(engagement, today, settings)
    return [
        items_undefined.finding(
            engagement, Severity.WARNING, lang, facts={"items": 0, **term_facts(snap)}, term=term_clause(snap)
        )
    ]


@rule("item-without-receiver", Aspect.RECEIVING_KNOWHOW, severities=(Severity.WARNING, Severity.CRITICAL))
def item_without_receiver(
    engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None
) -> list[Finding]:
    snap = snapshot(engagement, today, settings)
    orphans = [item for item, here in zip(engagement.items, snap.receivers_here) if not here]
    if not orphans:
        return []
    severity = Severity.CRITICAL if _nearing_end(snap.days_left, settings) else Severity.WARNING
    return [
        item_without_receiver.finding(
            engagement, severity, lang, subjects=orphans,
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
    here = snapshot(engagement, today, settings).receivers_here
    single = [(item, receivers[0].staff_id) for item, receivers in zip(engagement.items, here) if len(receivers) == 1]
    if not single:
        return []
    received = sum(1 for receivers in here if receivers)
    share = len(single) / received
    severity = Severity.WARNING if share > settings.single_point_share else Severity.INFO
    sole: dict[str, int] = {}
    for _, staff_id in single:
        sole[staff_id] = sole.get(staff_id, 0) + 1
    holder_id = max(sole, key=sole.__getitem__)  # the first of equals, as the data lists them
    held = sole[holder_id]
    items = [item for item, _ in single]
    facts = {"count": len(items), "with_receivers": received, "item_ids": [i.id for i in items],
             "holder_id": holder_id, "held": held}
    params = {"count": len(items), "total": received, "items": Titles(items)}
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
        (s, s.rotation_expected) for s in engagement.staff
        if s.here and s.rotation_expected is not None and s.rotation_expected <= horizon
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


@rule("bunshin-leaving", Aspect.RECEIVING_KNOWHOW, severities=(Severity.WARNING, Severity.CRITICAL))
def bunshin_leaving(engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None) -> list[Finding]:
    # Lost capacity: an item reached 自立, but every receiver at 自立 has left (異動済み・退職) —
    # the stages are on record, the know-how is not in the building; or every one still here
    # is expected to rotate before the term ends (and its margin), so it is about to leave.
    if engagement.closure is not None:
        return []
    horizon = add_days(engagement.term_end, settings.rotation_margin_days)
    if today > horizon:
        return []
    # Who is here and who rotates by the horizon, once per engagement: not for every receiver.
    here = {s.id for s in engagement.staff if s.here}
    rotating = {s.id for s in engagement.staff if s.rotation_expected is not None and s.rotation_expected <= horizon}
    lost: list[KnowHowItem] = []
    leaving: list[KnowHowItem] = []
    snap = snapshot(engagement, today, settings)
    for item, rank in zip(engagement.items, snap.ranks):
        if rank < INDEPENDENT_RANK and not snap.gone:
            continue  # nobody at 自立 (none has left, so the rank over those here says it)
        independent = [r.staff_id for r in item.receivers if STAGE_RANK[r.stage] >= INDEPENDENT_RANK]
        if not independent:
            continue
        staying = [staff_id for staff_id in independent if staff_id in here]
        if not staying:
            lost.append(item)
        elif rotating.issuperset(staying):
            leaving.append(item)
    out = []
    if lost:
        out.append(bunshin_leaving.finding(
            engagement, Severity.CRITICAL if engagement.in_term(today) else Severity.WARNING, lang,
            subjects=lost, variant="message_lost",
            facts={"count": len(lost), "item_ids": [i.id for i in lost]},
            count=len(lost), items=Titles(lost),
        ))
    if leaving:
        out.append(bunshin_leaving.finding(
            engagement, Severity.WARNING, lang, subjects=leaving, variant="message_leaving",
            facts={"count": len(leaving), "item_ids": [i.id for i in leaving], "term_end": engagement.term_end.isoformat()},
            count=len(leaving), items=Titles(leaving), term_end=engagement.term_end.isoformat(),
        ))
    return out


@rule("due-after-term", Aspect.RECEIVING_KNOWHOW, severities=(Severity.WARNING,))
def due_after_term(engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None) -> list[Finding]:
    snap = snapshot(engagement, today, settings)
    if snap.ended:
        return []  # the due date no longer plans anything; term-ended-untransferred says what is left
    end = engagement.term_end
    late = [item for item in snap.untransferred if item.due is not None and item.due > end]
    if not late:
        return []
    return [
        due_after_term.finding(
            engagement, Severity.WARNING, lang, subjects=late,
            facts={"count": len(late), "item_ids": [i.id for i in late], "term_end": end.isoformat(),
                   "due": {i.id: i.due.isoformat() for i in late if i.due}},
            count=len(late), items=Titles(late), term_end=end.isoformat(),
        )
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
    snap = snapshot(engagement, today, settings)
    if not snap.in_term:
        return []
    stalled: list[KnowHowItem] = []
    idle_of: dict[str, int] = {}
    for item, rank, here in zip(engagement.items, snap.ranks, snap.receivers_here):
        if rank >= INDEPENDENT_RANK or not here:
            continue  # handed over; or item-without-receiver: nobody could have moved it
        last = _last_move(item)
        if last is not None and last < engagement.term_start:
            last = None  # moved before this term (a renewal): "during the term" it has not moved
        idle = (today - (last or engagement.term_start)).days
        if idle >= settings.stalled_days:
            stalled.append(item)
            idle_of[item.id] = idle
    if not stalled:
        return []
    # One line for the cause (nobody scheduled the next step), naming every item it holds back.
    longest = max(idle_of.values())
    one = stalled[0] if len(stalled) == 1 else None
    return [
        transfer_stalled.finding(
            engagement, Severity.WARNING, lang, subjects=stalled,
            variant="message_one" if one else "message",
            facts={"count": len(stalled), "item_ids": [i.id for i in stalled], "idle_days": idle_of,
                   "longest_idle_days": longest, **term_facts(snap)},
            count=len(stalled), items=Titles(stalled), span=Span(longest), term=snap.term,
            stage=Label(STAGE_ORDER[item_rank(one)]) if one else "",
        )
    ]


@rule("transfer-pace-behind", Aspect.RECEIVING_KNOWHOW, severities=(Severity.WARNING,))
def transfer_pace_behind(
    engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None
) -> list[Finding]:
    # Pace = ladder steps climbed since the term began, per day; the projection assumes the same
    # pace for the steps still to climb to "independent" on every item (Snapshot.projected).
    snap = snapshot(engagement, today, settings)
    elapsed = (today - engagement.term_start).days
    if not snap.in_term or not snap.untransferred or elapsed < settings.pace_min_elapsed_days:
        return []
    climbed, remaining = snap.steps_climbed, snap.steps_remaining
    facts = {"elapsed_days": elapsed, "steps_climbed": climbed, "steps_remaining": remaining, **term_facts(snap)}
    if snap.projected is None:
        return [
            transfer_pace_behind.finding(
                engagement, Severity.WARNING, lang, variant="message_none", facts={**facts, "projected": None},
                span=Span(elapsed), count=len(snap.untransferred), term=term_clause(snap),
            )
        ]
    if snap.projected <= engagement.term_end:
        return []
    return [
        transfer_pace_behind.finding(
            engagement, Severity.WARNING, lang, facts={**facts, "projected": snap.projected.isoformat()},
            count=len(snap.untransferred), when=Month(snap.projected), late=Span((snap.projected - engagement.term_end).days),
            term_end=engagement.term_end.isoformat(),
        )
    ]


def _after_term_action(engagement: Engagement) -> str:
    """Which action a term-ending finding gives: it must not suggest an extension already refused."""
    decision = engagement.after_term.decision if engagement.after_term else None
    if decision is None:
        return "action"
    if decision is AfterTerm.EXTEND:
        return "action_extend"
    if decision is AfterTerm.SUCCESSOR:
        return "action_successor"
    return "action_no_extension"  # END or SUPPORT: plan the support after the term


@rule("term-ending-untransferred", Aspect.RECEIVING_KNOWHOW, severities=(Severity.WARNING, Severity.CRITICAL))
def term_ending_untransferred(
    engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None
) -> list[Finding]:
    # Time is the person's contracted days, not calendar days: 月2日 with 38 days to go is two or
    # three days with the municipality.  Critical when little is left, by either measure, and the
    # pace so far will not make it (or the last 30 days have come whatever the pace).
    snap = snapshot(engagement, today, settings)
    if not snap.untransferred or snap.days_left < 0 or today < engagement.term_start:
        return []
    left = snap.contracted_left
    by_calendar = snap.days_left <= settings.term_ending_days
    by_contract = left is not None and left <= settings.term_ending_contracted_days
    if not (by_calendar or by_contract):
        return []
    short = left is not None and left <= settings.term_ending_critical_contracted_days
    critical = _nearing_end(snap.days_left, settings) or (short and snap.behind)
    severity = Severity.CRITICAL if critical else Severity.WARNING
    if snap.projected is None:
        outlook = Phrase("pitfall.common.pace_none")
    elif snap.projected > engagement.term_end:
        outlook = Phrase("pitfall.common.pace_late", when=Month(snap.projected))
    else:
        outlook = Phrase("pitfall.common.pace_on_time", when=Month(snap.projected))
    return [
        term_ending_untransferred.finding(
            engagement, severity, lang, subjects=snap.untransferred, action=_after_term_action(engagement),
            facts={"count": len(snap.untransferred), "total": len(engagement.items),
                   "item_ids": [i.id for i in snap.untransferred], "contracted_days_left": left,
                   "projected": snap.projected.isoformat() if snap.projected else None,
                   "after_term": engagement.after_term.decision.value if engagement.after_term else None,
                   **term_facts(snap)},
            count=len(snap.untransferred), total=len(engagement.items), items=Titles(snap.untransferred),
            days=snap.days_left, date=engagement.term_end.isoformat(), contracted=contracted_clause(snap),
            outlook=outlook,
        )
    ]


@rule("term-ended-untransferred", Aspect.RECEIVING_KNOWHOW, severities=(Severity.WARNING, Severity.CRITICAL))
def term_ended_untransferred(
    engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None
) -> list[Finding]:
    # Right after the end the person can still be reached: critical.  Later there is nothing left
    # to chase; what remains is to close the engagement with a support plan for each open item.
    snap = snapshot(engagement, today, settings)
    if not snap.ended or not snap.untransferred:
        return []
    recent = -snap.days_left <= settings.ended_critical_days
    return [
        term_ended_untransferred.finding(
            engagement, Severity.CRITICAL if recent else Severity.WARNING, lang, subjects=snap.untransferred,
            variant="message" if recent else "message_close", action="action" if recent else "action_close",
            facts={"count": len(snap.untransferred), "total": len(engagement.items),
                   "item_ids": [i.id for i in snap.untransferred], **term_facts(snap)},
            count=len(snap.untransferred), total=len(engagement.items), items=Titles(snap.untransferred),
            days=-snap.days_left, date=engagement.term_end.isoformat(),
        )
    ]


@rule("item-overdue", Aspect.RECEIVING_KNOWHOW, severities=(Severity.WARNING, Severity.CRITICAL))
def item_overdue(engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None) -> list[Finding]:
    # A due date passed in term is the plan slipping while there is still time to act; near the
    # end it is the know-how about to leave.  After the term, term-ended-untransferred says it.
    snap = snapshot(engagement, today, settings)
    if not snap.in_term:
        return []
    late = [item for item in snap.untransferred if is_overdue(item, today, snap.gone)]
    if not late:
        return []
    oldest = min(item.due for item in late if item.due)
    return [
        item_overdue.finding(
            engagement, Severity.CRITICAL if near_the_end(snap, settings) else Severity.WARNING, lang, subjects=late,
            facts={"count": len(late), "item_ids": [i.id for i in late], "oldest_due": oldest.isoformat(),
                   "days_overdue": (today - oldest).days, **term_facts(snap)},
            count=len(late), items=Titles(late), days=(today - oldest).days, term=snap.term,
        )
    ]


@rule("transfer-unevidenced", Aspect.RECEIVING_KNOWHOW, severities=(Severity.INFO,))
def transfer_unevidenced(
    engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None
) -> list[Finding]:
    # The handover checklist is signed off on evidence; "independent" with none is a claim.
    snap = snapshot(engagement, today, settings)
    bare = [item for item, rank in zip(engagement.items, snap.ranks) if rank >= INDEPENDENT_RANK and not item.evidence]
    if not bare:
        return []
    return [
        transfer_unevidenced.finding(
            engagement, Severity.INFO, lang, subjects=bare, facts={"count": len(bare), "item_ids": [i.id for i in bare]},
            count=len(bare), items=Titles(bare),
        )
    ]

"""Readiness, urgency and the 分身 count: the numbers the dashboard and the checklist show.

Each score comes with its breakdown — (label, points) pairs, Taskwarrior's "why" — so nobody
has to trust a number they cannot explain.  Pure functions: everything they depend on,
including `today`, is an argument.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, Mapping, Sequence

from .i18n import get_language, t
from .models import (
    INDEPENDENT_RANK, STAGE_RANK, Engagement, KnowHowItem, Reception, ReceivingStaff, Stage, StructureRole, TargetStatus,
    item_rank,
)
from .settings import DEFAULTS, PitfallSettings

# Readiness points (sum 100): what is left when the person leaves — items someone can now do
# alone, staff who became 分身, evidence of it — dominates; the paperwork that makes it possible
# (an agreed scope, goals, a lead, receivers) is worth a quarter.  An engagement with nothing
# transferred cannot score above READINESS_CAP_UNTRANSFERRED, however tidy its paperwork.
READINESS_WEIGHTS: dict[str, float] = {
    "items_transferred": 35,  # the measure of success: items someone can now do alone
    "bunshin": 15,  # receiving staff who became 分身 on at least one item
    "evidenced": 10,  # items at 自立 or beyond with evidence (what a sign-off rests on)
    "transfer_progress": 10,  # must-do 2: items climbing the ladder toward "independent"
    "backup_receivers": 5,  # two or more receivers, so a rotation does not lose the item
    "scope_agreed": 10,  # must-do 1: targets agreed in advance (date and counterpart, not only proposed)
    "goals_defined": 5,  # a goal or an indicator on each target
    "lead_named": 5,  # must-do 3: a lead in the receiving structure
    "items_received": 5,  # must-do 3: every item has a receiver
}
READINESS_CAP_UNTRANSFERRED = 20

# Urgency coefficients, in Taskwarrior's manner: points add up, the breakdown shows each one.
URGENCY_DUE = 12.0  # times a 0.2..1.0 factor for how close the due date (or the term end) is
URGENCY_STAGE_STEP = 1.5  # per ladder step still to climb to "independent"
URGENCY_NO_RECEIVER = 6.0
URGENCY_SINGLE_RECEIVER = 2.0
URGENCY_ROTATION = 3.0  # a receiver's expected rotation falls before the item is due
URGENCY_STALLED = 3.0
OVERDUE_FULL_DAYS = 7  # overdue by this many days or more: the due factor is 1.0

_DEFAULTS = DEFAULTS.pitfalls


@dataclass(frozen=True, slots=True)
class Score:
    value: float
    # (catalog key, its parameters, points), largest first: each label is written only when `why`
    # is read (a dashboard row keeps the value alone; ten catalog texts per row went unread).
    parts: tuple[tuple[str, Mapping[str, object], float], ...]
    lang: str  # the language the labels are written in

    @property
    def why(self) -> tuple[tuple[str, float], ...]:
        """(label in the asked language, points), largest first."""
        return tuple((t(key, self.lang, **params), points) for key, params, points in self.parts)


Part = tuple[str, Mapping[str, object], float]


def _score(parts: list[Part], lang: str | None, *, whole: bool = False) -> Score:
    parts.sort(key=lambda p: -abs(p[2]))
    total = sum(points for _, _, points in parts)
    return Score(value=round(total) if whole else round(total, 1), parts=tuple(parts), lang=lang or get_language())


def readiness(engagement: Engagement, today: date, lang: str | None = None, *, bunshin_total: int | None = None) -> Score:
    """0–100: how ready the municipality is to carry on without the person.

    `today` is part of the signature so every score is taken as of a stated day; the current
    components depend only on the record.  Moving any item up the ladder never lowers it.
    `bunshin_total`: the engagement's `bunshin(engagement).total`, when the caller has it already.
    """
    w = READINESS_WEIGHTS
    parts: list[Part] = []
    items = engagement.items
    n = len(items)
    gone = engagement.gone_ids()  # who left keeps their stages on record, but is no capacity
    # One pass over the items and their receivers (every dashboard row computes this), not one
    # generator per count.
    transferred = evidenced = received = backed = climbed = 0
    for item in items:
        rank = item_rank(item, gone)
        if rank >= INDEPENDENT_RANK:
            transferred += 1
            climbed += INDEPENDENT_RANK
            if item.evidence:
                evidenced += 1
        else:
            climbed += rank
        receivers = item.receivers
        here = len(receivers)
        if gone:  # usually nobody has left: then every receiver is here
            here = 0
            for reception in receivers:
                if reception.staff_id not in gone:
                    here += 1
        if here:
            received += 1
            if here >= 2:
                backed += 1
    progress = climbed / (INDEPENDENT_RANK * n) if n else 0.0
    people = len(engagement.staff) - len(gone)
    others = bunshin(engagement).total if bunshin_total is None else bunshin_total
    parts.append(("metrics.items_transferred", {"n": transferred, "total": n},
                  w["items_transferred"] * transferred / n if n else 0.0))
    parts.append(("metrics.bunshin_share", {"n": others, "total": people}, w["bunshin"] * others / people if people else 0.0))
    parts.append(("metrics.evidenced", {"n": evidenced, "total": n}, w["evidenced"] * evidenced / n if n else 0.0))
    parts.append(("metrics.transfer_progress", {"percent": round(progress * 100)}, w["transfer_progress"] * progress))
    parts.append(("metrics.backup_receivers", {"n": backed, "total": n}, w["backup_receivers"] * backed / n if n else 0.0))
    live = [tg for tg in engagement.targets if tg.status is not TargetStatus.DROPPED]
    agreed = sum(
        1 for tg in live if tg.status is not TargetStatus.PROPOSED and tg.agreed_on is not None and tg.agreed_by
    )
    goals = sum(1 for tg in live if tg.goal or tg.indicator is not None)
    parts.append(("metrics.scope_agreed", {"n": agreed, "total": len(live)},
                  w["scope_agreed"] * agreed / len(live) if live else 0.0))
    parts.append(("metrics.goals_defined", {"n": goals, "total": len(live)},
                  w["goals_defined"] * goals / len(live) if live else 0.0))
    has_lead = any(s.role is StructureRole.LEAD and s.here for s in engagement.staff)
    parts.append(("metrics.lead_named", {}, float(w["lead_named"]) if has_lead else 0.0))
    parts.append(("metrics.items_received", {"n": received, "total": n}, w["items_received"] * received / n if n else 0.0))
    parts = [(key, params, round(points, 1)) for key, params, points in parts]
    total = sum(points for _, _, points in parts)
    if not transferred and total > READINESS_CAP_UNTRANSFERRED:
        parts.append(("metrics.cap_untransferred", {"cap": READINESS_CAP_UNTRANSFERRED},
                      round(READINESS_CAP_UNTRANSFERRED - total, 1)))
    return _score(parts, lang, whole=True)


def _due_factor(days: int, horizon: int) -> float:
    # 1.0 once a week overdue, 0.2 at the warning horizon, then fading further out.
    if days <= -OVERDUE_FULL_DAYS:
        return 1.0
    if days <= horizon:
        return 0.2 + 0.8 * (horizon - days) / (horizon + OVERDUE_FULL_DAYS)
    return 0.2 * horizon / days


def urgency(
    item: KnowHowItem,
    engagement: Engagement,
    today: date,
    settings: PitfallSettings | None = None,
    lang: str | None = None,
) -> Score:
    """How urgently an item needs attention, with what contributed; 0 once transferred."""
    return _urgency(item, engagement, today, settings or _DEFAULTS, lang, engagement.staff_by_id())


def _urgency(
    item: KnowHowItem,
    engagement: Engagement,
    today: date,
    settings: PitfallSettings,
    lang: str | None,
    staff: dict[str, ReceivingStaff],
) -> Score:
    gone = frozenset(sid for sid, s in staff.items() if not s.here)
    rank = item_rank(item, gone)
    if rank >= INDEPENDENT_RANK:
        return _score([("metrics.transferred", {}, 0.0)], lang)
    parts: list[Part] = []
    due = item.due or engagement.term_end
    days = (due - today).days
    points = round(URGENCY_DUE * _due_factor(days, settings.term_ending_days), 1)
    if item.due is None:
        key = "metrics.term_end_due" if days >= 0 else "metrics.term_end_over"
        parts.append((key, {"days": abs(days), "date": due.isoformat()}, points))
    elif days >= 0:
        parts.append(("metrics.due", {"days": days, "date": due.isoformat()}, points))
    else:
        parts.append(("metrics.overdue", {"days": -days, "date": due.isoformat()}, points))
    steps = INDEPENDENT_RANK - rank
    parts.append(("metrics.stage_gap", {"steps": steps}, URGENCY_STAGE_STEP * steps))
    receivers = [r for r in item.receivers if r.staff_id not in gone]
    if not receivers:
        parts.append(("metrics.no_receiver", {}, URGENCY_NO_RECEIVER))
    else:
        if len(receivers) == 1:
            parts.append(("metrics.single_receiver", {}, URGENCY_SINGLE_RECEIVER))
        if any(
            (s := staff.get(r.staff_id)) is not None and s.rotation_expected is not None and s.rotation_expected <= due
            for r in receivers
        ):
            parts.append(("metrics.rotation", {}, URGENCY_ROTATION))
        if engagement.term_start <= today <= engagement.term_end:
            # As in transfer-stalled: a move before this term (a renewal) does not count as recent.
            last = max((e.on for r in item.receivers for e in r.history), default=engagement.term_start)
            last = max(last, engagement.term_start)
            idle = (today - last).days
            if idle >= settings.stalled_days:
                parts.append(("metrics.stalled", {"days": idle}, URGENCY_STALLED))
    return _score(parts, lang)


@dataclass(frozen=True, slots=True)
class Bunshin:
    """分身: staff who reached "independent" or beyond — the guidance's measure of success."""

    per_item: dict[str, int]  # item id -> how many of its receivers are 分身 on it
    staff_ids: frozenset[str]  # distinct staff who are 分身 on at least one item

    @property
    def total(self) -> int:
        return len(self.staff_ids)


def bunshin(engagement: Engagement) -> Bunshin:
    """分身 still here: who left (異動済み / 退職) keeps their stages on record, not the count."""
    per_item: dict[str, int] = {}
    staff: set[str] = set()
    gone = engagement.gone_ids()
    for item in engagement.items:
        count = 0
        for reception in item.receivers:
            # The stage first: most receivers are below 自立, and a field read costs (pydantic).
            if STAGE_RANK[reception.stage] >= INDEPENDENT_RANK and (staff_id := reception.staff_id) not in gone:
                count += 1
                staff.add(staff_id)
        per_item[item.id] = count
    return Bunshin(per_item=per_item, staff_ids=frozenset(staff))


def stage_on(reception: Reception, day: date) -> Stage:
    """The stage a receiver had reached on `day`, from their stage history (stages_on)."""
    return stages_on(reception, [day])[0]


def stages_on(reception: Reception, days: Sequence[date]) -> list[Stage]:
    """The stage a receiver had reached on each of `days`, the history sorted once: the latest
    move on or before the day (on one day, the move recorded last), not started before the
    first.  A stage recorded without any history (imported data) is taken as held from the start."""
    history = reception.history
    if not history:
        return [reception.stage] * len(days)
    ons = [event.on for event in history]
    stages = [event.stage for event in history]
    if ons != sorted(ons):
        # Recorded out of order (an edit, an import): by day, and on one day in the order recorded
        # (a stable sort).  A history as the forms write it is in order and is taken as it is.
        order = sorted(range(len(ons)), key=ons.__getitem__)
        ons = [ons[k] for k in order]
        stages = [stages[k] for k in order]
    return [stages[k - 1] if (k := bisect_right(ons, day)) else Stage.NOT_STARTED for day in days]


def bunshin_on(engagement: Engagement, day: date) -> frozenset[str]:
    """The staff who were 分身 (at 自立 or beyond on some item) on `day`, and still here then."""
    return bunshin_on_days(engagement, [day])[0]


def _reaches_independent(reception: Reception) -> bool:
    """Whether `stages_on` can give 自立 or beyond on some day: a move to it is recorded (or,
    with no history, the stage held is one)."""
    history = reception.history
    if not history:
        return STAGE_RANK[reception.stage] >= INDEPENDENT_RANK
    for event in history:  # a loop, not any(…): every receiver of every row is asked
        if STAGE_RANK[event.stage] >= INDEPENDENT_RANK:
            return True
    return False


def bunshin_on_days(engagement: Engagement, days: Sequence[date]) -> list[frozenset[str]]:
    """`bunshin_on(engagement, day)` for each of `days`, each stage history read once: the
    dashboard asks for every 年度's end of a thousand engagements."""
    if not days:
        return []
    staff = engagement.staff
    here = [{s.id for s in staff if s.here_on(day)} if day >= engagement.term_start else set() for day in days]
    anyone = set().union(*here)
    found: list[set[str]] = [set() for _ in days]
    for item in engagement.items:
        for reception in item.receivers:
            staff_id = reception.staff_id
            # Only a receiver here on one of the days whose history reaches 自立 (or who holds it
            # with none) can count on any day: most receivers of a row are neither.
            if staff_id not in anyone or not _reaches_independent(reception):
                continue
            for n, stage in enumerate(stages_on(reception, days)):
                if STAGE_RANK[stage] >= INDEPENDENT_RANK and staff_id in here[n]:
                    found[n].add(staff_id)
    return [frozenset(ids) for ids in found]


@dataclass(frozen=True, slots=True)
class BunshinPoint:
    day: date  # the last day of a month, or of a 年度
    count: int  # 分身 on that day
    label: str  # "2026-11" or "令和8年度"


def _month_ends(first: date, last: date) -> list[date]:
    out = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        out.append(min(nxt - timedelta(days=1), last))
        year, month = nxt.year, nxt.month
    return out


def bunshin_by_month(engagements: Iterable[Engagement], today: date) -> list[BunshinPoint]:
    """分身 (summed over engagements) at each month's end, from the earliest term start to today."""
    engagements = list(engagements)
    if not engagements:
        return []
    first = min(e.term_start for e in engagements)
    if first > today:
        return []
    days = _month_ends(first, today)
    return [BunshinPoint(day, count, f"{day:%Y-%m}") for day, count in zip(days, _counts_on(engagements, days))]


def _counts_on(engagements: list[Engagement], days: list[date]) -> list[int]:
    """How many 分身 the engagements had together on each of `days`."""
    counts = [0] * len(days)
    for engagement in engagements:
        for n, ids in enumerate(bunshin_on_days(engagement, days)):
            counts[n] += len(ids)
    return counts


def _fiscal_year_ends(first: date, today: date) -> list[date]:
    """The end of each 年度 from `first`'s to today's (today, for the 年度 in progress)."""
    from .dates import fiscal_year

    return [min(date(year + 1, 3, 31), today) for year in range(fiscal_year(first), fiscal_year(today) + 1)]


def bunshin_by_fiscal_year(engagements: Iterable[Engagement], today: date, lang: str = "ja") -> list[BunshinPoint]:
    """分身 at each 年度's end (or today, for the 年度 in progress)."""
    from .dates import format_fiscal_year

    engagements = list(engagements)
    if not engagements:
        return []
    days = _fiscal_year_ends(min(e.term_start for e in engagements), today)
    return [BunshinPoint(day, count, format_fiscal_year(day, lang)) for day, count in zip(days, _counts_on(engagements, days))]


def bunshin_fiscal_year_counts(engagement: Engagement, today: date) -> tuple[int, ...]:
    """The counts of bunshin_by_fiscal_year([engagement], today), without their labels: what a
    dashboard row keeps (DashboardRow.bunshin_years)."""
    return tuple(_counts_on([engagement], _fiscal_year_ends(engagement.term_start, today)))

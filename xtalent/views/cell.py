"""What Enter on a know-how cell shows: one receiver's climb of the ladder, and the evidence.

The stage moves come from the receiver's own stage history (each with its date) and, where the
change log has them, who made each move; evidence is listed as recorded, with where it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from ..labels import label
from ..vocabulary import Stage

if TYPE_CHECKING:
    from ..changelog import Change
    from ..models import Engagement


@dataclass(frozen=True)
class StageMove:
    on: str  # ISO date of the move
    staff: str  # the receiver's name
    stage: str  # the stage reached, as labelled
    who: str  # who recorded it ("" where the change log does not say: imported data)


@dataclass(frozen=True)
class EvidenceRow:
    index: int  # its place in the item's list (what edit and remove name)
    on: str
    note: str
    link: str


@dataclass(frozen=True)
class CellDetail:
    item_id: str
    title: str
    staff_id: str | None  # None: every receiver of the item
    staff_name: str
    stage: str  # the receiver's stage now ("" for the whole item)
    moves: list[StageMove]
    evidence: list[EvidenceRow]


def _who_moved(changes: Iterable[Change], item_id: str) -> dict[tuple[str, str, str], str]:
    """(staff id, stage value, date) → who recorded that move, from the change log."""
    found: dict[tuple[str, str, str], str] = {}
    prefix = f"items[{item_id}].receivers["
    for change in changes:
        for field in change.changes:
            path = str(field.get("path", ""))
            if path.startswith(prefix) and path.endswith("].stage"):
                staff_id = path[len(prefix):-len("].stage")]
                found.setdefault((staff_id, str(field.get("after")), change.at.date().isoformat()), change.who)
    return found


def cell_detail(engagement: Engagement, item_id: str, staff_id: str | None, changes: Iterable[Change] = ()) -> CellDetail:
    item = next(i for i in engagement.items if i.id == item_id)
    staff = engagement.staff_by_id()
    receivers = [r for r in item.receivers if staff_id is None or r.staff_id == staff_id]
    who = _who_moved(changes, item_id)
    moves = []
    for reception in receivers:
        name = staff[reception.staff_id].name if reception.staff_id in staff else reception.staff_id
        for event in reception.history:
            key = (reception.staff_id, Stage(event.stage).value, event.on.isoformat())
            moves.append(StageMove(event.on.isoformat(), name, label(Stage(event.stage)), who.get(key, "")))
    moves.sort(key=lambda m: m.on, reverse=True)
    evidence = [EvidenceRow(n, e.on.isoformat(), e.note, e.link) for n, e in enumerate(item.evidence)]
    evidence.sort(key=lambda e: e.on, reverse=True)
    chosen = receivers[0] if staff_id is not None and receivers else None
    return CellDetail(
        item_id=item.id, title=item.title, staff_id=staff_id,
        staff_name=(staff[staff_id].name if staff_id in staff else "") if staff_id else "",
        stage=label(chosen.stage) if chosen is not None else "", moves=moves, evidence=evidence,
    )

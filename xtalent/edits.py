"""Pure edits of one engagement: each takes an engagement and returns a changed copy.

Nothing here touches storage or the clock: `on` (the day an event happened) is always passed
in.  The session (editing.py) revalidates the result, saves it revision-checked and records it
for undo.  Errors are `XtalentError`s with catalog keys, so the UI can show them as they are.

Decisions an HR officer would expect (documented because the UI relies on them):

* `step_stage` without a staff member: advancing moves the receiver furthest BEHIND (the
  first such one in the list), because transfer is about every receiver climbing; regressing
  moves the receiver furthest AHEAD, because the item's shown stage is the furthest one and a
  regress is expected to lower what the user sees.  Stepping beyond either end of the ladder
  is refused with a message rather than silently ignored.
* Removing a change target that items or log entries still refer to is refused, naming them:
  unlinking them silently would lose what each item was agreed for.
* Removing a receiving staff member still referred to is refused unless `cascade=True` (the UI
  asks first, naming the items): then their receptions (and their stage history) and their
  place in targets' involved staff go with them — what one expects when someone leaves.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable

from .errors import XtalentError
from .models import (
    Engagement,
    Evidence,
    KnowHowItem,
    LogEntry,
    Reception,
    Stage,
    StageEvent,
)

COLLECTIONS = ("targets", "items", "staff", "log")


class EditRefused(XtalentError):
    """An edit that cannot be made as asked; the message says why and what to do."""


def _check_collection(name: str) -> None:
    if name not in COLLECTIONS:
        raise ValueError(f"unknown collection {name!r}")


def _replace(engagement: Engagement, **changes: Any) -> Engagement:
    # model_copy skips validation: the session revalidates the whole engagement afterwards.
    return engagement.model_copy(update=changes)


def _item(engagement: Engagement, item_id: str) -> tuple[int, KnowHowItem]:
    for n, item in enumerate(engagement.items):
        if item.id == item_id:
            return n, item
    raise EditRefused("edit.no_such_record", id=item_id)


def _with_item(engagement: Engagement, n: int, item: KnowHowItem) -> Engagement:
    items = list(engagement.items)
    items[n] = item
    return _replace(engagement, items=items)


def set_stage(engagement: Engagement, item_id: str, staff_id: str, stage: Stage, on: date) -> Engagement:
    """Record that `staff_id` reached `stage` on `on` (appends a StageEvent)."""
    n, item = _item(engagement, item_id)
    receivers = list(item.receivers)
    for m, reception in enumerate(receivers):
        if reception.staff_id == staff_id:
            if reception.stage == stage:
                return engagement
            receivers[m] = reception.model_copy(
                update={"stage": stage, "history": [*reception.history, StageEvent(on=on, stage=stage)]}
            )
            return _with_item(engagement, n, item.model_copy(update={"receivers": receivers}))
    raise EditRefused("edit.not_a_receiver", item=item.title, id=staff_id)


def pick_receiver(item: KnowHowItem, delta: int) -> Reception:
    """Which receiver a stage step without a named staff member applies to (see module doc)."""
    if not item.receivers:
        raise EditRefused("edit.no_receivers", item=item.title)
    if delta >= 0:
        return min(item.receivers, key=lambda r: r.stage.rank)
    return max(item.receivers, key=lambda r: r.stage.rank)


def step_stage(
    engagement: Engagement, item_id: str, staff_id: str | None, delta: int, on: date
) -> Engagement:
    """Advance (delta > 0) or regress (delta < 0) one receiver's stage by `delta` rungs."""
    _, item = _item(engagement, item_id)
    if staff_id is None:
        reception = pick_receiver(item, delta)
    else:
        found = [r for r in item.receivers if r.staff_id == staff_id]
        if not found:
            raise EditRefused("edit.not_a_receiver", item=item.title, id=staff_id)
        reception = found[0]
    new_stage = reception.stage.step(delta)
    if new_stage == reception.stage:
        key = "edit.stage_at_top" if delta > 0 else "edit.stage_at_bottom"
        raise EditRefused(key, item=item.title)
    return set_stage(engagement, item_id, reception.staff_id, new_stage, on)


def add_evidence(engagement: Engagement, item_id: str, note: str, on: date, link: str = "") -> Engagement:
    n, item = _item(engagement, item_id)
    evidence = [*item.evidence, Evidence(on=on, note=note, link=link)]
    return _with_item(engagement, n, item.model_copy(update={"evidence": evidence}))


def _evidence_at(item: KnowHowItem, index: int) -> Evidence:
    if not 0 <= index < len(item.evidence):
        raise EditRefused("edit.no_such_evidence", item=item.title)
    return item.evidence[index]


def update_evidence(engagement: Engagement, item_id: str, index: int, evidence: Evidence) -> Engagement:
    """Replace the item's `index`-th evidence (as listed) with `evidence`."""
    n, item = _item(engagement, item_id)
    _evidence_at(item, index)
    listed = list(item.evidence)
    listed[index] = evidence
    return _with_item(engagement, n, item.model_copy(update={"evidence": listed}))


def remove_evidence(engagement: Engagement, item_id: str, index: int) -> Engagement:
    n, item = _item(engagement, item_id)
    _evidence_at(item, index)
    listed = [e for m, e in enumerate(item.evidence) if m != index]
    return _with_item(engagement, n, item.model_copy(update={"evidence": listed}))


def add_log(engagement: Engagement, entry: LogEntry) -> Engagement:
    return _replace(engagement, log=[*engagement.log, entry])


def upsert(engagement: Engagement, collection: str, record: Any) -> Engagement:
    """Replace the record with the same id, or append it."""
    _check_collection(collection)
    records = list(getattr(engagement, collection))
    for n, existing in enumerate(records):
        if existing.id == record.id:
            records[n] = record
            break
    else:
        records.append(record)
    return _replace(engagement, **{collection: records})


def references(engagement: Engagement, collection: str, record_id: str) -> list[str]:
    """Titles of the records that refer to `record_id` (empty: safe to remove)."""
    _check_collection(collection)
    out: list[str] = []
    if collection == "targets":
        out += [i.title for i in engagement.items if i.target_id == record_id]
        out += [f"{e.on.isoformat()} {e.topic}".strip() for e in engagement.log if e.target_id == record_id]
    elif collection == "staff":
        out += [i.title for i in engagement.items if any(r.staff_id == record_id for r in i.receivers)]
        out += [tg.title for tg in engagement.targets if record_id in tg.staff_ids]
    return out


def names_text(titles: Iterable[str], limit: int = 5) -> str:
    titles = list(titles)
    shown = "、".join(titles[:limit])
    return shown + (f" … (+{len(titles) - limit})" if len(titles) > limit else "")


def remove(engagement: Engagement, collection: str, record_id: str, *, cascade: bool = False) -> Engagement:
    """Remove a record; see the module doc for what happens to records that refer to it."""
    _check_collection(collection)
    records = list(getattr(engagement, collection))
    if not any(r.id == record_id for r in records):
        raise EditRefused("edit.no_such_record", id=record_id)
    refs = references(engagement, collection, record_id)
    if refs and collection == "targets":
        raise EditRefused("edit.target_referenced", count=len(refs), names=names_text(refs))
    if refs and collection == "staff" and not cascade:
        raise EditRefused("edit.staff_referenced", count=len(refs), names=names_text(refs))
    changes: dict[str, Any] = {collection: [r for r in records if r.id != record_id]}
    if collection == "staff":
        changes["items"] = [
            item.model_copy(update={"receivers": [r for r in item.receivers if r.staff_id != record_id]})
            for item in engagement.items
        ]
        changes["targets"] = [
            tg.model_copy(update={"staff_ids": [s for s in tg.staff_ids if s != record_id]})
            for tg in engagement.targets
        ]
    return _replace(engagement, **changes)

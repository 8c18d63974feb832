"""Three-way merge of an engagement: what the user saw, what they made of it, what is stored now.

A save never starts from the stored copy: it starts from the state the user saw (`base`) and
what they made of it (`mine`).  When a colleague saved in between (`theirs`), their changes and
ours are merged field by field:

* a field only one side changed takes that side's value — both changes are kept;
* a field both sides changed to the same value is no conflict;
* a field both sides changed differently is a `FieldConflict`, unless `choose(conflict)` says
  whose value wins ("mine" / "theirs") — the UI asks the user, never the code;
* records in a collection (targets, items, staff, log; an item's receivers) are matched by id
  and merged field by field; one side deleting a record the other changed is a conflict;
* lists of plain values or of id-less records (stage history, evidence, involved staff) merge as
  sets: what either side added is kept, what either side removed goes.

Works on `model_dump()` dicts, so a field added to the model later is merged without a change here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Literal

Side = Literal["mine", "theirs"]
Chooser = Callable[["FieldConflict"], "Side | None"]

# The key that identifies a record in a list of records, in the order tried.
RECORD_KEYS = ("id", "staff_id")
_MISSING = object()


@dataclass(frozen=True)
class FieldConflict:
    """One field both sides changed differently (a missing value: the record was deleted)."""

    path: str  # "sponsor", "person.name", "items[kh-1].receivers[st-2].stage"
    base: Any
    mine: Any
    theirs: Any

    @property
    def deleted_by_me(self) -> bool:
        return self.mine is None and isinstance(self.base, dict)

    @property
    def deleted_by_them(self) -> bool:
        return self.theirs is None and isinstance(self.base, dict)


def _record_key(values: list[Any]) -> str | None:
    for key in RECORD_KEYS:
        if values and all(isinstance(v, dict) and key in v for v in values):
            return key
    return None


class _Merge:
    def __init__(self, choose: Chooser | None) -> None:
        self.choose = choose or (lambda conflict: None)
        self.conflicts: list[FieldConflict] = []

    def value(self, path: str, base: Any, mine: Any, theirs: Any) -> Any:
        if mine == theirs:
            return mine
        if mine == base:
            return theirs
        if theirs == base:
            return mine
        if isinstance(base, dict) and isinstance(mine, dict) and isinstance(theirs, dict):
            return self.mapping(path, base, mine, theirs)
        if isinstance(base, list) and isinstance(mine, list) and isinstance(theirs, list):
            return self.sequence(path, base, mine, theirs)
        return self.conflict(path, base, mine, theirs)

    def conflict(self, path: str, base: Any, mine: Any, theirs: Any) -> Any:
        found = FieldConflict(path, base, mine, theirs)
        side = self.choose(found)
        if side == "mine":
            return mine
        if side is None:
            self.conflicts.append(found)
        return theirs  # until the user chooses, what is stored stands

    def mapping(self, path: str, base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in [*theirs, *(k for k in mine if k not in theirs)]:
            sub = f"{path}.{key}" if path else key
            merged = self.value(sub, base.get(key, _MISSING), mine.get(key, _MISSING), theirs.get(key, _MISSING))
            if merged is not _MISSING:
                out[key] = merged
        return out

    def sequence(self, path: str, base: list[Any], mine: list[Any], theirs: list[Any]) -> list[Any]:
        key = _record_key(base + mine + theirs)
        if key is None:
            return self.as_set(base, mine, theirs)
        return self.records(path, key, base, mine, theirs)

    @staticmethod
    def as_set(base: list[Any], mine: list[Any], theirs: list[Any]) -> list[Any]:
        removed = [v for v in base if v not in mine]
        added = [v for v in mine if v not in base]
        kept = [v for v in theirs if v not in removed]
        return kept + [v for v in added if v not in kept]

    def records(self, path: str, key: str, base: list[Any], mine: list[Any], theirs: list[Any]) -> list[Any]:
        by_base = {r[key]: r for r in base}
        by_mine = {r[key]: r for r in mine}
        by_theirs = {r[key]: r for r in theirs}
        order = [*by_theirs, *(k for k in by_mine if k not in by_theirs)]
        out: list[Any] = []
        for record_id in order:
            sub = f"{path}[{record_id}]"
            b, m, t = by_base.get(record_id), by_mine.get(record_id), by_theirs.get(record_id)
            if m is None and t is None:
                continue
            if b is None:  # added on one side (or, by chance, on both with one id)
                merged = m if t is None else t if m is None else self.value(sub, {}, m, t)
            elif m is None:  # deleted by me
                merged = None if t == b else self.conflict(sub, b, None, t)
            elif t is None:  # deleted by them
                merged = None if m == b else self.conflict(sub, b, m, None)
            else:
                merged = self.value(sub, b, m, t)
            if merged is not None:
                out.append(merged)
        return out


def merge(
    base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any], choose: Chooser | None = None
) -> tuple[dict[str, Any], list[FieldConflict]]:
    """The merged data and the conflicts left for the user (see the module doc).

    Where a conflict is left, the merged data holds their (stored) value for it."""
    run = _Merge(choose)
    merged = run.value("", base, mine, theirs)
    return merged, run.conflicts


def changed_paths(base: dict[str, Any], other: dict[str, Any], path: str = "") -> list[str]:
    """The fields (as merge paths) that differ between two states: what a colleague changed."""
    if base == other:
        return []
    if isinstance(base, dict) and isinstance(other, dict):
        out: list[str] = []
        for key in [*base, *(k for k in other if k not in base)]:
            sub = f"{path}.{key}" if path else key
            out += changed_paths(base.get(key, _MISSING), other.get(key, _MISSING), sub)
        return out
    if isinstance(base, list) and isinstance(other, list):
        key = _record_key(base + other)
        if key is not None:
            a, b = {r[key]: r for r in base}, {r[key]: r for r in other}
            out = []
            for record_id in [*a, *(k for k in b if k not in a)]:
                out += changed_paths(a.get(record_id, _MISSING), b.get(record_id, _MISSING), f"{path}[{record_id}]")
            return out
    return [path]


def choice(conflicts: list[FieldConflict], side: Side) -> Chooser:
    """The user's answer to the conflicts they were shown: `side` wins for exactly those (same
    field, same stored value); a conflict they have not seen is asked again."""
    shown_to_user = [(c.path, c.theirs) for c in conflicts]
    return lambda c: side if (c.path, c.theirs) in shown_to_user else None


PATH_SEGMENT = re.compile(r"([^.\[\]]+)(?:\[([^\]]+)\])?")


def value_at(data: Any, path: str) -> Any:
    """The value at a merge path ("items[kh-1].receivers[st-2].stage") in dumped data (None
    where there is none)."""
    node = data
    for name, record_id in PATH_SEGMENT.findall(path):
        node = node.get(name) if isinstance(node, dict) else None
        if record_id and isinstance(node, list):
            node = next((r for r in node if isinstance(r, dict) and record_id in (r.get("id"), r.get("staff_id"))), None)
    return node

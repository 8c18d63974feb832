"""What the conflict dialog shows: each field a colleague and the user both changed, in words.

A merge path ("items[kh-1].receivers[st-2].stage") becomes "ノウハウ項目「議事録の型」 / 受け手 佐藤 / 段階"
and each value a label (an enum's label, a date, a record's title), so HR can choose knowingly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Callable

from ..i18n import has, t
from ..merge import PATH_SEGMENT, value_at

if TYPE_CHECKING:
    from ..editing import EditConflict
    from ..models import Engagement

# The form whose labels name a collection's fields.
_FORM = {"": "engagement", "person": "engagement", "targets": "target", "items": "item", "staff": "staff",
         "log": "log", "indicator": "target", "receivers": "item", "evidence": "evidence"}


@dataclass(frozen=True)
class ConflictRow:
    field: str  # where, in words
    mine: str  # what the user entered ("" for a delete conflict: the user deleted it all)
    theirs: str  # what is stored now


def _record_name(engagement: Engagement | None, record_id: str) -> str:
    if engagement is None:
        return record_id
    if record_id in engagement.staff_by_id():
        return engagement.staff_by_id()[record_id].name
    record = engagement.find(record_id)
    for attr in ("title", "name", "topic"):
        value = getattr(record, attr, None) if record is not None else None
        if value:
            return str(value)
    return record_id


def field_words(path: str, seen: Engagement | None, latest: Engagement | None, lang: str | None = None) -> str:
    """"items[kh-1].receivers[st-2].stage" in words, through the forms' own labels."""
    return path_words(path, lambda record_id: _record_name(latest or seen, record_id), lang)


def path_words(path: str, name_of: Callable[[str], str], lang: str | None = None) -> str:
    """A merge path in words, each record named by `name_of(record_id)` (the history names them
    as they were when changed)."""
    words: list[str] = []
    parent = ""
    for name, record_id in PATH_SEGMENT.findall(path):
        key = f"form.{_FORM.get(parent, 'engagement')}.{name}"
        if name == "person":
            key = ""
        elif name in ("targets", "items", "staff", "log", "receivers", "evidence"):
            key = f"conflict.collection.{name}"
        if key and has(key):
            words.append(t(key, lang))
        elif key and has(f"conflict.field.{name}"):
            words.append(t(f"conflict.field.{name}", lang))
        elif key and has(f"staff.field.{name}"):  # a receiver's copy of their employee record
            words.append(t(f"staff.field.{name}", lang))
        elif key:
            words.append(name)
        if record_id:
            words.append(f"「{name_of(record_id)}」")
        parent = name if name in _FORM else parent
    return " / ".join(w for w in words if w) or path


def value_words(value: Any, lang: str | None = None) -> str:
    """A merged value as a person reads it."""
    from ..labels import label

    if value is None:
        return t("conflict.none", lang)
    if isinstance(value, bool):
        return t("conflict.yes" if value else "conflict.no", lang)
    if isinstance(value, StrEnum):
        try:
            return label(value, lang)
        except (KeyError, Exception):  # an enum without labels: its value is still readable
            return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict):
        for attr in ("title", "name", "topic", "note"):
            if value.get(attr):
                return str(value[attr])
        return t("conflict.record", lang)
    if isinstance(value, list):
        return "、".join(value_words(v, lang) for v in value) if value else t("conflict.none", lang)
    return str(value)


def conflict_rows(error: EditConflict, lang: str | None = None) -> list[ConflictRow]:
    rows = []
    for c in error.conflicts:
        where = field_words(c.path, error.seen, error.latest, lang)
        if error.mine is None:  # a delete: only what the colleague changed matters
            rows.append(ConflictRow(where, t("conflict.deleted", lang), value_words(_at(error.latest, c.path), lang)))
            continue
        mine = t("conflict.deleted", lang) if c.deleted_by_me else value_words(c.mine, lang)
        theirs = t("conflict.deleted", lang) if c.deleted_by_them else value_words(c.theirs, lang)
        rows.append(ConflictRow(where, mine, theirs))
    return rows


def _at(engagement: Engagement | None, path: str) -> Any:
    return value_at(engagement.model_dump(), path) if engagement is not None else None

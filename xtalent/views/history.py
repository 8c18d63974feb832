"""What the history screen shows of the change log: one row per change, in the UI language.

A logged field is a merge path ("items[kh-1].receivers[st-2].stage") with short before/after
values; it is shown in words ("ノウハウ項目「議事録の型」 / 受け手「佐藤 一郎」 / 段階: 文書化 → 協働"):
the forms' labels for the fields, the records named as they were when changed, an enum's label
for its value, a record added or removed said so.
"""

from __future__ import annotations

import json
import typing
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Any, Mapping

from ..changelog import Change
from ..i18n import has, t
from ..merge import PATH_SEGMENT
from .conflict import path_words, value_words
from .text import fold, haystack, matches


@dataclass(frozen=True)
class HistoryRow:
    change: Change
    when: str  # "2026-11-23 10:00"
    who: str
    subject: str  # whose engagement
    what: str  # the step, as the history names it
    fields: str  # "段階: 見学 → 協働" or "3 項目"
    details: list[str]  # every changed field, for the detail pane
    hay: str  # folded text the filter searches


def _inner(annotation: Any) -> Any:
    """The model or enum behind Annotated[…], X | None and list[X]."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (list, tuple):
            annotation = typing.get_args(annotation)[0]
        elif origin is not None:  # a union: its one type that is not None
            kinds = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(kinds) != 1:
                return annotation
            annotation = kinds[0]
        else:
            return annotation


@lru_cache(maxsize=512)
def _kind(root: type, path: str) -> Any:
    """The type of the field at `path` of the model `root` (an enum, a model, date…; None: unknown)."""
    node: Any = root
    kind: Any = None
    for name, _ in PATH_SEGMENT.findall(path):
        fields = getattr(node, "model_fields", None)
        if not fields or name not in fields:
            return None
        kind = _inner(fields[name].annotation)
        node = kind
    return kind


def _value(value: Any, kind: Any, lang: str | None) -> str:
    """A logged value in words: the log keeps enums by value, dates as ISO text and records as
    (possibly cut) JSON text."""
    if value is None or value == "":
        return t("conflict.none", lang)
    if isinstance(kind, type) and issubclass(kind, StrEnum) and isinstance(value, str):
        try:
            return value_words(kind(value), lang)
        except ValueError:  # a value of another version's vocabulary
            return value
    if isinstance(value, str) and value[:1] in "{[":
        try:
            value = json.loads(value)
        except ValueError:  # cut to the log's length: a record, still
            return t("conflict.record", lang) if value[:1] == "{" else value
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            return t("form.history.records", lang, n=len(value))
    if isinstance(value, date):
        return value.isoformat()
    return value_words(value, lang)


def field_text(entry: dict[str, Any], root: type, lang: str | None = None, known: Mapping[str, str] | None = None) -> str:
    """One logged field in words: where, then before → after (a record: added / removed).
    Records are named as the entry names them, else by `known` (an entry logged before entries
    named them: the engagement's records as they are now), else by their id."""
    path = str(entry.get("path", ""))
    names = {**(known or {}), **(entry.get("names") or {})}
    if root.__name__ == "Employee" and has(f"staff.field.{path}"):  # the staff screen's own words
        where = t(f"staff.field.{path}", lang)
    else:
        where = path_words(path, lambda record_id: str(names.get(record_id, record_id)), lang)
    before, after = entry.get("before"), entry.get("after")
    if path.endswith("]") and (before is None) != (after is None):  # a whole record
        return f"{where}: {t('form.history.added' if before is None else 'form.history.removed', lang)}"
    kind = _kind(root, path)
    return f"{where}: {_value(before, kind, lang)} → {_value(after, kind, lang)}"


def _root(change: Change) -> type:
    from ..models import Employee, Engagement

    return Employee if not change.engagement else Engagement  # an employee record's own change


def history_rows(changes: list[Change], lang: str | None = None, known: Mapping[str, str] | None = None) -> list[HistoryRow]:
    rows = []
    for change in changes:
        root = _root(change)
        details = [field_text(c, root, lang, known) for c in change.changes]
        if change.more:
            details.append(t("form.history.more", lang, n=change.more))
        # The first field in full (a stage move's own), then how many more.
        extra = len(change.changes) + change.more - 1
        fields = details[0] if change.changes else ""
        if extra > 0:
            fields += "  " + t("form.history.more", lang, n=extra)
        what = change.description(lang)
        rows.append(HistoryRow(
            change=change, when=change.at.strftime("%Y-%m-%d %H:%M"), who=change.who, subject=change.subject,
            what=what, fields=fields, details=details,
            hay=haystack([change.who, change.subject, what, change.engagement, *details]),
        ))
    return rows


def matching(row: HistoryRow, query: str) -> bool:
    return not fold(query) or matches(query, row.hay)

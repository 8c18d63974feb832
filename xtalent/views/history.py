"""What the history screen shows of the change log: one row per change, in the UI language."""

from __future__ import annotations

from dataclasses import dataclass

from ..changelog import Change
from ..i18n import t
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


def _value(value: object) -> str:
    if value is None or value == "":
        return t("conflict.none")
    return str(value)


def history_rows(changes: list[Change]) -> list[HistoryRow]:
    rows = []
    for change in changes:
        details = [f"{c['path']}: {_value(c.get('before'))} → {_value(c.get('after'))}" for c in change.changes]
        if change.more:
            details.append(t("form.history.more", n=change.more))
        # The first field in full (a stage move's own), then how many more.
        extra = len(change.changes) + change.more - 1
        fields = details[0] if change.changes else ""
        if extra > 0:
            fields += "  " + t("form.history.more", n=extra)
        what = change.description()
        rows.append(HistoryRow(
            change=change, when=change.at.strftime("%Y-%m-%d %H:%M"), who=change.who, subject=change.subject,
            what=what, fields=fields, details=details,
            hay=haystack([change.who, change.subject, what, change.engagement, *details]),
        ))
    return rows


def matching(row: HistoryRow, query: str) -> bool:
    return not fold(query) or matches(query, row.hay)

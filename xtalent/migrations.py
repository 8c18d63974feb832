"""Upgrading stored and imported engagements from older schema versions.

Each step takes the plain JSON of one engagement at version N and returns it at N+1.  The
store runs them when it opens an older database (after a backup); imports run them on
documents from older versions.

* 1 → 2: the engagement's life (appointment type, term history, the after-term decision,
  closing) and the 年度 a target should be achieved by.  Only the appointment type needs a
  value: it is inferred from the role and contract form (a dispatched advisor, a 地域活性化起業人
  on a side job or dispatched by a company, a 会計年度任用職員, a special part-time post or
  outsourcing); everything else starts empty, as a record made before version 2 has none of it.
* 2 → 3: an indicator's readings (its value on a day) and a log entry's 相談者, 助言内容 and next
  steps (a dispatch's 実施報告書).  The new log fields start empty.  An indicator with a current
  value gets that value as its one reading, dated at the latest day the record shows anything
  happening (a log entry, a stage reached, evidence, a target agreed, the closing), kept within
  the term — the term start when nothing happened yet.  Not the term start always: that would
  say the value was reached before any work began and hide the movement a report looks for; the
  latest recorded activity is the day the record was last kept up, and the value was typed by
  then.  (The change log knows the day exactly, but a step reads the engagement only, and an
  imported document has no change log.)
* 3 → 4: receiving staff as people of the organisation.  A receiver gains a reference to an
  employee record (people.json) and a status (在籍 / 異動済み / 退職, 在籍 by default).  The
  records are made by the store when it migrates a database (its migration hook,
  store._LinkReceivers) and by an import: one per receiver, the look-alikes only proposed as
  one person (people.proposals).
"""

from __future__ import annotations

from typing import Any, Callable

SCHEMA_VERSION = 4
"""The version of the stored and interchange format this code writes."""

Step = Callable[[dict[str, Any]], dict[str, Any]]


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    from .appointments import infer_type

    if "appointment_type" not in data:
        role, form = data.get("role"), data.get("contract_form", "special_part_time")
        data["appointment_type"] = infer_type(role if isinstance(role, str) else "", form if isinstance(form, str) else "")
    return data


def _last_activity(data: dict[str, Any]) -> str | None:
    """The latest ISO day the record shows something happening, within its term."""
    days: list[str] = []

    def add(value: object) -> None:
        if isinstance(value, str) and len(value) == 10 and value[4] == "-":
            days.append(value)

    def records(key: str, source: dict[str, Any] = data) -> list[dict[str, Any]]:
        found = source.get(key)
        return [r for r in found if isinstance(r, dict)] if isinstance(found, list) else []

    for entry in records("log"):
        add(entry.get("on"))
    for item in records("items"):
        for evidence in records("evidence", item):
            add(evidence.get("on"))
        for reception in records("receivers", item):
            for event in records("history", reception):
                add(event.get("on"))
    for target in records("targets"):
        add(target.get("agreed_on"))
    closure = data.get("closure")
    if isinstance(closure, dict):
        add(closure.get("on"))
    start, end = data.get("term_start"), data.get("term_end")
    if isinstance(start, str) and isinstance(end, str):
        days = [d for d in days if start <= d <= end] or [start]
    return max(days, default=start if isinstance(start, str) else None)


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    on = _last_activity(data)
    targets = data.get("targets")
    for target in targets if isinstance(targets, list) else []:
        indicator = target.get("indicator") if isinstance(target, dict) else None
        if not isinstance(indicator, dict) or "readings" in indicator:
            continue
        current = indicator.get("current")
        indicator["readings"] = [{"on": on, "value": current}] if current is not None and on is not None else []
    return data


def _v3_to_v4(data: dict[str, Any]) -> dict[str, Any]:
    # Nothing to fill in: a receiver without an employee record is linked by whoever writes it.
    return data


MIGRATIONS: dict[int, Step] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}


class NewerSchema(Exception):
    def __init__(self, found: int) -> None:
        super().__init__(found)
        self.found = found


def migrate_engagement(data: dict[str, Any], from_version: int, to_version: int = SCHEMA_VERSION) -> dict[str, Any]:
    if from_version > to_version:
        raise NewerSchema(from_version)
    for version in range(from_version, to_version):
        data = MIGRATIONS[version](data)
    return data

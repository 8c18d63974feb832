"""Upgrading stored and imported engagements from older schema versions.

Each step takes the plain JSON of one engagement at version N and returns it at N+1.  The
store runs them when it opens an older database (after a backup); imports run them on
documents from older versions.

* 1 → 2: the engagement's life (appointment type, term history, the after-term decision,
  closing) and the 年度 a target should be achieved by.  Only the appointment type needs a
  value: it is inferred from the role and contract form (a dispatched advisor, a 地域活性化起業人
  on a side job or dispatched by a company, a 会計年度任用職員, a special part-time post or
  outsourcing); everything else starts empty, as a record made before version 2 has none of it.
* 2 → 3: receiving staff as people of the organisation.  A receiver gains a reference to an
  employee record (people.json) and a status (在籍 / 異動済み / 退職, 在籍 by default).  The
  records are made by the store when it migrates a database (Store._migrate) and by an import:
  one per receiver, the look-alikes only proposed as one person (people.proposals).
"""

from __future__ import annotations

from typing import Any, Callable

SCHEMA_VERSION = 3
"""The version of the stored and interchange format this code writes."""

Step = Callable[[dict[str, Any]], dict[str, Any]]


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    from .appointments import infer_type

    if "appointment_type" not in data:
        role, form = data.get("role"), data.get("contract_form", "special_part_time")
        data["appointment_type"] = infer_type(role if isinstance(role, str) else "", form if isinstance(form, str) else "")
    return data


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    # Nothing to fill in: a receiver without an employee record is linked by whoever writes it.
    return data


MIGRATIONS: dict[int, Step] = {1: _v1_to_v2, 2: _v2_to_v3}


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

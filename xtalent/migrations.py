"""Upgrading stored and imported engagements from older schema versions.

Each step takes the plain JSON of one engagement at version N and returns it at N+1.  The
store runs them when it opens an older database (after a backup); imports run them on
documents from older versions.  Version 1 is the first: no steps yet.
"""

from __future__ import annotations

from typing import Any, Callable

SCHEMA_VERSION = 1
"""The version of the stored and interchange format this code writes."""

Step = Callable[[dict[str, Any]], dict[str, Any]]

MIGRATIONS: dict[int, Step] = {}


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

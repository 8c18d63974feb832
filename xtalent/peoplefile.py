"""The employee records' file (people.json, beside the engagements): the registry ↔ bytes,
read from a database folder or a snapshot folder, damage named as users see it.

The file is written only through the folder's one write path (DatabaseFolder.write), with the
engagements a change touches, all or nothing; what is written is people.py's business.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from . import migrations
from .atomic import UnreadableFile, decode_json, dumps
from .errors import StoreError, from_validation_error

if TYPE_CHECKING:
    from .dbfolder import DatabaseFolder
    from .models import PeopleRegistry

PEOPLE = "people.json"
PEOPLE_FORMAT = "xtalent-people"


def people_path(folder: DatabaseFolder) -> Path:
    return folder.root / PEOPLE


def encode(registry: PeopleRegistry) -> bytes:
    return dumps({"format": PEOPLE_FORMAT, "schema_version": migrations.SCHEMA_VERSION,
                  **registry.model_dump(mode="json")})


def read(folder: DatabaseFolder, path: Path | None = None, *, only: Iterable[str] | None = None) -> PeopleRegistry:
    """The registry in `path` (the folder's people.json by default); empty where there is none.

    `only`: the employees with these ids, and every rejected proposal: what an export of some
    engagements carries.  Only those records are validated (at a prefecture's size the file
    holds ~5,000: validating them all was most of `export ID`'s own work); the file's format and
    version are checked as always, and any problem is looked for in the whole file, so it is
    named where it is."""
    from pydantic import ValidationError

    from .models import PeopleRegistry

    path = path or people_path(folder)
    try:
        raw = folder.read_bytes(path)
    except FileNotFoundError:
        return PeopleRegistry()
    try:
        data = decode_json(raw, path, finite=True)
    except UnreadableFile as exc:
        raise folder.corrupt(path, exc.detail) from None
    if not isinstance(data, dict) or data.pop("format", None) != PEOPLE_FORMAT:
        raise folder.corrupt(path, "wrong shape")
    version = data.pop("schema_version", None)
    if type(version) is int and version > migrations.SCHEMA_VERSION:
        raise StoreError("store.newer_schema", path=str(path), found=version, supported=migrations.SCHEMA_VERSION)
    employees = data.get("employees")
    if only is not None and isinstance(employees, list) and all(isinstance(e, dict) for e in employees):
        wanted = set(only)
        try:
            return PeopleRegistry.model_validate({**data, "employees": [e for e in employees if e.get("id") in wanted]})
        except ValidationError:
            pass  # named below, where it is in the whole file
    try:
        return PeopleRegistry.model_validate(data)
    except ValidationError as exc:
        raise folder.corrupt(path, "; ".join(from_validation_error(exc, str(path)).lines()[:3])) from None

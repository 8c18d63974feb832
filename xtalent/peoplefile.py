"""The employee records' file (people.json, beside the engagements): the registry ↔ bytes,
read from a database folder or a snapshot folder, damage named as users see it.

The file is written only through the folder's one write path (DatabaseFolder.write), with the
engagements a change touches, all or nothing; what is written is people.py's business.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

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


def read(folder: DatabaseFolder, path: Path | None = None) -> PeopleRegistry:
    """The registry in `path` (the folder's people.json by default); empty where there is none."""
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
    try:
        return PeopleRegistry.model_validate(data)
    except ValidationError as exc:
        raise folder.corrupt(path, "; ".join(from_validation_error(exc, str(path)).lines()[:3])) from None

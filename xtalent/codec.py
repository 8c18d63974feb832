"""An engagement file: the engagement ↔ the tables on disk ↔ bytes, both ways, in one place.

The file is a TinyDB database (tables meta, engagement, targets, items, staff, log; each a
JSON object of rows keyed by document id), so a file xtalent writes opens in plain TinyDB and
a file plain TinyDB wrote opens in xtalent (tests/test_store.py checks both ways).  The layout
is simple enough that reading and writing it needs no TinyDB at run time: `encode` writes the
tables as TinyDB would, `decode` reads them by TinyDB's rules (a missing table is empty; rows
in file order; ids are integers).

Every problem is an `UnreadableFile` naming the file and what is wrong (never a value); the
store turns it into the message users see, with the latest backup beside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from . import migrations
from .atomic import UnreadableFile, decode_json, dumps, non_finite_paths
from .errors import InvalidData, StoreError, format_path

if TYPE_CHECKING:
    from .models import Engagement

RECORD_TABLES = ("targets", "items", "staff", "log")
TABLES = ("meta", "engagement", *RECORD_TABLES)


# ----- the engagement → tables → bytes ------------------------------------------------------
def tables_of(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """An engagement's JSON (as model_dump(mode="json") gives it) as the tables of its file."""
    data = dict(data)
    records = {name: data.pop(name) for name in RECORD_TABLES}
    revision = data.pop("revision")
    tables: dict[str, dict[str, Any]] = {
        "meta": {"1": {"schema_version": migrations.SCHEMA_VERSION, "revision": revision, "id": data["id"]}},
        "engagement": {"1": data},
    }
    for name, rows in records.items():
        tables[name] = {str(n): row for n, row in enumerate(rows, start=1)}
    return tables


def engagement_to_tables(engagement: Engagement) -> dict[str, dict[str, Any]]:
    return tables_of(engagement.model_dump(mode="json"))


def encode_data(data: dict[str, Any]) -> bytes:
    """The bytes of the file holding an engagement given as its JSON data."""
    return dumps(tables_of(data))


def encode(engagement: Engagement) -> bytes:
    """The bytes of an engagement's file."""
    return encode_data(engagement.model_dump(mode="json"))


def unstorable(data: Any, source: str, prefix: Iterable[Any] = ()) -> InvalidData | None:
    """Values a model accepts but JSON cannot hold (NaN, infinity), as a validation error."""
    problems: list[tuple[str, str, dict[str, Any]]] = [(format_path([*prefix, *loc]), "validation.not_a_number", {}) for loc in non_finite_paths(data)]
    return InvalidData(source, problems) if problems else None


# ----- bytes → tables → the engagement ------------------------------------------------------
def _rows(tables: dict[str, Any], name: str, path: Path) -> list[dict[str, Any]]:
    table = tables.get(name, {})  # TinyDB: a table never written is empty
    if not isinstance(table, dict):
        raise UnreadableFile(path, "wrong shape")
    rows = []
    for doc_id, row in table.items():
        try:
            int(doc_id)  # TinyDB's document ids are integers
        except ValueError:
            raise UnreadableFile(path, "wrong shape") from None
        if not isinstance(row, dict):
            raise UnreadableFile(path, "wrong shape")
        rows.append(dict(row))
    return rows


def decode(raw: bytes, path: Path) -> tuple[int, dict[str, Any]]:
    """The stored tables as one plain engagement dict, and the schema version it is at."""
    decoded = decode_json(raw, path, finite=True)
    if not isinstance(decoded, dict):
        raise UnreadableFile(path, "not a JSON object")
    tables = {name: _rows(decoded, name, path) for name in TABLES}
    if len(tables["meta"]) != 1 or len(tables["engagement"]) != 1:
        raise UnreadableFile(path, "wrong shape")
    meta = tables["meta"][0]
    version = meta.get("schema_version")
    if type(version) is not int or version < 1:
        raise UnreadableFile(path, "wrong shape")
    data = tables["engagement"][0]
    for name in RECORD_TABLES:
        data[name] = tables[name]
    data["revision"] = meta.get("revision", 0)
    return version, data


def upgraded(path: Path, version: int, data: dict[str, Any]) -> dict[str, Any]:
    """An engagement's data at `version` brought to this schema version (migrations.py)."""
    target = migrations.SCHEMA_VERSION
    try:
        return migrations.migrate_engagement(dict(data), version, target)
    except migrations.NewerSchema:
        raise StoreError("store.newer_schema", path=str(path), found=version, supported=target) from None
    except Exception as exc:  # a step meeting data it did not expect: refuse, change nothing
        raise StoreError("store.migration_failed", path=str(path), version=target, detail=type(exc).__name__) from None


def validated(path: Path, data: dict[str, Any]) -> Engagement:
    """The engagement a file's data holds; it must be the one the file is named after."""
    from pydantic import ValidationError

    from .errors import from_validation_error
    from .models import Engagement

    try:
        engagement = Engagement.model_validate(data)
    except ValidationError as exc:
        # A stored file that no longer validates was damaged outside xtalent: say so, and
        # name the field (never its value) so the damage can be found.
        lines = from_validation_error(exc, str(path)).lines()
        raise UnreadableFile(path, "; ".join(lines[:3])) from None
    if path.stem != engagement.id:
        raise UnreadableFile(path, "id does not match the file name")
    return engagement


def _validated_from_bytes(raw: bytes) -> Engagement | None:
    """The engagement a file holds, validated by pydantic-core while it parses the bytes: no
    dicts of the whole file are made first, so loading many costs little more than parsing
    their JSON (see docs/performance.md).  None when the file is not exactly as xtalent writes
    it at this schema version; the caller then reads it the careful way."""
    from pydantic import ValidationError

    from .models import StoredFile, build_file_validators

    build_file_validators()
    try:
        return StoredFile.model_validate_json(raw).engagement_at(migrations.SCHEMA_VERSION)
    except (ValidationError, ValueError, RecursionError):
        return None


def parse(path: Path, raw: bytes) -> Engagement:
    """The engagement in a file's bytes, at this schema version: `UnreadableFile` when the file
    is damaged, `StoreError` when it cannot be brought to this version."""
    engagement = _validated_from_bytes(raw)
    if engagement is not None and engagement.id == path.stem:
        return engagement
    # Anything unusual (an older version, a BOM, damage) is read the careful way, which says
    # exactly what is wrong.
    version, data = decode(raw, path)
    return validated(path, upgraded(path, version, data))

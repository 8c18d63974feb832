"""The interchange document: reading it strictly, writing it losslessly, and its JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .atomic import UnreadableFile, loads_strict, non_finite_paths, read_json
from .errors import InvalidData, XtalentError, format_path, from_validation_error
from .migrations import migrate_engagement
from .models import SCHEMA_VERSION, InterchangeDocument


def parse_document(data: Any, source: str) -> InterchangeDocument:
    """Validate a decoded JSON value as an interchange document, migrating older versions."""
    if not isinstance(data, dict):
        raise InvalidData(source, [("", "validation.not_object", {})])
    # 1e400 decodes to infinity, which the model's plain floats would accept and no JSON can hold.
    infinite = [(format_path(loc), "validation.not_a_number", {}) for loc in non_finite_paths(data)]
    if infinite:
        raise InvalidData(source, infinite)
    version = data.get("schema_version", SCHEMA_VERSION)
    if type(version) is not int:
        # The model would coerce "2" or 2.0 to 2 and skip the newer-schema refusal below,
        # importing a future version's data as if it were ours.
        key = "validation.not_whole" if isinstance(version, float) else "validation.not_a_number"
        raise InvalidData(source, [("schema_version", key, {})])
    if version > SCHEMA_VERSION:
        raise XtalentError("store.newer_schema", path=source, found=version, supported=SCHEMA_VERSION)
    if 1 <= version < SCHEMA_VERSION and isinstance(data.get("engagements"), list):
        data = dict(data)
        migrated = []
        for n, engagement in enumerate(data["engagements"]):
            try:
                if isinstance(engagement, dict):
                    engagement = migrate_engagement(dict(engagement), version, SCHEMA_VERSION)
            except Exception:  # NewerSchema, or a step meeting input it did not expect
                raise InvalidData(
                    source, [(format_path(["engagements", n]), "validation.invalid", {"code": "migration"})]
                ) from None
            migrated.append(engagement)
        data["engagements"] = migrated
        data["schema_version"] = SCHEMA_VERSION
    try:
        return InterchangeDocument.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, source) from None


def load_document(path: Path | str) -> InterchangeDocument:
    path = Path(path)
    try:
        data = read_json(path)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise XtalentError("errors.no_such_file", path=str(path)) from None
    except PermissionError:
        raise XtalentError("store.unreadable_permission", path=str(path)) from None
    except OSError as exc:
        raise XtalentError("errors.cannot_read", path=str(path), detail=exc.strerror or type(exc).__name__) from None
    except UnreadableFile as exc:
        raise XtalentError("errors.not_json", path=str(path), detail=exc.detail) from None
    return parse_document(data, str(path))


def loads_document(text: str, source: str = "<input>") -> InterchangeDocument:
    try:
        data = loads_strict(text, source)
    except UnreadableFile as exc:
        raise XtalentError("errors.not_json", path=source, detail=exc.detail) from None
    return parse_document(data, source)


def dump_document(document: InterchangeDocument) -> str:
    return json.dumps(document.model_dump(mode="json"), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def json_schema() -> dict[str, Any]:
    schema = InterchangeDocument.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://xtalent.invalid/schema/v{SCHEMA_VERSION}.json"
    return schema

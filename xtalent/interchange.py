"""The interchange document: reading it strictly, writing it losslessly, and its JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .atomic import UnreadableFile, read_json
from .errors import InvalidData, XtalentError, from_validation_error
from .migrations import NewerSchema, migrate_engagement
from .models import SCHEMA_VERSION, InterchangeDocument


def parse_document(data: Any, source: str) -> InterchangeDocument:
    """Validate a decoded JSON value as an interchange document, migrating older versions."""
    if not isinstance(data, dict):
        raise InvalidData(source, [("", "validation.not_object", {})])
    version = data.get("schema_version", SCHEMA_VERSION)
    if isinstance(version, int) and not isinstance(version, bool):
        if version > SCHEMA_VERSION:
            raise XtalentError("store.newer_schema", path=source, found=version, supported=SCHEMA_VERSION)
        if version < SCHEMA_VERSION and isinstance(data.get("engagements"), list):
            try:
                data = dict(data)
                data["engagements"] = [
                    migrate_engagement(e, version) if isinstance(e, dict) else e for e in data["engagements"]
                ]
                data["schema_version"] = SCHEMA_VERSION
            except (NewerSchema, KeyError, TypeError, ValueError):
                raise InvalidData(source, [("schema_version", "validation.invalid", {"code": "migration"})]) from None
    try:
        return InterchangeDocument.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, source) from None


def load_document(path: Path | str) -> InterchangeDocument:
    path = Path(path)
    try:
        data = read_json(path)
    except FileNotFoundError:
        raise XtalentError("errors.no_such_file", path=str(path)) from None
    except IsADirectoryError:
        raise XtalentError("errors.no_such_file", path=str(path)) from None
    except PermissionError:
        raise XtalentError("store.unreadable_permission", path=str(path)) from None
    except UnreadableFile as exc:
        raise XtalentError("errors.not_json", path=str(path), detail=exc.detail) from None
    return parse_document(data, str(path))


def loads_document(text: str, source: str = "<input>") -> InterchangeDocument:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise XtalentError("errors.not_json", path=source, detail=f"line {exc.lineno} column {exc.colno}") from None
    return parse_document(data, source)


def dump_document(document: InterchangeDocument) -> str:
    return json.dumps(document.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def json_schema() -> dict[str, Any]:
    schema = InterchangeDocument.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://xtalent.invalid/schema/v{SCHEMA_VERSION}.json"
    return schema

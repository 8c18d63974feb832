"""The interchange document: reading it strictly, writing it losslessly, and its JSON Schema."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .atomic import UnreadableFile, loads_strict, non_finite_paths, read_json
from .errors import InvalidData, XtalentError, format_path, from_validation_error
from .migrations import migrate_engagement
from .models import SCHEMA_VERSION, InterchangeDocument
from .vocabulary import ID_PATTERN


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
        found = from_validation_error(exc, source)
    # pydantic skips the cross-reference validators of a model whose fields failed, and those
    # stop at the first problem: check them leniently on the raw input so one run lists all.
    problems = list(found.problems)
    seen = {_problem_key(p) for p in problems}
    for problem in cross_reference_problems(data):
        if _problem_key(problem) not in seen:
            seen.add(_problem_key(problem))
            problems.append(problem)
    problems.sort(key=lambda p: _engagement_index(p[0]))
    raise InvalidData(source, [(_with_id(path, data), key, params) for path, key, params in problems]) from None


Problem = tuple[str, str, dict[str, Any]]
_ID = re.compile(ID_PATTERN)  # the model's Id
_ENGAGEMENT_PATH = re.compile(r"^engagements\[(\d+)\]")
_COLLECTIONS = ("targets", "items", "staff", "log")


def _problem_key(problem: Problem) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    path, key, params = problem
    return path, key, tuple(sorted((k, str(v)) for k, v in params.items()))


def _engagement_index(path: str) -> int:
    m = _ENGAGEMENT_PATH.match(path)
    return int(m.group(1)) if m else -1


def _id_of(record: Any) -> str | None:
    """A record's id when it looks like one (ids are not personal data; anything else may be)."""
    if isinstance(record, dict):
        value = record.get("id")
        if isinstance(value, str) and _ID.match(value.strip()):
            return value.strip()
    return None


def _with_id(path: str, data: Any) -> str:
    """`engagements[1].items[0]` becomes `engagements[1] (en-2025-abc).items[0]`: which one, by id."""
    m = _ENGAGEMENT_PATH.match(path)
    if not m or not isinstance(data, dict) or not isinstance(data.get("engagements"), list):
        return path
    engagements = data["engagements"]
    n = int(m.group(1))
    engagement_id = _id_of(engagements[n]) if n < len(engagements) else None
    if engagement_id is None:
        return path
    return f"{m.group(0)} ({engagement_id}){path[m.end():]}"


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _day(value: Any) -> Any:
    from datetime import date

    from .dates import DateParseError, parse_date

    if isinstance(value, date):
        return value
    try:
        return parse_date(value) if isinstance(value, str) else None
    except (DateParseError, ValueError, TypeError):
        return None


def _engagement_problems(engagement: dict[str, Any], prefix: list[Any]) -> list[Problem]:
    out: list[Problem] = []
    start, end = _day(engagement.get("term_start")), _day(engagement.get("term_end"))
    if start is not None and end is not None and end < start:
        out.append((format_path(prefix), "model.term_end_before_start", {}))
    ids: dict[str, set[str]] = {}
    for collection in _COLLECTIONS:
        seen: set[str] = set()
        for record in _list(engagement.get(collection)):
            record_id = _id_of(record)
            if record_id is None:
                continue
            if record_id in seen:
                out.append((format_path(prefix), "model.duplicate_id", {"collection": collection, "id": record_id}))
            seen.add(record_id)
        ids[collection] = seen

    def ref(value: Any, known: str, loc: list[Any]) -> None:
        # Only a well-formed id can be reported: a malformed one already has its own error,
        # and anything else may be personal data typed into the wrong field.
        if isinstance(value, str) and _ID.match(value.strip()) and value.strip() not in ids[known]:
            out.append((format_path([*prefix, *loc]), "model.dangling_reference", {"id": value.strip()}))

    for n, target in enumerate(_list(engagement.get("targets"))):
        if isinstance(target, dict):
            for m, staff_id in enumerate(_list(target.get("staff_ids"))):
                ref(staff_id, "staff", ["targets", n, "staff_ids"])
    for n, item in enumerate(_list(engagement.get("items"))):
        if not isinstance(item, dict):
            continue
        ref(item.get("target_id"), "targets", ["items", n, "target_id"])
        for m, reception in enumerate(_list(item.get("receivers"))):
            if isinstance(reception, dict):
                ref(reception.get("staff_id"), "staff", ["items", n, "receivers", m, "staff_id"])
    for n, entry in enumerate(_list(engagement.get("log"))):
        if isinstance(entry, dict):
            ref(entry.get("target_id"), "targets", ["log", n, "target_id"])
    return out


def cross_reference_problems(data: Any) -> list[Problem]:
    """The model validators' checks, run leniently on raw input whatever else is wrong with it."""
    if not isinstance(data, dict):
        return []
    out: list[Problem] = []
    seen: set[str] = set()
    for n, engagement in enumerate(_list(data.get("engagements"))):
        if not isinstance(engagement, dict):
            continue
        engagement_id = _id_of(engagement)
        if engagement_id is not None:
            if engagement_id in seen:
                out.append(("", "model.duplicate_id", {"collection": "engagements", "id": engagement_id}))
            seen.add(engagement_id)
        out.extend(_engagement_problems(engagement, ["engagements", n]))
    return out


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

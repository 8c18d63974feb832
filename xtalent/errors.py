"""Errors a user can act on: what is wrong and where, in the UI language, without echoing input.

Rejected input may hold personal data (names, e-mail addresses), so messages name the field
path and the reason, never the value.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from .i18n import has, t

if TYPE_CHECKING:  # the dashboard paints without pydantic; its errors arrive already made
    from pydantic import ValidationError


class XtalentError(Exception):
    """Base for errors shown to users: `key` and `params` name a catalog message."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message()


class InvalidData(XtalentError):
    """Validation failed; `problems` lists (path, reason) pairs already in the catalog language."""

    def __init__(self, source: str, problems: list[tuple[str, str, dict[str, Any]]]) -> None:
        super().__init__("errors.invalid_data", source=source, count=len(problems))
        self.source = source
        self.problems = problems

    def lines(self, lang: str | None = None) -> list[str]:
        return [f"{path or '(root)'}: {t(key, lang, **params)}" for path, key, params in self.problems]

    def message(self, lang: str | None = None) -> str:
        head = t(self.key, lang, source=self.source, count=len(self.problems))
        return "\n".join([head, *("  " + line for line in self.lines(lang))])


# pydantic's error types, mapped to our catalog; anything unlisted falls back to a generic reason.
_PYDANTIC_KEYS = {
    "missing": "validation.missing",
    "extra_forbidden": "validation.unknown_field",
    "string_too_short": "validation.empty",
    "string_too_long": "validation.too_long",
    "string_type": "validation.not_text",
    "string_unicode": "validation.not_text",
    "string_pattern_mismatch": "validation.bad_id",
    "enum": "validation.not_a_choice",
    "literal_error": "validation.not_a_choice",
    "int_parsing": "validation.not_a_number",
    "int_type": "validation.not_a_number",
    "int_from_float": "validation.not_whole",
    "float_parsing": "validation.not_a_number",
    "float_type": "validation.not_a_number",
    "finite_number": "validation.not_a_number",
    "greater_than_equal": "validation.too_small",
    "greater_than": "validation.too_small",
    "less_than_equal": "validation.too_large",
    "less_than": "validation.too_large",
    "bool_parsing": "validation.not_bool",
    "bool_type": "validation.not_bool",
    "list_type": "validation.not_list",
    "dict_type": "validation.not_object",
    "model_type": "validation.not_object",
    "model_attributes_type": "validation.not_object",
    "date_type": "date.unreadable",
    "date_parsing": "date.unreadable",
    "date_from_datetime_parsing": "date.unreadable",
    "json_invalid": "validation.bad_json",
}

# Context values safe to show: limits and choices, never the rejected input.
_SAFE_CTX = {"max_length", "min_length", "ge", "le", "gt", "lt", "expected", "collection", "id", "where"}


_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


def _key_text(part: Any) -> str:
    # Unknown keys come from the rejected input: quote, escape and shorten them so a path can
    # neither smuggle terminal control sequences nor carry a long value into the message.
    text = str(part)
    if _PLAIN_KEY.match(text):
        return text
    if len(text) > 24:
        text = text[:24] + "…"
    return json.dumps(text, ensure_ascii=False)


def format_path(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        else:
            key = _key_text(part)
            out += f".{key}" if out else key
    return out


def _reason(err: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    ctx = err.get("ctx") or {}
    etype = err["type"]
    if etype == "xt_date":
        return ctx.get("reason", "date.unreadable"), {}
    if etype.startswith("xt_"):
        if not has(err["msg"]):
            return "validation.invalid", {"code": etype}
        return err["msg"], {k: v for k, v in ctx.items() if k in _SAFE_CTX}
    if etype == "value_error" and has(str(ctx.get("error", ""))):
        return str(ctx["error"]), {}
    key = _PYDANTIC_KEYS.get(etype, "validation.invalid")
    params = {k: v for k, v in ctx.items() if k in _SAFE_CTX}
    if key == "validation.invalid":
        return key, {"code": etype}
    if key == "validation.too_small":
        params = {"limit": ctx.get("ge", ctx.get("gt", ""))}
    elif key == "validation.too_large":
        params = {"limit": ctx.get("le", ctx.get("lt", ""))}
    elif key == "validation.too_long":
        params = {"limit": ctx.get("max_length", "")}
    elif key == "validation.not_a_choice":
        params = {"expected": ctx.get("expected", "")}
    return key, params


def from_validation_error(exc: ValidationError, source: str, prefix: Iterable[Any] = ()) -> InvalidData:
    problems: list[tuple[str, str, dict[str, Any]]] = []
    for err in exc.errors(include_input=False, include_url=False):
        loc = [*prefix, *err["loc"]]
        ctx = err.get("ctx") or {}
        if "where" in ctx:
            # Cross-reference errors come from the engagement's own validator; point at the field.
            loc = [*loc, *(int(p) if p.isdigit() else p for p in str(ctx["where"]).split("."))]
        key, params = _reason(err)
        params.pop("where", None)
        problems.append((format_path(loc), key, params))
    return InvalidData(source, problems)


class StoreError(XtalentError):
    """The database cannot do what was asked (damaged file, locked, disk full, …)."""


class ConflictError(StoreError):
    """The engagement changed on disk since the editor loaded it: never a silent overwrite."""

    def __init__(self, engagement_id: str, expected: int, found: int) -> None:
        super().__init__("store.conflict", id=engagement_id, expected=expected, found=found)
        self.engagement_id = engagement_id


class EmployeeConflict(StoreError):
    """An employee record a colleague changed since the form was opened, on a field the user
    changed too: the user chooses whose value wins (the conflicts), never the code."""

    def __init__(self, current: Any, conflicts: list[Any]) -> None:
        super().__init__("store.employee_conflict", name=current.name, count=len(conflicts))
        self.current = current
        self.conflicts = conflicts

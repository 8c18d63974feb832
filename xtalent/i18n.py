"""The one message catalog: every user-facing string is looked up here by key.

Messages live in `messages/*.toml`, one file per area so areas can grow independently, but
they form a single catalog: a key is defined once, in Japanese and in English.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from importlib import resources
from typing import Mapping

LANGUAGES = ("ja", "en")
DEFAULT_LANGUAGE = "ja"

_current = DEFAULT_LANGUAGE


class CatalogError(RuntimeError):
    pass


def _flatten(prefix: str, table: Mapping[str, object], out: dict[str, dict[str, str]], source: str) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping) and set(value) and set(value) <= set(LANGUAGES):
            if full in out:
                raise CatalogError(f"message key {full!r} defined twice (again in {source})")
            out[full] = dict(value)  # type: ignore[arg-type]
        elif isinstance(value, Mapping):
            _flatten(full, value, out, source)
        else:
            raise CatalogError(f"message key {full!r} in {source} must be a table of ja/en")


@cache
def catalog() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    folder = resources.files("xtalent") / "messages"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            _flatten("", tomllib.loads(entry.read_text(encoding="utf-8")), out, entry.name)
    return out


def language_from_env(environ: Mapping[str, str] | None = None) -> str:
    """XTALENT_LANG, then the locale variables; Japanese unless the locale says English."""
    env = os.environ if environ is None else environ
    explicit = env.get("XTALENT_LANG", "").strip().lower()
    if explicit in LANGUAGES:
        return explicit
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "").strip().lower()
        if not value:
            continue
        if value.startswith("en"):
            return "en"
        if value.startswith("ja"):
            return "ja"
    return DEFAULT_LANGUAGE


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose from {', '.join(LANGUAGES)}")
    _current = lang


def get_language() -> str:
    return _current


def t(key: str, lang: str | None = None, /, **params: object) -> str:
    """The message for `key` in `lang` (default: the current language), formatted with params."""
    entry = catalog().get(key)
    if entry is None:
        raise CatalogError(f"no message {key!r} in the catalog")
    text = entry.get(lang or _current) or entry.get("en") or next(iter(entry.values()))
    return text.format(**params) if params else text


def has(key: str) -> bool:
    return key in catalog()

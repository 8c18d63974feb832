"""The one message catalog: every user-facing string is looked up here by key.

Messages live in `messages/*.toml`, one file per area so areas can grow independently, but
they form a single catalog: a key is defined once, in Japanese and in English.
"""

from __future__ import annotations

import json
import os
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping

from .usertext import shown

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

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


def parse_catalog(sources: Iterable[Traversable]) -> dict[str, dict[str, str]]:
    import tomllib  # only when the cache below cannot be used

    out: dict[str, dict[str, str]] = {}
    for entry in sorted(sources, key=lambda e: e.name):
        _flatten("", tomllib.loads(entry.read_text(encoding="utf-8")), out, entry.name)
    return out


# Parsing the TOML files takes ~25 ms of every launch (tomllib is pure Python); their parsed
# form is kept beside them, like byte code, and used while the files are unchanged.
CACHE_FORMAT = 1
CACHE_NAME = "catalog.json"


def load_catalog(folder: Path, cache_dir: Path | None) -> dict[str, dict[str, str]]:
    """The catalog of the `*.toml` files in `folder`, through a cache in `cache_dir`.

    The cache is keyed by each file's name, size and mtime (as Python keys .pyc files), is only
    written where Python would write byte code (not under PYTHONDONTWRITEBYTECODE), and any
    problem with it just means parsing the files again.
    """
    sources = sorted((p for p in folder.iterdir() if p.suffix == ".toml"), key=lambda p: p.name)
    try:
        stamp = [[p.name, st.st_mtime_ns, st.st_size] for p in sources for st in (p.stat(),)]
    except OSError:
        return parse_catalog(sources)
    if cache_dir is not None:
        try:
            cached = json.loads((cache_dir / CACHE_NAME).read_bytes())
            if cached["format"] == CACHE_FORMAT and cached["sources"] == stamp:
                return cached["messages"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
    out = parse_catalog(sources)
    if cache_dir is not None and not sys.dont_write_bytecode:
        _write_cache(cache_dir, {"format": CACHE_FORMAT, "sources": stamp, "messages": out})
    return out


def _write_cache(cache_dir: Path, document: dict[str, object]) -> None:
    from .atomic import atomic_write_bytes  # only when the cache is (re)written

    try:
        cache_dir.mkdir(exist_ok=True)
        # Derived from the shipped files, nothing personal: readable by every user, like .pyc.
        atomic_write_bytes(cache_dir / CACHE_NAME, json.dumps(document, ensure_ascii=False).encode("utf-8"), mode=0o644)
    except OSError:
        pass  # a read-only install: parse every time, as before


@cache
def catalog() -> dict[str, dict[str, str]]:
    folder = Path(__file__).with_name("messages")
    if folder.is_dir():
        return load_catalog(folder, folder / "__pycache__")
    from importlib import resources  # installed as a zip: no folder to keep a cache in

    packaged = resources.files("xtalent") / "messages"
    return parse_catalog(e for e in packaged.iterdir() if e.name.endswith(".toml"))


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
    return text.format(**{name: _safe(value) for name, value in params.items()}) if params else text


def _safe(value: object) -> object:
    """A message's parameter is often user text (a name, a title, a path): made safe for a
    terminal here, so no message can carry an escape sequence (xtalent.usertext)."""
    if isinstance(value, str):
        return shown(value, multiline=True)
    if isinstance(value, os.PathLike):
        return shown(os.fspath(value), multiline=True)
    return value


def has(key: str) -> bool:
    return key in catalog()

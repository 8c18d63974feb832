"""The one message catalog: every user-facing string is looked up here by key.

Messages live in `messages/*.toml`, one file per area so areas can grow independently, but
they form a single catalog: a key is defined once, in Japanese and in English.
"""

from __future__ import annotations

import json
import os
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
            out[full] = dict(value)
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
# form is kept in the user's cache folder (never the installed package), keyed by the release,
# these files' bytes and this module's (catalog_key): any edit or upgrade parses again.
CACHE_FORMAT = 2
CACHE_NAME = "catalog.json"


def load_catalog(folder: Path, cache_dir: Path | None, key: str) -> dict[str, dict[str, str]]:
    """The catalog of the `*.toml` files in `folder`, through a cache in `cache_dir` kept
    while `key` (catalog_key) is the same; any problem with it means parsing again."""
    sources = sorted((p for p in folder.iterdir() if p.suffix == ".toml"), key=lambda p: p.name)
    if cache_dir is not None:
        try:
            cached = json.loads((cache_dir / CACHE_NAME).read_bytes())
            if cached["format"] == CACHE_FORMAT and cached["key"] == key and isinstance(cached["messages"], dict):
                return cached["messages"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
    out = parse_catalog(sources)
    if cache_dir is not None:
        _write_cache(cache_dir, {"format": CACHE_FORMAT, "key": key, "messages": out})
    return out


def _write_cache(cache_dir: Path, document: dict[str, object]) -> None:
    from .atomic import keep_derived  # only when the cache is (re)written

    # The user's own cache folder, made private if missing; not writable: parse every time.
    keep_derived(cache_dir / CACHE_NAME, json.dumps(document, ensure_ascii=False).encode("utf-8"), parents=True)


def catalog_key(folder: Path) -> str:
    """The cached catalog's key: the release, the message files and the code that parses them
    (this module), which is all the parsed catalog depends on.  ~1 ms to read, where the whole
    package's digest (codeversion.code_version) takes ~10 ms of every command that asks none
    of the caches keyed by it (`export ID`, `check`)."""
    import hashlib

    from . import __version__
    from .codeversion import digest_of

    parser = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    return digest_of(folder, f"{__version__}+{parser}")


@cache
def catalog() -> dict[str, dict[str, str]]:
    folder = Path(__file__).with_name("messages")
    if folder.is_dir():
        from .paths import default_cache

        return load_catalog(folder, default_cache(), catalog_key(folder))
    from importlib import resources  # installed as a zip: no files to key a cache by

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
    text = template(key, lang)
    if not params:
        return text
    return text.format_map(safe_values(params))


def template(key: str, lang: str | None = None) -> str:
    """The message for `key` in `lang` (default: the current language) as written in the
    catalog: its fields are to be filled with `safe_values` (`t` does both)."""
    entry = catalog().get(key)
    if entry is None:
        raise CatalogError(f"no message {key!r} in the catalog")
    return entry.get(lang or _current) or entry.get("en") or next(iter(entry.values()))


def safe_values(params: Mapping[str, object]) -> dict[str, object]:
    """A message's parameters made safe to show (`_safe`): once for several messages that take
    the same values (a finding's message and action)."""
    # Printable text and whole numbers (most values) are safe as they are: passed without a call.
    return {name: value if type(value) is int or (type(value) is str and value.isprintable()) else _safe(value)
            for name, value in params.items()}


def _safe(value: object) -> object:
    """A message's parameter is often user text (a name, a title, a path): made safe for a
    terminal here, so no message can carry an escape sequence (xtalent.usertext)."""
    if isinstance(value, str):
        return shown(value, multiline=True)
    if isinstance(value, (int, float)):  # most of the rest: before the slower ABC check below
        return value
    if isinstance(value, os.PathLike):
        return shown(os.fspath(value), multiline=True)
    return value


def has(key: str) -> bool:
    return key in catalog()

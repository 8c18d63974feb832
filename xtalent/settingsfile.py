"""The settings file as the TUI holds it: its bytes, validated when first needed.

Validating takes pydantic and the rules: ~75 ms of a launch (bench/run.py: a town's dashboard
painted in 0.38 s with a settings file against 0.30 s without).  The TUI validates a file before
its first screen the first time it sees those bytes, and a usable file is then remembered in the
database's cache folder (by a digest of its bytes and the xtalent version).  Later launches paint
without validating; the first worker that needs the values validates them (`SettingsFile.load`).
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .atomic import keep_derived
from .codeversion import code_version
from .errors import XtalentError

if TYPE_CHECKING:
    from .settings import Settings

CHECKED_NAME = "settings-checked.json"
REMEMBERED = 8  # digests kept: a user switching between a few files does not validate each launch


class SettingsFile:
    """A settings file's bytes as read once; `key` names them for caches of derived data."""

    def __init__(self, path: Path | str, data: bytes) -> None:
        self.path = Path(path)
        self.data = data
        # Also the row cache's settings key (views/rowcache.py): rows computed from other bytes,
        # or by another version of the rules, are not reused.
        self.key = "file-" + hashlib.sha256(code_version().encode() + b"\0" + data).hexdigest()[:16]
        self._lock = threading.Lock()
        self._settings: Settings | None = None

    @classmethod
    def read(cls, path: Path | str) -> SettingsFile | None:
        """The file's bytes; None when there is no file (the defaults)."""
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            detail = exc.strerror or type(exc).__name__
            raise XtalentError("settings.unreadable", path=str(path), detail=detail) from None
        return cls(path, data)

    def load(self) -> Settings:
        """The validated settings, validated once from any thread; a bad file raises SettingsError."""
        with self._lock:
            if self._settings is None:
                from .settings import parse_settings

                self._settings = parse_settings(self.data, self.path)
            return self._settings


def _checked_path(db_root: Path | str) -> Path:
    return Path(db_root) / "cache" / CHECKED_NAME


def _checked_keys(db_root: Path | str) -> list[str]:
    try:
        keys = json.loads(_checked_path(db_root).read_bytes().decode("utf-8")).get("keys", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [k for k in keys if isinstance(k, str)] if isinstance(keys, list) else []


def checked_before(db_root: Path | str, settings: SettingsFile) -> bool:
    """Whether these very bytes were validated by this version before (derived data: a damaged
    or missing record only means validating again)."""
    return settings.key in _checked_keys(db_root)


def remember_checked(db_root: Path | str, settings: SettingsFile) -> None:
    """Record a file just validated; failing to write only costs the validation next launch."""
    keys = [k for k in _checked_keys(db_root) if k != settings.key][-(REMEMBERED - 1):] + [settings.key]
    keep_derived(_checked_path(db_root), json.dumps({"keys": keys}).encode("utf-8"))


def resolve(settings: Any) -> Any:
    """What the rules take: a SettingsFile's validated settings; anything else as given."""
    return settings.load() if isinstance(settings, SettingsFile) else settings


def user_settings(path: Path | str, db_root: Path | str) -> SettingsFile | None:
    """The settings file (None: no file, the defaults), known to be usable before the screen
    (or before `check` reads findings kept for it).

    Most users have no settings file; a file is validated here the first time its bytes are
    seen, then remembered, so later launches do not load the validators before the first
    screen, which paints from the dashboard's row cache without them (see settingsfile.py).
    """
    settings = SettingsFile.read(path)
    if settings is not None and not checked_before(db_root, settings):
        settings.load()  # raises for a file that cannot be used, naming the file and the key
        remember_checked(db_root, settings)
    return settings

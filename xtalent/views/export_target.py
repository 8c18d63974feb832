"""Where the TUI writes an exported checklist: the folder and file name the user typed, made safe.

The name is the export's default_filename unless the user typed another; whatever they type is
sanitised (no separators, reserved names or control characters) and gets the format's extension.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..atomic import atomic_write_bytes
from ..permissions import export_mode
from ..errors import XtalentError
from ..export import EXTENSIONS, sanitize_filename


def default_folder(cwd: Path | None = None, home: Path | None = None) -> Path:
    """The current directory if we may write there, else the home folder."""
    cwd = cwd if cwd is not None else Path.cwd()
    if cwd.is_dir() and os.access(cwd, os.W_OK):
        return cwd
    return home if home is not None else Path.home()


def _writable_folder(path: Path | None) -> bool:
    return path is not None and path.is_dir() and os.access(path, os.W_OK)


def start_folder(last: Path | None = None, home: Path | None = None, cwd: Path | None = None) -> Path:
    """Where the TUI's export dialog starts: the folder used last in this session, else the user's
    Documents folder, else their home folder — never the folder the program happened to be started
    in (often the program's own folder), which an HR officer would not look in; that only as a
    last resort."""
    home = home if home is not None else Path.home()
    for folder in (last, home / "Documents", home):
        if _writable_folder(folder):
            return folder  # type: ignore[return-value]
    return default_folder(cwd, home)


def with_extension(name: str, fmt: str) -> str:
    """Swap a known export extension for `fmt`'s, or add it."""
    stem, dot, ext = name.rpartition(".")
    if dot and ext.lower() in EXTENSIONS.values():
        name = stem
    return f"{name}.{EXTENSIONS[fmt]}"


@dataclass(frozen=True)
class Target:
    path: Path
    exists: bool


def resolve(folder: str, name: str, fmt: str) -> Target:
    """The file to write; raises XtalentError (key and field) when the folder or name will not do."""
    folder_text = folder.strip()
    if not folder_text:
        raise FieldError("folder", "exportui.error.no_folder")
    where = Path(folder_text).expanduser()
    if not where.is_dir():
        raise FieldError("folder", "exportui.error.not_a_folder", path=str(where))
    if not name.strip():
        raise FieldError("name", "exportui.error.no_name")
    safe = sanitize_filename(with_extension(name.strip(), fmt))
    path = where / safe
    if path.is_dir():
        raise FieldError("name", "exportui.error.is_folder", path=str(path))
    return Target(path, path.exists())


class FieldError(XtalentError):
    """A problem with one field of the export dialog (`field`: "folder" or "name")."""

    def __init__(self, field: str, key: str, **params: object) -> None:
        super().__init__(key, **params)
        self.field = field


def write(path: Path, data: bytes, *, team: bool = False) -> Path:
    try:
        atomic_write_bytes(path, data, mode=export_mode(team))
    except OSError as exc:
        raise XtalentError("errors.cannot_write", path=str(path), detail=exc.strerror or type(exc).__name__) from None
    return path

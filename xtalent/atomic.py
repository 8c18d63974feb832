"""Writes that either happen whole or not at all, and the TinyDB storage built on them."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

FILE_MODE = 0o600
DIR_MODE = 0o700


def fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; some platforms cannot open a directory, which is fine there.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Temp file in the same folder, flush + fsync, os.replace, fsync the folder.

    If anything fails (a full disk, a kill), the old file is untouched and the temp file is
    removed when we still can; a stray `.tmp` left by a kill is ignored by every reader.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    fsync_dir(path.parent)


def dumps(data: Any) -> bytes:
    # Japanese stays readable in the file: staff may open it in an editor during an audit.
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False).encode("utf-8")


class UnreadableFile(Exception):
    """The file exists but is not the JSON we wrote (empty, truncated, garbage, not UTF-8)."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.detail = detail


def read_json(path: Path) -> Any:
    """Read a JSON file strictly as UTF-8; raises FileNotFoundError or UnreadableFile."""
    raw = Path(path).read_bytes()
    if not raw.strip():
        raise UnreadableFile(path, "empty")
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise UnreadableFile(path, "not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise UnreadableFile(path, f"line {exc.lineno} column {exc.colno}") from None


class AtomicJSONStorage(Storage):
    """A TinyDB storage that never leaves a half-written file behind.

    TinyDB's own JSONStorage truncates and rewrites in place, so a crash mid-write loses the
    database; this one writes through `atomic_write_bytes`.
    """

    def __init__(self, path: str | Path, **_: Any) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            data = read_json(self.path)
        except FileNotFoundError:
            return None
        if not isinstance(data, dict):
            raise UnreadableFile(self.path, "not a JSON object")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        atomic_write_bytes(self.path, dumps(data))

    def close(self) -> None:
        pass

"""Writes that either happen whole or not at all, and strict JSON reading."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any, Iterator

from .permissions import file_mode_in, make_dir


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


def atomic_write_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    """Temp file in the same folder, flush + fsync, os.replace, fsync the folder.

    `mode`: by default as the folder says (permissions.file_mode_in): 0660 in a team
    database's folders, else private (0600).

    If anything fails (a full disk, a kill), the old file is untouched and the temp file is
    removed when we still can; a stray `.tmp` left by a kill is ignored by every reader.
    An OSError names the target file (not the temp file), which is what a user can act on.
    """
    _replace(path, data, mode, durable=True)


def replace_derived(path: Path, data: bytes, mode: int | None = None) -> None:
    """As atomic_write_bytes, without waiting for the disk: for derived data only (a cache that
    is computed again when missing, stale or unreadable), never for what a user entered.

    A process killed midway leaves the old file, as there; a machine losing power may leave
    the old file, the new one, or an empty or cut one (ext4 flushes a file renamed over
    another, but not every file system does), which every reader of a cache takes for "nothing
    kept".  The two fsyncs were up to a tenth of the day's first `check` at a thousand
    engagements (its 9 MB of kept findings), waiting on whatever else the machine writes."""
    _replace(path, data, mode, durable=False)


def keep_derived(path: Path, data: bytes, *, parents: bool = False) -> None:
    """replace_derived into a folder made when missing (`parents`: and the folders above it),
    where nothing fails: a cache that cannot be written only costs speed next time."""
    try:
        make_dir(Path(path).parent, exist_ok=True, parents=parents)
        replace_derived(path, data)
    except OSError:
        pass


def _replace(path: Path, data: bytes, mode: int | None, *, durable: bool) -> None:
    import tempfile  # with shutil, random, bz2, lzma: only a command that writes needs it

    path = Path(path)
    if mode is None:
        mode = file_mode_in(path.parent)
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            # mkstemp already creates 0600; fchmod guards against platforms where it does not.
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException as exc:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
        if isinstance(exc, OSError):
            exc.filename, exc.filename2 = str(path), None
        raise
    if durable:
        fsync_dir(path.parent)


def write_staged(path: Path, data: bytes, mode: int | None = None) -> None:
    """A new file of a batch whose commit point comes later (the store's journal): written but
    not yet flushed to disk; `sync_staged` makes the whole batch durable before that point.

    A file left half-written by a kill is harmless there: without the commit it is dropped."""
    path = Path(path)
    mode = file_mode_in(path.parent) if mode is None else mode
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.fchmod(fd, mode)  # the mode given to open() is narrowed by the umask
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except OSError as exc:
        exc.filename, exc.filename2 = str(path), None
        raise
    finally:
        os.close(fd)


def sync_staged(paths: list[Path], folder: Path) -> None:
    """Every file written by `write_staged`, and their folder, on disk.

    One fsync per file once all are written, and one of their folder, instead of two fsyncs
    per file as each is written (the file, then its folder after the rename): measured writing
    300 files of 15 kB on the development machine, an atomic write each 4.3 s, this 0.9–2.4 s.
    (One sync() of the whole system took 0.2 s there, but waits for every other program's
    writes too: on a busy machine, far longer.)"""
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    fsync_dir(folder)


def dumps(data: Any) -> bytes:
    # Japanese stays readable in the file: staff may open it in an editor during an audit.
    # NaN/Infinity are not JSON; refusing them here means no file we write can be unreadable
    # to other tools (callers check values first and report the field instead): the C encoder
    # refuses them (and anything not JSON) without indenting; pydantic-core then writes the
    # indented text, byte for byte what json.dumps(indent=1) wrote for xtalent's data, in a
    # quarter of the time (json's indenting encoder is pure Python: a third of a saved edit).
    json.dumps(data, ensure_ascii=False, allow_nan=False)
    from pydantic_core import to_json

    return to_json(data, indent=1)


class UnreadableFile(Exception):
    """The file exists but is not the JSON we wrote (empty, truncated, garbage, not UTF-8)."""

    def __init__(self, path: Path | str, detail: str) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.detail = detail  # shown to users

    @classmethod
    def said(cls, path: Path | str, key: str, **params: Any) -> UnreadableFile:
        """The problem as the catalog says it, in the UI language."""
        from .i18n import t

        return cls(path, t(key, **params))


class _NotJSONConstant(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _NotJSONConstant(name)


class _NotFinite(ValueError):
    pass


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400 is valid JSON text but decodes to infinity
        raise _NotFinite(text)
    return value


def loads_strict(text: str, path: Path | str, *, finite: bool = False) -> Any:
    """Strict JSON: no NaN/Infinity; every failure (even absurd nesting) is UnreadableFile.

    `finite`: also refuse numbers too large for a float (1e400), while parsing.  Checking the
    decoded data afterwards instead walked every value of every file: a third of the time a
    thousand engagements took to load.  (Imports check afterwards, to name the field.)
    """
    if not text.strip():
        raise UnreadableFile.said(path, "json.empty")
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float if finite else None)
    except _NotFinite:
        raise UnreadableFile.said(path, "json.not_finite") from None
    except json.JSONDecodeError as exc:
        raise UnreadableFile.said(path, "json.position", line=exc.lineno, column=exc.colno) from None
    except _NotJSONConstant as exc:
        raise UnreadableFile.said(path, "json.constant", name=str(exc)) from None
    except RecursionError:
        raise UnreadableFile.said(path, "json.too_deep") from None
    except ValueError:
        # Python refuses integers of more than a few thousand digits.
        raise UnreadableFile.said(path, "json.number_too_long") from None


def decode_json(raw: bytes, path: Path | str, *, finite: bool = False) -> Any:
    if not raw.strip():
        raise UnreadableFile.said(path, "json.empty")
    try:
        # utf-8-sig: Windows editors add a BOM to files staff hand us; it is not content.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile.said(path, "json.not_utf8") from None
    return loads_strict(text, path, finite=finite)


def read_json(path: Path) -> Any:
    """Read a JSON file strictly as UTF-8; raises OSError (FileNotFoundError...) or UnreadableFile."""
    return decode_json(Path(path).read_bytes(), path)


def non_finite_paths(value: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Where a decoded value holds a float JSON cannot represent (1e400 decodes to inf)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            yield loc
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from non_finite_paths(item, (*loc, key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from non_finite_paths(item, (*loc, n))

"""A second process that computes dashboard rows while this one paints: the cold first paint.

With no row kept (a new code version, language or settings), a thousand engagements take seconds
of CPU to validate and check, on the interpreter Textual needs for the first paint.  A helper
process (its own interpreter: `python -m xtalent.views.rowhelper`, never a fork) takes the
engagements from the last one backwards while the caller takes them from the first one forwards;
the caller stops where the two meet (`has`), so neither waits for the other and the second core
does half of the work.  Only worth it for many rows (HELPER_MIN): starting an interpreter and
importing the models costs ~0.4 s of the second core (docs/performance.md, with and without).

The helper writes nothing but its rows to its standard output; the caller takes a row only for an
engagement it asked for, from a helper of the same code version, and computes whatever the helper
did not deliver itself.  A damaged file stops the helper silently: the caller reaches that file
and raises exactly the error it raises without a helper.
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from ..codeversion import code_version
from ..settingsfile import SettingsFile
from .dashboard import DashboardRow

if TYPE_CHECKING:
    from ..store import Store

# Fewer rows than this to compute are computed in-process: the helper's start would not pay back.
HELPER_MIN = 200


class Helper:
    """The helper process computing rows for `paths` from the last backwards, and what it sent."""

    def __init__(self, paths: list[Path], today: date, lang: str, settings: SettingsFile | None) -> None:
        self.wanted = {path.stem for path in paths}
        self.rows: dict[str, DashboardRow] = {}  # delivered, filled by the reader thread
        self.gone: set[str] = set()  # files deleted since the listing (as Store.scan skips them)
        request = {
            "code": code_version(),
            "paths": [str(path) for path in paths],
            "today": today.isoformat(),
            "lang": lang,
            "settings": None if settings is None else {
                "path": str(settings.path), "data": base64.b64encode(settings.data).decode("ascii")},
        }
        # -P: the helper imports this installation's xtalent, never one in the current folder.
        self.process = subprocess.Popen(
            [sys.executable, "-P", "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, close_fds=True,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.reader = threading.Thread(target=self._read, args=(self.process.stdout,), name="rowhelper", daemon=True)
        self.reader.start()
        try:
            self.process.stdin.write(json.dumps(request).encode("utf-8"))
            self.process.stdin.close()
        except OSError:  # it could not start its work: the caller computes every row
            self.stop()

    def has(self, engagement_id: str) -> bool:
        """Whether the helper has delivered this engagement's row (or found its file gone)."""
        return engagement_id in self.rows or engagement_id in self.gone

    def _read(self, stream: BinaryIO) -> None:
        from .rowcache import _row_from_json

        try:
            header = json.loads(stream.readline())
            if header.get("code") != code_version():
                return
            for line in stream:
                message = json.loads(line)
                if "gone" in message:
                    if message["gone"] in self.wanted:
                        self.gone.add(message["gone"])
                    continue
                row = _row_from_json(message["row"])
                if row.id in self.wanted:
                    self.rows[row.id] = row
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return  # anything unexpected ends what is taken from it; the caller does the rest

    def stop(self) -> None:
        """End the helper (done or not) and take no more from it."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.reader.join()
        if self.process.stdout is not None:
            self.process.stdout.close()


def start(paths: list[Path], today: date, lang: str, settings: Any) -> Helper | None:
    """A helper for `paths` when there are enough of them, with settings it can be given (none,
    or a settings file's bytes); None otherwise, or when no interpreter can be started.  One
    started at the launch for exactly these paths, day, language and settings is taken instead."""
    waiting = _waiting.pop(_key(paths, today, lang, settings), None)
    stop_waiting()  # one started for other files or another state is of no use any more
    if waiting is not None:
        return waiting
    if len(paths) < HELPER_MIN or not sys.executable or not (settings is None or isinstance(settings, SettingsFile)):
        return None
    try:
        return Helper(paths, today, lang, settings)
    except OSError:
        return None


# Helpers started at the launch (`prestart`), until the dashboard's first load takes its own.
_waiting: dict[tuple[Any, ...], Helper] = {}


def _key(paths: list[Path], today: date, lang: str, settings: Any) -> tuple[Any, ...]:
    return (tuple(paths), today, lang, None if settings is None else getattr(settings, "key", id(settings)))


def prestart(store: Store, today: date, lang: str, settings: Any) -> None:
    """At the launch, before the UI is imported: when the kept rows are for another day, language,
    settings or code (or there are none), every row will be computed, so the helper starts now and
    imports the models while this process imports Textual; the dashboard's first load takes it
    (`start` with the same paths).  Reads only the head of the kept rows' file."""
    from .rowcache import kept_for

    if kept_for(store.root, today, lang, settings):
        return
    paths = store.folder.files()
    helper = start(paths, today, lang, settings)
    if helper is not None:
        if not _waiting:
            atexit.register(stop_waiting)
        _waiting[_key(paths, today, lang, settings)] = helper


def stop_waiting() -> None:
    """End the helpers not taken: at the exit (the app ended before its first load), or when the
    first load needs none or another (rowcache.current_rows)."""
    while _waiting:
        _waiting.popitem()[1].stop()


def main() -> int:
    """The helper: read the request, write a header, then one line per row, the last file first;
    stop silently at the first file that cannot be read as it is (the caller reports it)."""
    import gc

    gc.disable()  # its own short-lived interpreter: every engagement is freed by its last reference
    if hasattr(os, "nice"):
        os.nice(10)  # background work: on a busy machine the interface it computes for goes first
    from .. import codec
    from .dashboard import dashboard_row
    from .rowcache import _row_to_json

    request = json.loads(sys.stdin.buffer.read())
    out = sys.stdout.buffer
    out.write(json.dumps({"code": code_version()}).encode("utf-8") + b"\n")
    out.flush()
    if request.get("code") != code_version():
        return 0
    today, lang = date.fromisoformat(request["today"]), request["lang"]
    given = request["settings"]
    settings = None if given is None else SettingsFile(given["path"], base64.b64decode(given["data"]))
    try:
        for name in reversed(request["paths"]):
            path = Path(name)
            try:
                raw = path.read_bytes()
            except FileNotFoundError:
                out.write(json.dumps({"gone": path.stem}).encode("utf-8") + b"\n")
                out.flush()
                continue
            row = dashboard_row(codec.parse(path, raw), today, lang, settings=settings)
            out.write(json.dumps({"row": _row_to_json(row)}, ensure_ascii=False).encode("utf-8") + b"\n")
            out.flush()
    except Exception:  # a damaged file, a bad settings file: the caller meets it and says what it is
        return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

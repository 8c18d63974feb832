"""A second process that computes dashboard rows while this one paints: the cold first paint.

With no row kept (a new code version, language or settings), a thousand engagements take seconds
of CPU to validate and check, on the interpreter Textual needs for the first paint.  A helper
process takes the engagements from the last one backwards while the caller takes them from the
first one forwards; the caller stops where the two meet (`has`), so neither waits for the other
and the second core does half of the work.

At the launch (`prestart`, before Textual is imported and before any thread exists) the helper is
a fork of the launching process where the system has one: it already holds every module imported
so far, so it imports the models on the second core while this process imports Textual, and it is
worth it for any number of rows.  For no more than a first screenful (rowcache.FIRST_ROWS) the
caller then waits for it (`alone`) instead of computing: the UI's interpreter imports no pydantic
before its first paint.  Anywhere else (later loads, threads running, Windows) the helper is its
own interpreter (`python -m xtalent.views.rowhelper`), only for HELPER_MIN rows or more: starting
an interpreter and importing the models costs ~0.4 s of the second core (docs/performance.md,
with and without).

The helper writes nothing but its rows to its output (standard output, or a fork's pipe); the
caller takes a row only for an engagement it asked for, from a helper of the same code version,
and computes whatever the helper did not deliver itself.  A damaged file stops the helper silently: the caller reaches that file
and raises exactly the error it raises without a helper.

Given `beside` (views/rowcache.Beside.wants), a helper computes instead of the rows what the
attention view and the staff screen keep of each engagement (rowcache.Beside.entries), the same
way: after the dashboard has shown a new day's rows, so that the day's first `w` finds them kept.
Given `entry` (a function of xtalent's, `f(engagement, today, settings, lang)` giving JSON data),
it computes that of each engagement: `check --format json`'s findings (cli/check.checked_entry),
forked from the command (rowcache.current_check).

Given `ahead` (AheadPass), it is the one helper that writes: the rows of the coming days, into the
database's cache folder (rowcache.keep_ahead), once the dashboard has shown today's; it says which
days it kept, and stops by itself when the process it works for has gone.
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import signal
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Callable, NoReturn

from ..codeversion import code_version
from ..settingsfile import SettingsFile

if TYPE_CHECKING:
    from ..store import Store
    from .dashboard import DashboardRow

# Fewer rows (or entries) than this to compute are computed in-process (a new interpreter's start
# would not pay back, nor, for a command's entries, a fork's copied pages: no gain measured at 62
# on a busy machine), or, at the launch, with a fork.
HELPER_MIN = 200


class Helper:
    """The helper process computing rows for `paths` from the last backwards, and what it sent."""

    def __init__(self, paths: list[Path], today: date, lang: str, settings: SettingsFile | None,
                 beside: dict[str, bool] | None = None, *, fork: bool = False,
                 entry: Callable[..., Any] | None = None) -> None:
        from .rowcache import FIRST_ROWS

        # The launch's fork for no more rows than a first screenful computes all of them: the
        # caller waits (`finish`) and computes only what it did not deliver.  With more, the
        # caller's first rows are shown meanwhile (rowcache.current_rows), so it shares them with
        # the fork instead; so does a command (`entry`), which has nothing to show meanwhile.
        self.alone = fork and entry is None and len(paths) <= FIRST_ROWS
        self.wanted = {path.stem for path in paths}
        self.rows: dict[str, DashboardRow] = {}  # delivered, filled by the reader thread
        # Given `beside` or `entry`: each engagement's entries (rowcache.Beside.entries, or
        # entry's value) instead of its row.
        self.entries: dict[str, Any] = {}
        self.gone: set[str] = set()  # files deleted since the listing (as Store.scan skips them)
        request = {
            "code": code_version(),
            "paths": [str(path) for path in paths],
            "today": today.isoformat(),
            "lang": lang,
            "beside": beside,
            "entry": None if entry is None else _entry_name(entry),
            "settings": _settings_request(settings),
        }
        self.process: subprocess.Popen[bytes] | Forked
        if fork:
            # The launch's interface goes first on a busy machine; a command's two halves are alike.
            self.process = Forked(request, nice=not self.alone and entry is None)
        else:
            # -P: the helper imports this installation's xtalent, never one in the current folder.
            self.process = subprocess.Popen(
                [sys.executable, "-P", "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, close_fds=True,
            )
        assert self.process.stdout is not None
        self.reader = threading.Thread(target=self._read, args=(self.process.stdout,), name="rowhelper", daemon=True)
        self.reader.start()
        if self.process.stdin is None:  # a fork holds its request already
            return
        try:
            self.process.stdin.write(json.dumps(request).encode("utf-8"))
            self.process.stdin.close()
        except OSError:  # it could not start its work: the caller computes every row
            self.stop()

    def has(self, engagement_id: str) -> bool:
        """Whether the helper has delivered this engagement's row or entries (or found its file gone)."""
        return engagement_id in self.rows or engagement_id in self.entries or engagement_id in self.gone

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
                if "entries" in message:
                    if message["id"] in self.wanted:
                        self.entries[message["id"]] = message["entries"]
                    continue
                row = _row_from_json(message["row"])
                if row.id in self.wanted:
                    self.rows[row.id] = row
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return  # anything unexpected ends what is taken from it; the caller does the rest

    def finish(self) -> None:
        """Wait until the helper has delivered all it will (every row, or up to a damaged file)."""
        self.reader.join()

    def stop(self) -> None:
        """End the helper (done or not) and take no more from it."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.reader.join()
        if self.process.stdout is not None:
            self.process.stdout.close()


def _entry_name(entry: Callable[..., Any]) -> str:
    """`entry` named so that the helper finds it (`_entry_function`): one of xtalent's own
    module-level functions, which a helper of the same code version has too."""
    name = f"{entry.__module__}:{entry.__qualname__}"
    if _entry_function(name) is not entry:
        raise ValueError(f"{name} is not a module-level function of xtalent")
    return name


def _entry_function(name: str) -> Callable[..., Any]:
    """The function a request names (`_entry_name`); only xtalent's own are ever imported."""
    import importlib

    module, _, function = name.partition(":")
    if module.partition(".")[0] != __name__.partition(".")[0] or "." in function:
        raise ValueError(f"not a function of xtalent: {name}")
    return getattr(importlib.import_module(module), function)


class Forked:
    """A helper forked from this process, seen as Helper sees a subprocess: its output, poll,
    kill and wait.  The child computes from the request it holds and writes the same lines as
    `main`; it never touches the terminal, the database or any cache, never runs this process's
    exit handlers, and ends with this process's need of it (`Helper.stop`, `stop_waiting`)."""

    stdin = None

    def __init__(self, request: dict[str, Any], *, nice: bool) -> None:
        read_end, write_end = os.pipe()
        # A signal arriving between the fork and the child's own handlers would run the parent's
        # (SignalsEndTheApp) in the child: held back until each side is ready for it.
        held = _ENDING if hasattr(signal, "pthread_sigmask") else set()
        if held:
            signal.pthread_sigmask(signal.SIG_BLOCK, held)
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            if held:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, held)
            raise
        if pid == 0:
            _forked(request, write_end, nice, held)
        if held:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, held)
        os.close(write_end)
        self.pid = pid
        self.returncode: int | None = None
        self.stdout = os.fdopen(read_end, "rb")

    def poll(self) -> int | None:
        if self.returncode is None:
            self._reap(os.WNOHANG)
        return self.returncode

    def kill(self) -> None:
        if self.returncode is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def wait(self) -> int:
        while self.returncode is None:
            self._reap(0)
        return self.returncode

    def _reap(self, options: int) -> None:
        try:
            pid, status = os.waitpid(self.pid, options)
        except ChildProcessError:  # reaped already (by nothing of ours; never reused as ours)
            self.returncode = -1
            return
        if pid == self.pid:
            self.returncode = os.waitstatus_to_exitcode(status)


# What ends a launch (Ctrl+C before the app runs, a closed terminal, a kill): the child is in the
# launch's process group, so it receives them too.
_ENDING = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)}


def _forked(request: dict[str, Any], write_end: int, nice: bool, held: set[int]) -> NoReturn:
    """The forked child: nothing inherited but the pipe, the request computed, then os._exit."""
    try:
        # Those signals end the child at once: no handler of the parent's runs here (it would
        # unwind the parent's code in the child).
        for sig in _ENDING:
            signal.signal(sig, signal.SIG_DFL)
        if held:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, held)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.closerange(3, write_end)
        os.closerange(write_end + 1, _max_fd())
        with os.fdopen(write_end, "wb") as out:
            _compute(request, out, nice=nice)
    finally:
        os._exit(0)


def _max_fd() -> int:
    try:
        return max(int(os.sysconf("SC_OPEN_MAX")), 256)
    except (AttributeError, ValueError, OSError):
        return 65536


# Whether the launch's helper can be a fork on this system. Not on macOS: its system libraries are
# not safe to use in a child forked without exec (CPython's multiprocessing stopped forking there).
FORKS = hasattr(os, "fork") and sys.platform != "darwin"


def _can_fork() -> bool:
    # A fork copies only the calling thread: with another one running, a lock it holds could stay
    # held for ever in the child.
    return FORKS and threading.active_count() == 1


def start(paths: list[Path], today: date, lang: str, settings: Any, beside: dict[str, bool] | None = None,
          *, launch: bool = False, entry: Callable[..., Any] | None = None) -> Helper | None:
    """A helper for `paths` when there are enough of them, with settings it can be given (none,
    or a settings file's bytes); None otherwise, or when no process can be started.  One started
    at the launch for exactly these paths, day, language and settings is taken instead.  `beside`
    or `entry` (see Helper): a helper computing those entries instead of the rows (never one of
    the launch's).  `launch`: forked when it can be (any number of rows), a new interpreter
    otherwise.  Otherwise for HELPER_MIN or more: with `entry` (a command, no thread running)
    forked when it can be, else a new interpreter."""
    waiting = None if beside or entry else _waiting.pop(_key(paths, today, lang, settings), None)
    stop_waiting()  # one started for other files or another state is of no use any more
    if waiting is not None:
        return waiting
    fork = (launch or (entry is not None and len(paths) >= HELPER_MIN)) and _can_fork()
    if not paths or not (settings is None or isinstance(settings, SettingsFile)):
        return None
    if not fork and (len(paths) < HELPER_MIN or not sys.executable):
        return None
    try:
        return Helper(paths, today, lang, settings, beside, fork=fork, entry=entry)
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
    helper = start(paths, today, lang, settings, launch=True)
    if helper is not None:
        if not _waiting:
            atexit.register(stop_waiting)
        _waiting[_key(paths, today, lang, settings)] = helper


def stop_waiting() -> None:
    """End the helpers not taken: at the exit (the app ended before its first load), or when the
    first load needs none or another (rowcache.current_rows)."""
    while _waiting:
        _waiting.popitem()[1].stop()


class AheadPass:
    """The process computing and keeping the rows of the coming days (rowcache.keep_ahead) for a
    database, `today`, `lang` and `settings`: its own interpreter at low priority, started by
    `run` (in a worker thread: it waits for the process) and ended by `stop` (when the dashboard
    goes: the app's exit waits for its worker threads, so none may wait for seconds).  `stop`
    before `run` means the process never starts.  A process whose parent has gone stops by
    itself.  Unfinished, nothing is lost: the next launch does it again."""

    def __init__(self, db_root: Path, today: date, lang: str, settings: SettingsFile | None) -> None:
        self.request = {
            "code": code_version(),
            "ahead": {"db": str(db_root), "parent": os.getpid()},
            "today": today.isoformat(),
            "lang": lang,
            "settings": _settings_request(settings),
        }
        self._lock = threading.Lock()
        self._stopped = False
        self.process: subprocess.Popen[bytes] | None = None

    def run(self) -> list[date]:
        """Start the process, wait for it, and return the days it kept ([] when it was stopped,
        failed, or could not start)."""
        with self._lock:
            if self._stopped:
                return []
            try:
                # -P: the helper imports this installation's xtalent, never one in the current folder.
                self.process = subprocess.Popen(
                    [sys.executable, "-P", "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL, close_fds=True,
                )
            except OSError:
                return []
        process = self.process
        assert process.stdin is not None and process.stdout is not None
        try:
            try:
                process.stdin.write(json.dumps(self.request).encode("utf-8"))
                process.stdin.close()
                lines = process.stdout.read().splitlines()
            finally:
                process.stdout.close()
                process.wait()
            if len(lines) != 2 or json.loads(lines[0]).get("code") != code_version():
                return []
            return [date.fromisoformat(day) for day in json.loads(lines[1])["kept"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return []

    def stop(self) -> None:
        """End the process if it runs (the waiting `run` then returns), or keep it from starting."""
        with self._lock:
            self._stopped = True
            if self.process is not None and self.process.poll() is None:
                self.process.kill()


def ahead_pass(db_root: Path, today: date, lang: str, settings: Any) -> AheadPass | None:
    """A pass keeping the coming days' rows (not started yet), with settings it can be given
    (none, or a settings file's bytes); None otherwise, or where no interpreter can be started."""
    if not (settings is None or isinstance(settings, SettingsFile)) or not sys.executable:
        return None
    return AheadPass(db_root, today, lang, settings)


def _settings_request(settings: SettingsFile | None) -> dict[str, str] | None:
    """The settings as a request carries them to a helper: the settings file's path and bytes."""
    if settings is None:
        return None
    return {"path": str(settings.path), "data": base64.b64encode(settings.data).decode("ascii")}


def main() -> int:
    """The helper as its own interpreter: the request from its standard input, the lines to its
    standard output."""
    _compute(json.loads(sys.stdin.buffer.read()), sys.stdout.buffer, nice=True)
    return 0


def _compute(request: dict[str, Any], out: BinaryIO, *, nice: bool) -> None:
    """Write a header, then one line per row, the last file first; stop silently at the first
    file that cannot be read as it is (the caller reports it)."""
    import gc

    gc.disable()  # a short-lived process: every engagement is freed by its last reference
    if nice and hasattr(os, "nice"):
        os.nice(10)  # background work: on a busy machine the interface it computes for goes first
    from .. import codec
    from .dashboard import dashboard_row
    from .rowcache import Beside, _row_to_json

    out.write(json.dumps({"code": code_version()}).encode("utf-8") + b"\n")
    out.flush()
    if request.get("code") != code_version():
        return
    today, lang = date.fromisoformat(request["today"]), request["lang"]
    given = request["settings"]
    settings = None if given is None else SettingsFile(given["path"], base64.b64decode(given["data"]))
    if request.get("ahead"):
        _keep_ahead(request["ahead"], today, lang, settings, out)
        return
    wants = request.get("beside")
    beside = None if not wants else Beside(today, lang, settings, **wants)
    try:
        entry = None if request.get("entry") is None else _entry_function(request["entry"])
        for name in reversed(request["paths"]):
            path = Path(name)
            try:
                raw = path.read_bytes()
            except FileNotFoundError:
                out.write(json.dumps({"gone": path.stem}).encode("utf-8") + b"\n")
                out.flush()
                continue
            engagement = codec.parse(path, raw)
            if entry is not None:
                message = {"id": engagement.id, "entries": entry(engagement, today, settings, lang)}
            elif beside is not None:
                message = {"id": engagement.id, "entries": beside.entries(engagement)}
            else:
                message = {"row": _row_to_json(dashboard_row(engagement, today, lang, settings=settings))}
            out.write(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")
            out.flush()
    except Exception:  # a damaged file, a bad settings file: the caller meets it and says what it is
        return


def _keep_ahead(ahead: dict[str, Any], today: date, lang: str, settings: SettingsFile | None, out: BinaryIO) -> None:
    """An AheadPass's process: keep the coming days' rows, then say which days (one line)."""
    from ..store import Store
    from .rowcache import keep_ahead

    parent = ahead["parent"]
    # Read-only, never prepared: the pass reads engagement files and writes only its cache files.
    store = Store(Path(ahead["db"]), read_only=True)
    days = keep_ahead(store, today, lang, settings, live=lambda: os.getppid() == parent)
    out.write(json.dumps({"kept": [day.isoformat() for day in days]}).encode("utf-8") + b"\n")
    out.flush()


if __name__ == "__main__":
    raise SystemExit(main())

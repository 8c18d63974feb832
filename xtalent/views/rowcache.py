"""A cache of the dashboard's rows, so a prefecture-sized database paints at once.

Validating a thousand engagements takes seconds; their dashboard rows fit in a small file.
A row depends only on the engagement's file, the day, the language, the pitfall settings and
the code that computed it, so the cache is keyed by exactly those: each row by its file's
(mtime_ns, size), the whole by (today, lang, settings, code version: codeversion.py).  Any
mismatch is a miss and the caller computes rows from the engagements as before.  The cache is
derived data: unreadable or stale means "ignore it".

Kept because a thousand engagements cannot be validated and checked within a first paint, nor
within the 0.4 s `xtalent list` is allowed: see docs/performance.md for both measured with and
without it.

The rows of the coming days (keep_ahead, below) are kept the same way, in the database's cache
folder beside today's, one document per day of exactly today's key and format (plus a digest of
the files they were computed from, so a launch tells from the file's head alone that they are
kept): each row by its file's (mtime_ns, size), the whole by (day, lang, settings, code version).
Kept because the first launch of a day cannot otherwise meet issue 17's 1.0 s and 2x the floor
app at a thousand engagements: every row depends on the day, and computing a thousand (~1.75 ms of
CPU each) does not fit in the launch on two cores.  Measured in the same run (bench/run.py
--sizes large --runs 3, its two "first launch of a day" lines, load 3.4-5.4): today's rows drawn
at 4.59 s = 4.54x the floor with only yesterday's rows kept, at 1.37 s = 1.35x with today's kept
ahead (warm: 1.33 s = 1.31x).  Keeping them costs a background process ~1.6 s of CPU for one day
ahead, ~2.9 s for Friday's three (each file read once), ~0.3 s when a file changed since; each
further day ~0.5 s (keep_ahead alone: 1.3 s for one day, 4.2 s for 年末年始's seven, 5.5 s for ten).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from contextlib import contextmanager
from dataclasses import fields
from datetime import date, timedelta
from functools import cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, NamedTuple

from ..atomic import keep_derived
from ..codeversion import code_version
from ..settingsfile import SettingsFile
from . import rowhelper

if TYPE_CHECKING:
    from ..store import Store
    from .dashboard import DashboardRow

FORMAT = 4  # 2: the lifecycle status and the 年度 of each row; 3: the code version; 4: overdue items, 分身 per 年度
CACHE_NAME = "dashboard-rows.json"

Fingerprint = Iterable[tuple[str, int, int]]


def cache_path(db_root: Path) -> Path:
    return Path(db_root) / "cache" / CACHE_NAME


DEFAULT_SETTINGS_KEY = "defaults"
# With nothing to show meanwhile, the rows of this many engagements are shown while the others
# are computed: more than a screenful, computed in a fraction of a second.
FIRST_ROWS = 60


def settings_key(settings: Any) -> str:
    """A stable digest of the thresholds that change what rows say."""
    # None (no settings file) is the common case: it must not load the settings' validators,
    # which painting from this cache otherwise never needs.
    if settings is None:
        return DEFAULT_SETTINGS_KEY
    if isinstance(settings, SettingsFile):  # named by its bytes: no need to validate them here
        return settings.key
    from ..settings import DEFAULTS, PitfallSettings, Settings

    # The defaults and bare pitfall thresholds name the same rule settings as a whole file.
    if isinstance(settings, PitfallSettings):
        settings = Settings(pitfalls=settings)
    if settings == DEFAULTS:
        return DEFAULT_SETTINGS_KEY
    dump = settings.model_dump(mode="json") if hasattr(settings, "model_dump") else settings
    return hashlib.sha256(json.dumps(dump, sort_keys=True, default=str).encode()).hexdigest()[:16]


# views.dashboard is imported when a row is first made or read, not with this module: `check`
# (its kept findings are here) uses no row, and the import was ~5 ms of every check.

@cache
def _row_fields() -> tuple[type[DashboardRow], set[str], set[str]]:
    """DashboardRow, and the names of its date fields and of its tuple fields."""
    from .dashboard import DashboardRow

    dates = {f.name for f in fields(DashboardRow) if f.type in ("date", date)}
    return DashboardRow, dates, {f.name for f in fields(DashboardRow) if str(f.type).startswith("tuple")}


def build_rows(engagements: Iterable[Any], today: date, lang: str | None = None, settings: Any = None) -> list[DashboardRow]:
    """views.dashboard.build_rows, imported when first called (above; tests and bench/ replace it here)."""
    from .dashboard import build_rows

    return build_rows(engagements, today, lang, settings)


def _row_to_json(row: DashboardRow) -> dict[str, Any]:
    # The row is flat (text, numbers, dates, one dict of counts, one tuple of counts): its own
    # fields, not dataclasses.asdict, which deep-copies every value (~40% of writing the cache).
    data = dict(vars(row))
    for name in _row_fields()[1]:
        data[name] = data[name].isoformat()
    return data


def _row_from_json(data: dict[str, Any]) -> DashboardRow:
    row, dates, tuples = _row_fields()
    data = dict(data)
    for name in dates:
        data[name] = date.fromisoformat(data[name])
    for name in tuples:  # JSON has lists only
        data[name] = tuple(data[name])
    return row(**data)


def _same_code(data: Any) -> bool:
    return data.get("format") == FORMAT and data.get("code") == code_version()


def read(db_root: Path) -> Any:
    """The cache document as stored, or None; pass it to the loaders to read the file once."""
    return _read_document(cache_path(db_root))


def _read_document(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return None


def _row_key(today: date, lang: str, settings: Any) -> dict[str, Any]:
    """What every row depends on besides its file and the code version."""
    return {"today": today.isoformat(), "lang": lang, "settings": settings_key(settings)}


def read_for(db_root: Path, today: date, lang: str, settings: Any = None) -> Any:
    """The cache document to take `today`'s rows from, or None: the kept rows when they are for
    this day (language, settings, code), else those computed ahead for it (keep_ahead) when they
    are, else the kept rows as they are (another day's, shown meanwhile)."""
    return _document_for(db_root, today, lang, settings)[0]


def _document_for(db_root: Path, today: date, lang: str, settings: Any) -> tuple[Any, Path]:
    """read_for's document and the file it was read from.  Each file's key is read from its
    head first: the other file is not parsed for nothing."""
    key = _row_key(today, lang, settings)
    ahead = ahead_path(db_root, today)
    if not _kept_key(cache_path(db_root), key) and _kept_key(ahead, key):
        return _read_document(ahead), ahead
    return read(db_root), cache_path(db_root)


def kept_for(db_root: Path, today: date, lang: str, settings: Any = None) -> bool:
    """Whether the kept rows (or those computed ahead for this day: keep_ahead) were computed
    for this day, language, settings and code (each row may still be for an older file), read
    from the head of the file alone (`save` writes the key before the rows): ~20 ms less than
    parsing the whole file, which a launch does once anyway."""
    key = _row_key(today, lang, settings)
    return _kept_key(cache_path(db_root), key) or _kept_key(ahead_path(db_root, today), key)


def _kept_key(path: Path, key: dict[str, Any]) -> bool:
    """Whether the kept file at `path` (this module's: its key written before its rows) is for
    this code version and `key`, read from the head of the file alone."""
    try:
        with path.open("rb") as stream:
            head = stream.read(4096)
        at = head.index(b'"rows": ')
        return _keyed(json.loads(head[:at] + b'"rows": {}}'), key)
    except (OSError, ValueError, AttributeError):
        return False


def load_matching(
    db_root: Path, fingerprint: Fingerprint, today: date, lang: str, settings: Any = None, *, data: Any = None
) -> dict[str, DashboardRow]:
    """The cached rows still true today: same day, language and settings, and the engagement's
    file unchanged.  After one edit, only that engagement's row needs computing again."""
    try:
        data = read_for(db_root, today, lang, settings) if data is None else data
        if not _same_code(data) or data.get("today") != today.isoformat():
            return {}
        if data.get("lang") != lang or data.get("settings") != settings_key(settings):
            return {}
        return {eid: _row_from_json(entry["row"]) for eid, entry in _unchanged(data, fingerprint).items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _unchanged(document: Any, fingerprint: Fingerprint) -> dict[str, Any]:
    """The entries of a rows document (as stored) whose engagement file is unchanged, by id."""
    entries = document["rows"]
    out = {}
    for eid, mtime, size in fingerprint:
        entry = entries.get(eid)
        if entry is not None and entry["stat"] == [mtime, size]:
            out[eid] = entry
    return out


def load(db_root: Path, fingerprint: Fingerprint, today: date, lang: str, settings: Any = None) -> list[DashboardRow] | None:
    """The cached rows if every engagement file on disk matches the cache, else None."""
    fingerprint = list(fingerprint)
    matching = load_matching(db_root, fingerprint, today, lang, settings)
    if len(matching) != len(fingerprint):
        return None
    return [matching[eid] for eid, _, _ in fingerprint]


def load_stale(
    db_root: Path, fingerprint: Fingerprint, lang: str, settings: Any = None, *, data: Any = None
) -> tuple[list[DashboardRow], date] | None:
    """Whatever rows the cache holds for the engagements on disk, and the day they were for.

    For the first launch of a day: these are shown at once, marked as being updated, while the
    rows for today are computed (seconds, at a prefecture's size).  None when there is nothing
    usable (no cache, another language or other settings).
    """
    try:
        data = read(db_root) if data is None else data
        if not _same_code(data) or data.get("lang") != lang or data.get("settings") != settings_key(settings):
            return None
        entries = data["rows"]
        rows = [_row_from_json(entries[eid]["row"]) for eid, _, _ in fingerprint if eid in entries]
        return (rows, date.fromisoformat(data["today"])) if rows else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def save(
    db_root: Path,
    fingerprint: Fingerprint,
    rows: Iterable[DashboardRow],
    today: date,
    lang: str,
    settings: Any = None,
) -> None:
    """Write the rows for the files as they were fingerprinted before the rows were computed.

    Failing to write a cache must never fail the caller: it only costs speed next time.
    """
    by_id = {row.id: row for row in rows}
    entries = {}
    for eid, mtime, size in fingerprint:
        if eid in by_id:
            entries[eid] = {"stat": [mtime, size], "row": _row_to_json(by_id[eid])}
    _write_rows(cache_path(db_root), _row_key(today, lang, settings), entries)


def _write_rows(path: Path, key: dict[str, Any], entries: dict[str, Any]) -> None:
    """The rows' document at `path`: the key first (read from the head alone: _kept_key), then
    each engagement's entry ({"stat": [mtime_ns, size], "row": …}).  A failed write only costs
    speed next time."""
    keep_derived(path, json.dumps(_document(key, entries), ensure_ascii=False).encode("utf-8"))


def _document(key: dict[str, Any], rows: dict[str, Any]) -> dict[str, Any]:
    """A kept document of this module: format, code version and key first (read from the head
    alone: _kept_key), then the entries by engagement id."""
    return {"format": FORMAT, "code": code_version(), **key, "rows": rows}


@contextmanager
def _shared(store: Store, missing: list[str], helper: rowhelper.Helper | None, out: dict[str, Any],
            computed: Callable[[Iterable[Any]], Iterable[tuple[str, Any]]],
            delivered: Callable[[rowhelper.Helper], dict[str, Any]]) -> Iterator[Iterator[Any]]:
    """The engagements of `missing` for the caller to compute into `out`, from the first, while
    `helper` (if any) computes from the last: the scan stops at the first one it has delivered.
    Then what it delivered (`delivered(helper)`) is taken, and what it did not (it stopped at a damaged
    file, or failed) is computed here with `computed`, so a damaged file is reported exactly as
    without it.  A helper computing `alone` is waited for first: then the caller computes only
    what it did not deliver.  The helper is ended however the caller's work ends."""
    try:
        if helper is not None and helper.alone:
            helper.finish()
        yield store.scan(missing, until=None if helper is None else helper.has)
        if helper is not None:
            helper.stop()
            out.update((eid, value) for eid, value in delivered(helper).items() if eid not in out)
            rest = [eid for eid in missing if eid not in out and eid not in helper.gone]
            if rest:
                out.update(computed(store.scan(rest)))
    finally:
        if helper is not None:
            helper.stop()


def current_rows(
    store: Store,
    today: date,
    lang: str,
    settings: Any = None,
    *,
    fingerprint: Fingerprint | None = None,
    stale: Callable[[list[DashboardRow], date], None] | None = None,
    first: Callable[[list[DashboardRow], int], None] | None = None,
    keep: Callable[[Callable[[], None]], None] | None = None,
) -> list[DashboardRow]:
    """Every engagement's row for `today`, `lang` and `settings`, in file order: the cached rows
    still true, the others computed (one engagement in memory at a time), the cache rewritten.

    `stale(rows, day)` is called first when there are only another day's rows to show meanwhile
    (the first launch of a day); with none, `first(rows, total)` is called once the first
    FIRST_ROWS of more to compute are (a database none of whose rows is kept: another code
    version, language or settings).  With `keep`, the rows computed are not written here:
    `keep(write)` is called with what writes them, for the caller to run once they are on screen
    (the dashboard: writing a thousand rows is not on the way to its first paint).  The dashboard,
    `xtalent import` and `xtalent list` (whose columns are part of each row) use this; nothing
    else reads or writes the cache."""
    fingerprint = list(store.fingerprint() if fingerprint is None else fingerprint)
    cache, source = _document_for(store.root, today, lang, settings)
    if source != cache_path(store.root):
        _take_ahead(store.root, source)
    known = load_matching(store.root, fingerprint, today, lang, settings, data=cache)
    if len(known) == len(fingerprint):
        rowhelper.stop_waiting()  # the launch's helper, if any, is not needed
        return [known[eid] for eid, _, _ in fingerprint]
    missing = [eid for eid, _, _ in fingerprint if eid not in known]
    # Many to compute: a second process computes them from the last one backwards meanwhile.
    helper = rowhelper.start([store.folder.path_for(eid) for eid in missing], today, lang, settings)
    previous = None
    # Another day's rows are shown meanwhile, unless a helper computes every row alone: its rows
    # come about when yesterday's would be drawn (at 20, today's at 0.68 s after yesterday's at
    # 0.57 s; 0.58 s without them), and the table is drawn once.
    if stale is not None and not (helper is not None and helper.alone):
        previous = load_stale(store.root, fingerprint, lang, settings, data=cache)
        if previous is not None:
            stale(*previous)

    def computed(engagements: Iterable[Any]) -> Iterator[tuple[str, DashboardRow]]:
        return ((row.id, row) for row in build_rows(engagements, today, lang, settings))

    with _shared(store, missing, helper, known, computed, lambda h: h.rows) as engagements:
        if first is not None and previous is None and len(missing) > FIRST_ROWS:
            known.update(computed(islice(engagements, FIRST_ROWS)))
            first([known[eid] for eid, _, _ in fingerprint if eid in known], len(fingerprint))
        known.update(computed(engagements))
    rows = [known[eid] for eid, _, _ in fingerprint if eid in known]
    if keep is None:
        save(store.root, fingerprint, rows, today, lang, settings)
    else:
        keep(lambda: save(store.root, fingerprint, rows, today, lang, settings))
    return rows


# ----- the rows of the coming days ----------------------------------------------------------------
# Every row depends on the day, so the first launch of a day found no row kept for it and
# computed all of them (a thousand: ~1.75 ms of CPU each, 1.61 s = 2.4x the floor app to the
# frame with today's rows, where the target is 1.0 s and 2x).  A row for a later day is the same
# computed today as computed then, as long as the file, the language, the settings and the code
# are the same, which each row's stamp and the document's key check when it is read.  So once the
# dashboard has shown today's rows, a process of its own at low priority computes the rows of the
# coming days up to the next day the office is open (days_ahead: past weekends and the settings'
# closed days, 年末年始 by default) and keeps each day's in a document of the
# same key and format as today's, in a file named by that day; that day's launch takes its rows
# from it as from a warm launch's (read_for), and it becomes that day's kept rows.

AHEAD_PREFIX = "dashboard-rows-"
# Fewer engagements than this: a new day's rows are computed within the launch's target (at 20:
# 1.16x the floor), and the pass's own interpreter (~0.4 s of CPU: rowhelper.HELPER_MIN) would not
# pay back.
AHEAD_MIN = rowhelper.HELPER_MIN
# The most days one pass keeps: 年末年始 (12-29 to 01-03) with the weekends beside it runs to ten
# (Friday 2025-12-26: 12-27 to 2026-01-05), and a closure the settings add (12-28, Golden Week's
# holidays) may add a few.  Each day costs the pass ~0.5 s of CPU at a thousand engagements:
# a list of closed days that shuts the office for weeks must not make one pass of minutes.
AHEAD_DAYS_MAX = 14


def ahead_path(db_root: Path, day: date) -> Path:
    """Where the rows computed ahead for `day` are kept: beside the kept rows of today."""
    return Path(db_root) / "cache" / f"{AHEAD_PREFIX}{day.isoformat()}.json"


def closed_days(settings: Any) -> tuple[str, ...]:
    """The days (MM-DD) the municipality is closed every year under `settings` (the pitfall
    settings' closed_days: 年末年始 by default).  A settings file is validated for them, as the
    rows computed for it are (the interface's warm-up validates it anyway)."""
    from ..contracted import DEFAULT_CLOSED_DAYS
    from ..settingsfile import resolve

    if settings is None:
        return DEFAULT_CLOSED_DAYS
    resolved = resolve(settings)
    return tuple(getattr(resolved, "pitfalls", resolved).closed_days)


def _office_open(day: date, closed: tuple[str, ...] | list[str]) -> bool:
    """Whether the office is open on `day`: Monday to Friday, and not one of the `closed` days
    (contracted.open_days: what a closure day is, as contracted time counts them)."""
    from ..contracted import open_days

    return day.weekday() < 5 and open_days(day, day, closed) == 1


def days_ahead(today: date, closed: tuple[str, ...] | list[str]) -> list[date]:
    """The days after `today` up to and including the next day the office is open (a weekday
    that is not one of the `closed` days, MM-DD: closed_days), whose first launch finds its rows
    kept: Monday to Thursday the next day; Friday Saturday, Sunday and Monday; Monday 2026-12-28
    2026-12-29 to 2027-01-04, past 年末年始.  At most AHEAD_DAYS_MAX days: a longer closure's
    last days, and a launch after a holiday the settings do not list, compute their rows as
    before."""
    days = [today + timedelta(days=1)]
    while not _office_open(days[-1], closed) and len(days) < AHEAD_DAYS_MAX:
        days.append(days[-1] + timedelta(days=1))
    return days


def _files_key(fingerprint: Fingerprint) -> str:
    """A digest of every engagement file's (id, mtime_ns, size): the files a pass computed from."""
    stamps = sorted([eid, mtime, size] for eid, mtime, size in fingerprint)
    return hashlib.sha256(json.dumps(stamps).encode()).hexdigest()[:16]


def ahead_wanted(db_root: Path, fingerprint: Fingerprint, today: date, lang: str, settings: Any = None) -> bool:
    """Whether the rows of the coming days are worth computing now: enough engagements, and some
    day's kept document computed for another language, settings, code or files than these (or
    none).  Reads the head of each day's file alone (and a settings file's closed days:
    closed_days): a warm launch starts no pass."""
    fingerprint = list(fingerprint)
    if len(fingerprint) < AHEAD_MIN:
        return False
    files = _files_key(fingerprint)
    return not all(_kept_key(ahead_path(db_root, day), {**_row_key(day, lang, settings), "files": files})
                   for day in days_ahead(today, closed_days(settings)))


def prune_ahead(db_root: Path, today: date) -> None:
    """Remove the rows kept ahead for `today` or an earlier day: today's are kept as the day's
    rows by the time the pass runs (current_rows took them, or computed them), and earlier
    days' are of no use."""
    folder = Path(db_root) / "cache"
    try:
        names = [entry.name for entry in os.scandir(folder)]
    except OSError:
        return
    for name in names:
        if not (name.startswith(AHEAD_PREFIX) and name.endswith(".json")):
            continue
        try:
            day = date.fromisoformat(name[len(AHEAD_PREFIX):-len(".json")])
        except ValueError:
            continue
        if day <= today:
            try:
                (folder / name).unlink()
            except OSError:
                pass  # gone already (another launch's pass), or not ours to remove: only speed


def _take_ahead(db_root: Path, source: Path) -> None:
    """The rows computed ahead for today become today's kept rows (a rename: atomic), so that
    the next launch of the day and `xtalent list` read one file, and the pass prunes nothing
    still in use.  A failure only costs speed: they are read from where they are."""
    try:
        os.replace(source, cache_path(db_root))
    except OSError:
        pass


def keep_ahead(store: Store, today: date, lang: str, settings: Any = None, *,
               live: Callable[[], bool] | None = None) -> list[date]:
    """Compute and keep the dashboard rows of the days after `today` (days_ahead), each day's in
    its own document (ahead_path) of the same key and format as today's, with a digest of the
    files they were computed from (ahead_wanted); prune past days'.  Rows kept already for the
    same key whose file is unchanged are kept; each engagement file is read and checked once for
    every day it needs a row for.  A file that cannot be read gets no row: its day's launch
    computes it and reports it as before.  Stops, keeping nothing, as soon as `live()` is false
    (the app it works for has gone).  Returns the days kept.  Run by the dashboard in a process
    of its own (views/rowhelper.py AheadPass), never in the interface's."""
    from .. import codec
    from ..atomic import UnreadableFile
    from ..errors import XtalentError
    from .dashboard import dashboard_row

    days = days_ahead(today, closed_days(settings))
    prune_ahead(store.root, today)
    fingerprint = list(store.fingerprint())
    kept: dict[date, dict[str, Any]] = {}
    for day in days:
        path = ahead_path(store.root, day)
        try:
            kept[day] = _unchanged(_read_document(path), fingerprint) if _kept_key(path, _row_key(day, lang, settings)) else {}
        except (KeyError, TypeError, AttributeError):
            kept[day] = {}  # not one of ours as it should be: computed again
    for eid, mtime, size in fingerprint:
        wanted = [day for day in days if eid not in kept[day]]
        if not wanted:
            continue
        if live is not None and not live():
            return []
        path = store.folder.path_for(eid)
        try:
            engagement = codec.parse(path, path.read_bytes())
        except (OSError, UnreadableFile, XtalentError, ValueError, RecursionError):
            continue  # deleted since, or damaged: its day's launch meets it as before
        for day in wanted:
            kept[day][eid] = {"stat": [mtime, size], "row": _row_to_json(dashboard_row(engagement, day, lang, settings=settings))}
    files = _files_key(fingerprint)
    for day in days:
        _write_rows(ahead_path(store.root, day), {**_row_key(day, lang, settings), "files": files}, kept[day])
    return days


# ----- the attention view's rows and the staff screen's receptions ------------------------------
# The same key, each kept beside the dashboard's rows in a file of its own (the dashboard's first
# paint reads neither): each engagement's entry by its file's (mtime, size), the whole by the
# code version and whatever else the entries depend on (`key`).

ATTENTION_NAME = "attention-rows.json"
STAFF_NAME = "staff-receptions.json"


def attention_path(db_root: Path) -> Path:
    return Path(db_root) / "cache" / ATTENTION_NAME


def staff_path(db_root: Path) -> Path:
    return Path(db_root) / "cache" / STAFF_NAME


def _kept_entries(path: Path, key: dict[str, Any], fingerprint: Fingerprint) -> dict[str, Any]:
    """The entries kept in `path` for `key` (and this code version) whose file is unchanged, as
    stored (JSON data); none when the file is for another key or cannot be read."""
    if not _kept_key(path, key):  # another day's (or none): not parsed for nothing
        return {}
    try:
        data = _read_document(path)
        if not _keyed(data, key):
            return {}
        return {eid: entry["rows"] for eid, entry in _unchanged(data, fingerprint).items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _keyed(document: Any, key: dict[str, Any]) -> bool:
    """Whether a kept document (as stored) is for this code version and `key`."""
    return isinstance(document, dict) and _same_code(document) and all(
        document.get(name) == value for name, value in key.items())


def _write_entries(path: Path, key: dict[str, Any], fingerprint: Fingerprint, kept: dict[str, Any]) -> None:
    """Keep each engagement file's entry (`kept`, JSON data) by the (mtime, size) of `fingerprint`
    it was computed from, for `key` and this code version."""
    rows = {eid: {"stat": [mtime, size], "rows": kept[eid]} for eid, mtime, size in fingerprint if eid in kept}
    keep_derived(path, json.dumps(_document(key, rows), ensure_ascii=False).encode("utf-8"))


class Keeping(NamedTuple):
    """How _per_file keeps its entries: `read(path, key, fingerprint)` the entries kept whose file
    is unchanged, by id; `write(path, key, fingerprint, kept)`; `kept(value)` an entry just
    computed (JSON data) as `read` gives it."""

    read: Callable[[Path, dict[str, Any], Fingerprint], dict[str, Any]]
    write: Callable[[Path, dict[str, Any], Fingerprint, dict[str, Any]], None]
    kept: Callable[[Any], Any]


AS_JSON = Keeping(_kept_entries, _write_entries, lambda entry: entry)


def _per_file(store: Store, path: Path, key: dict[str, Any], compute: Callable[[Any], Any],
              load: Callable[[Any], Any] = lambda entry: entry, *,
              share: Callable[[list[str]], rowhelper.Helper | None] | None = None, keeping: Keeping = AS_JSON,
              ) -> tuple[list[tuple[str, int, int]], dict[str, Any]]:
    """Each engagement's `compute(engagement)`, in file order: the entries kept in `path` whose
    file is unchanged (read through `load`), the others computed from their files (one in memory
    at a time) and the file rewritten.  Returns the fingerprint the entries are for, and them.
    `share(missing)`: a helper computing the same entries from the last backwards (rowhelper),
    or None.  `keeping`: the file's format (AS_JSON: one JSON document)."""
    wait_kept(store.root)
    fingerprint = list(store.fingerprint())
    kept = keeping.read(path, key, fingerprint)
    try:
        known = {eid: load(entry) for eid, entry in kept.items()}
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        known, kept = {}, {}
    missing = [eid for eid, _, _ in fingerprint if eid not in known]
    if missing:
        def computed(engagements: Iterable[Any]) -> Iterator[tuple[str, Any]]:
            return ((engagement.id, compute(engagement)) for engagement in engagements)

        fresh: dict[str, Any] = {}
        helper = None
        if share is not None and len(missing) > rowhelper.HELPER_MIN:
            # The first computed before the helper starts: a fork then holds every module,
            # validator and message it needs instead of loading them a second time beside this.
            fresh.update(computed(store.scan(missing[:1])))
            missing = missing[1:]
            helper = share(missing)
        with _shared(store, missing, helper, fresh, computed, lambda helper: helper.entries) as engagements:
            fresh.update(computed(engagements))
        fresh = {eid: keeping.kept(value) for eid, value in fresh.items()}
        kept.update(fresh)
        known.update((eid, load(value)) for eid, value in fresh.items())
        keeping.write(path, key, fingerprint, kept)
    return fingerprint, known


def attention_key(today: date, lang: str, settings: Any = None, due_within: int | None = None) -> dict[str, Any]:
    """What each engagement's attention rows depend on besides its file (and the code version)."""
    from .attention import DUE_SOON_DAYS

    within = DUE_SOON_DAYS if due_within is None else due_within
    return {"today": today.isoformat(), "lang": lang, "settings": settings_key(settings), "due_within": within,
            "entry": "rows+widths"}


def attention_entry(engagement: Any, today: date, lang: str, settings: Any = None, *,
                    due_within: int | None = None) -> dict[str, Any]:
    """One engagement's kept attention entry (JSON data): its rows (views/attention.engagement_rows)
    and the widths they need (WIDTH_COLUMNS' order)."""
    from .attention import DUE_SOON_DAYS, WIDTH_COLUMNS, engagement_rows, natural_widths

    within = DUE_SOON_DAYS if due_within is None else due_within
    rows = engagement_rows(engagement, today, settings, lang, due_within=within)
    widths = natural_widths(rows)
    return {"rows": [row.to_list() for row in rows], "widths": [widths[c] for c in WIDTH_COLUMNS]}


def _attention_load(entry: dict[str, Any]) -> tuple[list[Any], tuple[int, ...]]:
    from .attention import WIDTH_COLUMNS, AttentionRow

    widths = tuple(int(w) for w in entry["widths"])
    if len(widths) != len(WIDTH_COLUMNS):
        raise ValueError("widths of other columns")
    return [AttentionRow.from_list(row) for row in entry["rows"]], widths


def attention_files(store: Store, today: date, lang: str, settings: Any = None, *,
                    due_within: int | None = None) -> tuple[list[tuple[str, int, int]], dict[str, Any]]:
    """Each engagement file's attention rows (views/attention.py, unordered) and the widths they
    need (views/attention.WIDTH_COLUMNS' order: measured once per file, when its rows are
    computed), as `{id: (rows, widths)}`, and the fingerprint they are for: the kept ones whose
    file is unchanged, the others computed from their files.  Opening the view at a thousand
    engagements reads no engagement when nothing changed since it was last computed
    (docs/performance.md)."""
    key = attention_key(today, lang, settings, due_within)

    def compute(engagement: Any) -> dict[str, Any]:
        return attention_entry(engagement, today, lang, settings, due_within=due_within)

    return _per_file(store, attention_path(store.root), key, compute, _attention_load)


def current_attention(store: Store, today: date, lang: str, settings: Any = None, *, due_within: int | None = None) -> list:
    """The attention view's rows (views/attention.py) for every engagement, ordered (attention_files)."""
    from .attention import ordered

    fingerprint, known = attention_files(store, today, lang, settings, due_within=due_within)
    return ordered((row for eid, _, _ in fingerprint if eid in known for row in known[eid][0]), today)


def receptions_files(store: Store) -> tuple[list[tuple[str, int, int]], list[dict[str, Any]]]:
    """Every engagement's receptions (views/staff.py `receptions`: who receives what, how far),
    in file order, and the fingerprint they are for: the kept ones whose file is unchanged, the
    others read from their files.  They depend on the file alone, so the day, the language and
    the settings are not in the key; the staff screen adds the employee records and the labels
    (views/staff.rows_from)."""
    from .staff import receptions

    fingerprint, known = _per_file(store, staff_path(store.root), {}, receptions)
    return fingerprint, [known[eid] for eid, _, _ in fingerprint if eid in known]


def current_receptions(store: Store) -> list[dict[str, Any]]:
    """Every engagement's receptions, in file order (receptions_files)."""
    return receptions_files(store)[1]


# ----- the same, computed once the dashboard has shown its rows ------------------------------------
# A new day (or code version, language, settings) makes every attention row stale, and a new code
# version every reception; after an edit elsewhere to more than a few engagements (or a new people
# file, for the staff screen) a view's kept first screenful cannot be brought up to date.  Once the
# dashboard has shown its rows, a follow-up of its load (keep_beside) computes what is stale, from
# the first engagement forwards while a helper process computes from the last backwards (as the
# rows: views/rowhelper.py), and keeps it with the views' first screenfuls: the day's first `w`
# and an upgrade's first `p` open from kept files.  Not computed with the rows themselves,
# although each engagement is loaded and checked for them: that made every row a third dearer to
# compute, and the rows are what a launch waits for (docs/performance.md, both measured).


class Beside:
    """What the attention view and the staff screen keep of each engagement, for `today`, `lang`
    and `settings`: the attention view's entry (attention_entry) and the receptions
    (views/staff.receptions), as far as `attention` / `receptions` ask.  `entries` computes them
    for one engagement, here and in the helper; keep_beside computes and keeps what is stale."""

    def __init__(self, today: date, lang: str, settings: Any = None, *, attention: bool = True,
                 receptions: bool = True) -> None:
        self.today, self.lang, self.settings = today, lang, settings
        self.wants = {"attention": attention, "receptions": receptions}
        self.kept = threading.Event()  # set once keep_beside is done

    def entries(self, engagement: Any) -> dict[str, Any]:
        """The engagement's wanted entries, by view ("attention", "receptions"), as JSON data."""
        out: dict[str, Any] = {}
        if self.wants["attention"]:
            out["attention"] = attention_entry(engagement, self.today, self.lang, self.settings)
        if self.wants["receptions"]:
            from .staff import receptions

            out["receptions"] = receptions(engagement)
        return out


# The databases whose Beside is not kept yet: a view opened meanwhile waits for it (wait_kept)
# rather than computing the same entries a second time beside it.
_pending: dict[Path, Beside] = {}
KEEP_WAIT = 30.0  # seconds at most (a thousand engagements take a few on a busy machine)


def will_keep(db_root: Path, beside: Beside) -> None:
    """Say that keep_beside(…, beside) is on its way for this database (the dashboard, as it
    starts it): the views opened before it is done wait for it."""
    _pending[Path(db_root)] = beside


def wait_kept(db_root: Path) -> None:
    """Wait until the entries being computed for this database (keep_beside) are kept, if any."""
    beside = _pending.get(Path(db_root))
    if beside is not None:
        beside.kept.wait(KEEP_WAIT)
        if _pending.get(Path(db_root)) is beside:
            del _pending[Path(db_root)]


def keep_beside(store: Store, beside: Beside) -> dict[str, int]:
    """Bring each view's kept data up to date where its opening would otherwise compute it: the
    entries of every engagement file kept for another key or none (a new day, code version,
    language, settings: every file), and the first screenful (views/firstscreen.py) where none is
    kept for these files that can be brought up to date when the view opens.  The entries are
    merged with those kept; with many to compute, a helper process computes from the last
    backwards while this computes from the first (as current_rows).  Returns, for each view
    brought up to date ("attention", "staff"), how many engagements' entries were computed.
    Derived data: a file that cannot be read stops it (the view opened reports it as before)."""
    from ..errors import XtalentError
    from . import firstscreen

    done: dict[str, int] = {}
    try:
        fingerprint = list(store.fingerprint())
        key = attention_key(beside.today, beside.lang, beside.settings)
        attention_kept = staff_kept = None
        if beside.wants["attention"] and (not _kept_key(attention_path(store.root), key) or firstscreen.attention_wanted(
                store.root, fingerprint, beside.today, beside.lang, beside.settings)):
            attention_kept = _kept_entries(attention_path(store.root), key, fingerprint)
        # The staff screen's head depends on the people file and the language too: after another
        # language's rows (the receptions kept already) it is made from the kept receptions.
        if beside.wants["receptions"] and (not _kept_key(staff_path(store.root), {})
                                           or firstscreen.staff_wanted(store, fingerprint, beside.lang)):
            staff_kept = _kept_entries(staff_path(store.root), {}, fingerprint)
        computed = _computed(store, beside, fingerprint, attention_kept, staff_kept)
        if attention_kept is not None:
            done["attention"], whole = _keep_fresh(attention_path(store.root), key, fingerprint, attention_kept,
                                                   computed, "attention")
            if whole:
                files = {eid: _attention_load(entry) for eid, entry in attention_kept.items()}
                firstscreen.keep_attention_from(store.root, fingerprint, files, beside.today, beside.lang, beside.settings)
        if staff_kept is not None:
            done["staff"], whole = _keep_fresh(staff_path(store.root), {}, fingerprint, staff_kept, computed, "receptions")
            if whole:
                firstscreen.keep_staff_from(store, fingerprint, [staff_kept[eid] for eid, _, _ in fingerprint], beside.lang)
    except (XtalentError, ValueError, KeyError, TypeError, IndexError):
        pass  # derived data: a damaged file, unreadable employee records; the view opened says so
    finally:
        beside.kept.set()
        if _pending.get(Path(store.root)) is beside:
            del _pending[Path(store.root)]
    return done


def _keep_fresh(path: Path, key: dict[str, Any], fingerprint: list[tuple[str, int, int]], kept: dict[str, Any],
                computed: dict[str, dict[str, Any]], name: str) -> tuple[int, bool]:
    """Merge the `name` entries just computed into `kept` and write them to `path` (if any).
    Returns how many were computed, and whether every engagement file now has its entry."""
    fresh = {eid: entries[name] for eid, entries in computed.items() if name in entries}
    if fresh:
        kept.update(fresh)
        _write_entries(path, key, fingerprint, kept)
    return len(fresh), all(eid in kept for eid, _, _ in fingerprint)


def _computed(store: Store, beside: Beside, fingerprint: list[tuple[str, int, int]],
              attention_kept: dict[str, Any] | None, staff_kept: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Beside.entries of the engagement files lacking a kept entry (in `attention_kept` /
    `staff_kept`; None: not wanted), by id: of each, only the entries it lacks."""
    lacking = {name: set() if kept is None else {eid for eid, _, _ in fingerprint if eid not in kept}
               for name, kept in (("attention", attention_kept), ("receptions", staff_kept))}
    missing = [eid for eid, _, _ in fingerprint if eid in lacking["attention"] or eid in lacking["receptions"]]
    if not missing:
        return {}
    beside = Beside(beside.today, beside.lang, beside.settings,
                    attention=bool(lacking["attention"]), receptions=bool(lacking["receptions"]))
    out: dict[str, dict[str, Any]] = {}

    def computed(engagements: Iterable[Any]) -> Iterator[tuple[str, dict[str, Any]]]:
        return ((e.id, beside.entries(e)) for e in engagements)

    helper = rowhelper.start([store.folder.path_for(eid) for eid in missing], beside.today, beside.lang,
                             beside.settings, beside=beside.wants)
    with _shared(store, missing, helper, out, computed, lambda h: h.entries) as engagements:
        out.update(computed(engagements))
    return {eid: {name: entry for name, entry in entries.items() if eid in lacking[name]} for eid, entries in out.items()}


# ----- `check`'s findings ---------------------------------------------------------------------
# What `xtalent check --format json` prints of each engagement (cli/check.py `checked_entry`),
# kept like the attention view's rows: by each file's (mtime, size), the day, the language, the
# settings and the code version.  A file of its own: its ~8 MB at a thousand engagements
# (the findings' facts and texts) would slow the screens that read the others.  Kept because
# `check` cannot otherwise meet its 1.0 s at a thousand: parsing every file alone takes about
# that (docs/performance.md, with and without it).

CHECK_NAME = "check-findings.json"


def check_path(db_root: Path) -> Path:
    return Path(db_root) / "cache" / CHECK_NAME


def current_check(store: Store, today: date, lang: str, settings: Any, entry: Callable[..., Any]) -> list:
    """`entry(engagement, today, settings, lang)` of every engagement, in file order, its last
    part (the findings' JSON text) as UTF-8 bytes, to print as they are: the kept ones whose file
    is unchanged, the others computed from their files (one in memory at a time; many, on both
    cores: a fork computes from the last backwards, views/rowhelper.py) and kept."""
    key = {"today": today.isoformat(), "lang": lang, "settings": settings_key(settings), "entry": "raw"}

    def share(missing: list[str]) -> rowhelper.Helper | None:
        return rowhelper.start([store.folder.path_for(eid) for eid in missing], today, lang, settings, entry=entry)

    fingerprint, known = _per_file(store, check_path(store.root), key,
                                   lambda engagement: entry(engagement, today, settings, lang), share=share,
                                   keeping=AS_CHECK)
    return [known[eid] for eid, _, _ in fingerprint if eid in known]


# The kept findings' file: a first line of JSON as _write_entries writes (its key first: _kept_key),
# but each entry's last part (the findings' JSON text, ~8 MB at a thousand engagements) as its
# length in bytes, then those texts, raw, one after the other in the same order.  Written and read
# as a copy: as strings inside the JSON document, escaping them was ~40-50 ms of CPU of the day's
# first check, and each check decoded and encoded them again to print them.

def _kept_check(path: Path, key: dict[str, Any], fingerprint: Fingerprint) -> dict[str, Any]:
    """The kept findings (AS_CHECK) whose file is unchanged, by id; none when the file is for
    another key, cut short, or not written so."""
    if not _kept_key(path, key):
        return {}
    try:
        data = path.read_bytes()
        end = data.index(b"\n")
        head = json.loads(data[:end])
        if not _keyed(head, key):
            return {}
        texts = memoryview(data)[end + 1:]
        spans: dict[str, slice] = {}
        at = 0
        for eid, entry in head["rows"].items():
            spans[eid] = slice(at, at + entry["rows"][-1])
            at = spans[eid].stop
        if at != len(texts) or any(span.start > span.stop for span in spans.values()):
            return {}  # cut short, or not written so
        return {eid: [*entry["rows"][:-1], texts[spans[eid]]] for eid, entry in _unchanged(head, fingerprint).items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return {}


def _write_check(path: Path, key: dict[str, Any], fingerprint: Fingerprint, kept: dict[str, Any]) -> None:
    stamped = [(eid, mtime, size) for eid, mtime, size in fingerprint if eid in kept]
    head = _document(key, {eid: {"stat": [mtime, size], "rows": [*kept[eid][:-1], len(kept[eid][-1])]}
                           for eid, mtime, size in stamped})
    keep_derived(path, b"".join([json.dumps(head, ensure_ascii=False).encode("utf-8"), b"\n",
                                 *(kept[eid][-1] for eid, _, _ in stamped)]))


def _check_as_kept(entry: list[Any]) -> list[Any]:
    return [*entry[:-1], entry[-1].encode("utf-8")]


AS_CHECK = Keeping(_kept_check, _write_check, _check_as_kept)

"""The first screenful of a view computed from every engagement, kept so the view opens at once.

The attention view and the staff screen show thousands of rows made from every engagement; their
per-file data is kept by views/rowcache.py, but reading, ordering and measuring all of it takes
longer than opening a screen may (issue 16: ≤ 0.3 s at 1,000 engagements).  What the first frame
shows — a screenful of rows in display order, the summary line, the columns' widths — is a few
kilobytes, kept here in a file of its own per view (`DB/cache/<view>-first.json`), written each
time the view computed everything, and shown only when nothing it depends on changed:

* the code version (codeversion.py) and the file's format;
* every engagement file's (mtime, size) — the database's fingerprint, as a digest;
* whatever else the view says its content depends on (`key`: the day, the language, the
  settings, the people file's stamp…).

Anything else is a miss and the view computes as before; the whole view is always computed after
the first frame, and replaces the screenful if it differs.  Unreadable means "ignore it".
See docs/performance.md for the view's opening measured with and without this file.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from ..atomic import atomic_write_bytes
from ..codeversion import code_version
from ..permissions import make_dir

if TYPE_CHECKING:
    from ..store import Store
    from .attention import Head, Opening
    from .staff import Opening as StaffOpening

FORMAT = 1


def path(db_root: Path, view: str) -> Path:
    return Path(db_root) / "cache" / f"{view}-first.json"


def files_key(fingerprint: Iterable[tuple[str, int, int]]) -> str:
    """Every engagement file's name and (mtime, size), as one short digest."""
    digest = hashlib.sha256()
    for eid, mtime, size in fingerprint:
        digest.update(f"{eid}\0{mtime}\0{size}\n".encode())
    return digest.hexdigest()[:32]


def _key(key: dict[str, Any]) -> dict[str, Any]:
    return {"format": FORMAT, "code": code_version(), **key}


def load(db_root: Path, view: str, key: dict[str, Any]) -> Any:
    """The screenful kept for exactly `key` (and this code version), or None."""
    try:
        data = json.loads(path(db_root, view).read_bytes().decode("utf-8"))
        if data.get("key") != _key(key):
            return None
        return data["first"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def save(db_root: Path, view: str, key: dict[str, Any], first: Any) -> None:
    """Keep `first` (JSON data) for `key`, unless exactly that is kept already.  Failing to write
    only costs speed next time."""
    if load(db_root, view, key) == first:
        return
    target = path(db_root, view)
    try:
        make_dir(target.parent, exist_ok=True)
        atomic_write_bytes(target, json.dumps({"key": _key(key), "first": first}, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass


def opening(db_root: Path, view: str, key: dict[str, Any], kind: Any) -> Any:
    """The `view`'s first screenful kept for `key`, read back as a `kind` (its Opening), or None."""
    kept = load(db_root, view, key)
    try:
        return None if kept is None else kind.from_json(kept)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def keep(db_root: Path, view: str, key: dict[str, Any], whole: Any) -> None:
    """Keep the head (ROWS rows) of a view's Opening, all of it computed for `key`."""
    save(db_root, view, key, whole.head(ROWS).to_json())


# How many rows are kept: at least a screenful of the tallest terminal the list is expected on
# (the TUI adds this many rows before its first frame: xtalent_screens.usertext.FIRST_ROWS).
ROWS = 60

ATTENTION = "attention"
# The attention view keeps more than a screenful in order (views/attention.Head): after a change
# to some engagements, their rows leave the head and their new ones are merged in, and what stayed
# must still fill a screenful.  A few screenfuls: one engagement rarely has more rows than one.
HEAD_SCREENS = 4
# At most this many engagements computed before the first frame (each ~10 ms: read, validated,
# checked); with more changed, the view opens as it does with nothing kept.
CHANGED_AT_MOST = 10


def attention_key(today: date, lang: str, settings: Any = None) -> dict[str, Any]:
    """What every attention row depends on besides its file (as views/rowcache.current_attention
    keys them); each file's own (mtime, size) is kept with its part (views/attention.Head)."""
    from .attention import DUE_SOON_DAYS
    from .rowcache import settings_key

    return {"today": today.isoformat(), "lang": lang, "settings": settings_key(settings), "due_within": DUE_SOON_DAYS}


def attention(store: Store, today: date, lang: str, settings: Any = None) -> Opening | None:
    """The attention view's first screenful: the head kept for `today`, `lang` and `settings`,
    brought up to date with the engagement files changed since (their rows computed: at most
    CHANGED_AT_MOST of them), or None."""
    from .attention import DUE_SOON_DAYS, Head, engagement_rows

    kept = opening(store.root, ATTENTION, attention_key(today, lang, settings), Head)
    if kept is None:
        return None
    fingerprint = store.fingerprint()
    changed = kept.changed(fingerprint)
    if len(changed) > CHANGED_AT_MOST:
        return None
    fresh = {engagement.id: engagement_rows(engagement, today, settings, lang, due_within=DUE_SOON_DAYS)
             for engagement in store.scan(changed)} if changed else {}
    if len(fresh) != len(changed):
        return None  # deleted since the listing
    head = kept.updated(fingerprint, fresh, today)
    if not head.whole and len(head.rows) < ROWS:
        return None  # the changed engagements held too much of the head
    return head.opening(ROWS)


def keep_attention(db_root: Path, key: dict[str, Any], head: Head) -> None:
    """Keep the head of the attention view's rows (views/attention.whole), computed for `key`."""
    save(db_root, ATTENTION, key, head.to_json())


STAFF = "staff"


def staff_key(fingerprint: Iterable[tuple[str, int, int]], people: Path, lang: str) -> dict[str, Any]:
    """What the staff screen's rows depend on: the engagement files (who receives what), the
    people file (the employees, the merge proposals) and the language (labels)."""
    from ..store import file_stamp

    stamp = file_stamp(people)
    return {"files": files_key(fingerprint), "people": None if stamp is None else list(stamp), "lang": lang}


def staff(db_root: Path, key: dict[str, Any]) -> StaffOpening | None:
    """The staff screen's first screenful kept for `key`, or None."""
    from .staff import Opening

    return opening(db_root, STAFF, key, Opening)


def keep_staff(db_root: Path, key: dict[str, Any], first: StaffOpening) -> None:
    """Keep the staff screen's first screenful (at least ROWS rows of it), computed for `key`."""
    keep(db_root, STAFF, key, first)

"""The head of a view computed from every engagement, kept so the view opens at once.

The attention view and the staff screen show thousands of rows made from every engagement; their
per-file data is kept by views/rowcache.py, but reading, ordering and measuring all of it takes
longer than opening a screen may (issue 16: ≤ 0.3 s at 1,000 engagements).  What the first frame
shows — a screenful of rows in display order, the summary line, the columns' widths — is kept
here, in a file of its own per view (`DB/cache/<view>-first.json`), as the view's Head
(views/attention.Head, views/staff.Head): the first rows in order and, for each engagement file,
the (mtime, size) it was computed from and what it adds to the opening.  Written each time the
view computed everything; found only for the same:

* code version (codeversion.py) and file format;
* whatever else the view says its content depends on (`key`: the day, the language, the
  settings, the people file's stamp…).

When some engagement files changed since (a saved edit: the common case), only their rows are
computed (at most CHANGED_AT_MOST files) and the head is brought up to date with them; when the
rows that stay cannot fill a screenful, or anything else differs, it is a miss and the view
computes as before.  The whole view is always computed after the first frame, and replaces the
screenful if it differs.  Unreadable means "ignore it".  See docs/performance.md for the view's
opening measured with and without this file.
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
    from .staff import Head as StaffHead
    from .staff import Opening as StaffOpening

FORMAT = 2  # 2: a Head (each file's stamp and part) instead of a screenful keyed by every file


def path(db_root: Path, view: str) -> Path:
    return Path(db_root) / "cache" / f"{view}-first.json"


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


def files_key(fingerprint: Iterable[tuple[str, int, int]]) -> str:
    """Every engagement file's name and (mtime, size), as one short digest."""
    digest = hashlib.sha256()
    for eid, mtime, size in fingerprint:
        digest.update(f"{eid}\0{mtime}\0{size}\n".encode())
    return digest.hexdigest()[:32]


def keep(db_root: Path, view: str, key: dict[str, Any], stamps: Iterable[tuple[str, int, int]], head: Any,
         first: Any) -> None:
    """Keep a view's Head (`head`, JSON data) and its first screenful (`first`, an Opening) for
    `key`, computed from the engagement files of `stamps`.  The head is kept as a JSON string,
    parsed only when some file changed: unchanged, the screenful is all an opening reads."""
    save(db_root, view, key, {"files": files_key(stamps), "opening": first.to_json(),
                              "head": json.dumps(head, ensure_ascii=False)})


def kept(db_root: Path, view: str, key: dict[str, Any], fingerprint: Iterable[tuple[str, int, int]],
         opening_kind: Any, head_kind: Any) -> tuple[Any, Any]:
    """What a view kept for `key`: its first screenful (an `opening_kind`) when the engagement
    files are those of `fingerprint`, else its head (a `head_kind`) to bring up to date; (None,
    None) when nothing usable is kept."""
    data = load(db_root, view, key)
    try:
        if data is None:
            return None, None
        if data["files"] == files_key(fingerprint):
            return opening_kind.from_json(data["opening"]), None
        return None, head_kind.from_json(json.loads(data["head"]))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None, None


def _changed(store: Store, head: Any, fingerprint: Any) -> list[Any] | None:
    """The engagements whose file changed since `head` was kept, read one file each (not a
    listing of every file); None when more than CHANGED_AT_MOST changed or one cannot be read
    (deleted since the fingerprint, damaged): computing every row then reports it."""
    from ..errors import XtalentError

    changed = head.changed(fingerprint)
    if len(changed) > CHANGED_AT_MOST:
        return None
    try:
        return [store.get(eid) for eid in changed]
    except XtalentError:
        return None


# How many rows are kept: at least a screenful of the tallest terminal the list is expected on
# (the TUI adds this many rows before its first frame: xtalent_screens.usertext.FIRST_ROWS).
ROWS = 60

ATTENTION = "attention"
# The attention view keeps more than a screenful in order (views/attention.Head): after a change
# to some engagements, their rows leave the head and their new ones are merged in, and what stayed
# must still fill a screenful.  A few screenfuls: one engagement rarely has more rows than one.
HEAD_SCREENS = 2
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
    from .attention import DUE_SOON_DAYS, Head, Opening, engagement_rows

    fingerprint = store.fingerprint()
    first, head = kept(store.root, ATTENTION, attention_key(today, lang, settings), fingerprint, Opening, Head)
    if first is not None or head is None:
        return first
    engagements = _changed(store, head, fingerprint)
    if engagements is None:
        return None
    fresh = {e.id: engagement_rows(e, today, settings, lang, due_within=DUE_SOON_DAYS) for e in engagements}
    head = head.updated(fingerprint, fresh, today)
    if not head.whole and len(head.rows) < ROWS:
        return None  # the changed engagements held too much of the head
    return head.opening(ROWS)


def keep_attention(db_root: Path, key: dict[str, Any], head: Head) -> None:
    """Keep the head of the attention view's rows (views/attention.whole), computed for `key`."""
    keep(db_root, ATTENTION, key, [(eid, *part.stamp) for eid, part in head.parts.items()], head.to_json(),
         head.opening(ROWS))


STAFF = "staff"


def staff_key(people: Path, lang: str) -> dict[str, Any]:
    """What the staff screen's order, summary and labels depend on: the people file (the
    employees, the merge proposals) and the language; each engagement file's (mtime, size) is kept
    in the head (views/staff.Head)."""
    from ..store import file_stamp

    stamp = file_stamp(people)
    return {"people": None if stamp is None else list(stamp), "lang": lang}


def staff(store: Store, lang: str) -> StaffOpening | None:
    """The staff screen's first screenful: the head kept for the same people file and `lang`,
    brought up to date with the engagement files changed since (their receptions read: at most
    CHANGED_AT_MOST of them), or None."""
    from .staff import Head, Opening, receptions, unlinked

    fingerprint = store.fingerprint()
    first, head = kept(store.root, STAFF, staff_key(store.people_path, lang), fingerprint, Opening, Head)
    if first is not None or head is None:
        return first
    engagements = _changed(store, head, fingerprint)
    if engagements is None:
        return None
    fresh = [receptions(engagement) for engagement in engagements]
    if any(unlinked(facts) for facts in fresh):
        return None  # receivers the screen links to employee records first
    return head.updated(fingerprint, fresh).opening(lang)


def keep_staff(db_root: Path, key: dict[str, Any], head: StaffHead, first: StaffOpening) -> None:
    """Keep the staff screen's head (views/staff.head) and its first screenful (`first`: the
    Opening of its first ROWS rows), computed for `key`."""
    keep(db_root, STAFF, key, [(eid, *stamp) for eid, stamp in head.stamps.items()], head.to_json(), first)

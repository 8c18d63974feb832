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

from ..atomic import keep_derived
from ..codeversion import code_version

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
    keep_derived(path(db_root, view), json.dumps({"key": _key(key), "first": first}, ensure_ascii=False).encode("utf-8"))


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


def _wanted(db_root: Path, view: str, key: dict[str, Any], fingerprint: Iterable[tuple[str, int, int]],
            opening_kind: Any, head_kind: Any) -> bool:
    """Whether `view` would open without a kept screenful: none kept for `key`, or one whose head
    more than CHANGED_AT_MOST engagement files changed since (what `_changed` would not bring up to date)."""
    fingerprint = list(fingerprint)
    first, head = kept(db_root, view, key, fingerprint, opening_kind, head_kind)
    return first is None and (head is None or len(head.changed(fingerprint)) > CHANGED_AT_MOST)


def attention_key(today: date, lang: str, settings: Any = None) -> dict[str, Any]:
    """What every attention row depends on besides its file: the kept rows' key
    (views/rowcache.attention_key) without the format marker of that file's entries; each file's
    own (mtime, size) is kept with its part (views/attention.Head)."""
    from .rowcache import attention_key as rows_key

    key = rows_key(today, lang, settings)
    del key["entry"]
    return key


def attention(store: Store, today: date, lang: str, settings: Any = None) -> Opening | None:
    """The attention view's first screenful: the head kept for `today`, `lang` and `settings`,
    brought up to date with the engagement files changed since (their rows computed: at most
    CHANGED_AT_MOST of them), or None."""
    from .attention import DUE_SOON_DAYS, Head, Opening, engagement_rows
    from .rowcache import wait_kept

    wait_kept(store.root)  # the launch's follow-up keeping this day's rows (rowcache.keep_beside): read, not computed again
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


def attention_whole(fingerprint: Iterable[tuple[str, int, int]], files: dict[str, Any], today: date) -> tuple[list[Any], Head]:
    """Every row of the attention view, ordered, and the head kept for its next opening, from each
    engagement file's rows and widths (views/rowcache.attention_files)."""
    from .attention import whole

    return whole(fingerprint, files, today, HEAD_SCREENS * ROWS)


def attention_wanted(db_root: Path, fingerprint: Iterable[tuple[str, int, int]], today: date, lang: str,
                     settings: Any = None) -> bool:
    """Whether the attention view would open without a kept screenful: none kept for `today`,
    `lang` and `settings`, or one whose head more than CHANGED_AT_MOST engagement files changed since."""
    from .attention import Head, Opening

    return _wanted(db_root, ATTENTION, attention_key(today, lang, settings), fingerprint, Opening, Head)


def keep_attention_from(db_root: Path, fingerprint: Iterable[tuple[str, int, int]], files: dict[str, Any], today: date,
                        lang: str, settings: Any = None) -> None:
    """Keep the attention view's head from every engagement file's rows and widths (as
    views/rowcache.attention_files gives them, computed for `today`, `lang` and `settings`), unless
    the screenful kept is for these very files: what the view's opening would keep."""
    from .attention import Head, Opening

    key = attention_key(today, lang, settings)
    fingerprint = list(fingerprint)
    if kept(db_root, ATTENTION, key, fingerprint, Opening, Head)[0] is None:
        keep_attention(db_root, key, attention_whole(fingerprint, files, today)[1])


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
    from .rowcache import wait_kept
    from .staff import Head, Opening, receptions, unlinked

    wait_kept(store.root)  # the launch's follow-up keeping the receptions (rowcache.keep_beside): read, not computed again
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


def staff_whole(store: Store, lang: str, fingerprint: Iterable[tuple[str, int, int]],
                facts: list[dict[str, Any]]) -> tuple[Any, list[Any], list[Any], StaffOpening, StaffHead]:
    """Every row of the staff screen from each engagement's receptions (`facts`, in file order, as
    views/rowcache.receptions_files gives them for the files of `fingerprint`): the employee
    records, every employee's row in order, the merge proposals waiting, the screen's Opening and
    the head kept for its next opening."""
    from ..people import proposals
    from .staff import head, opening, rows_from

    registry = store.people()
    rows = rows_from(registry, facts, lang)
    waiting = proposals(registry)
    whole = opening(rows, rows, len(waiting), lang, ROWS)
    return registry, rows, waiting, whole, head(fingerprint, facts, rows, whole, ROWS)


def staff_wanted(store: Store, fingerprint: Iterable[tuple[str, int, int]], lang: str) -> bool:
    """Whether the staff screen would open without a kept screenful: none kept for this people file
    and language, or one whose head more than CHANGED_AT_MOST engagement files changed since."""
    from .staff import Head, Opening

    return _wanted(store.root, STAFF, staff_key(store.people_path, lang), fingerprint, Opening, Head)


def keep_staff_from(store: Store, fingerprint: Iterable[tuple[str, int, int]], facts: list[dict[str, Any]],
                    lang: str) -> None:
    """Keep the staff screen's head from every engagement file's receptions (`facts`, in file
    order), unless the screenful kept is for these very files and people file, or a receiver has
    no employee record yet (the screen links them first): what the screen's opening would keep."""
    from .staff import Head, Opening, unlinked

    fingerprint = list(fingerprint)
    key = staff_key(store.people_path, lang)  # before the people file is read
    if any(unlinked(f) for f in facts) or kept(store.root, STAFF, key, fingerprint, Opening, Head)[0] is not None:
        return
    _, _, _, whole, head = staff_whole(store, lang, fingerprint, facts)
    keep_staff(store.root, key, head, whole)

"""The change log: who changed what, when — kept in the database, append-only, for good.

A shared HR record must answer "who changed this and when" after a restart and on another PC.
Every change made through xtalent (create, edit, stage move, delete, undo, redo, import,
restore…) appends one line to `changes.jsonl` in the database folder:

    {"at": "2026-11-23T10:00:00+09:00", "who": "tanaka", "action": "edit",
     "engagement": "en-…", "subject": "望月 浩二", "key": "edit.stage_up", "params": {…},
     "changes": [{"path": "items[kh-1].receivers[st-2].stage", "before": "shadowing", "after": "together"}]}

Append-only: lines are only ever added (O_APPEND, one write per line, fsync), never rewritten,
so a crash can at worst leave a torn last line, which reading skips.  The file is read a line
at a time; a damaged line is skipped, never fatal — the log explains the data, it is not the data.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, Iterator

from .merge import changed_paths

LOG_NAME = "changes.jsonl"
MAX_CHANGES = 50  # fields listed per entry; the rest is counted
MAX_VALUE = 200  # characters of a value kept in the summary


@dataclass(frozen=True)
class Change:
    at: datetime
    who: str
    action: str  # create, edit, delete, undo, redo, import, restore, close, reopen
    engagement: str
    subject: str
    key: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    changes: list[dict[str, Any]] = field(default_factory=list)
    more: int = 0  # changed fields beyond the ones listed

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "at": self.at.isoformat(timespec="seconds"), "who": self.who, "action": self.action,
            "engagement": self.engagement, "subject": self.subject, "key": self.key,
            "params": {k: v if isinstance(v, (int, float)) else str(v) for k, v in self.params.items()},
            "changes": self.changes,
        }
        if self.more:
            data["more"] = self.more
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Change":
        return cls(
            at=datetime.fromisoformat(str(data["at"])), who=str(data.get("who", "")), action=str(data["action"]),
            engagement=str(data.get("engagement", "")), subject=str(data.get("subject", "")),
            key=str(data.get("key", "")), params=dict(data.get("params") or {}),
            changes=[dict(c) for c in data.get("changes") or [] if isinstance(c, dict)], more=int(data.get("more", 0)),
        )

    def description(self, lang: str | None = None) -> str:
        from .i18n import has, t

        if self.key and has(self.key):
            try:
                text = t(self.key, lang, **self.params)
            except (KeyError, IndexError, ValueError):  # params of an older version's message
                text = t(f"changelog.action.{self.action}", lang)
        else:
            text = t(f"changelog.action.{self.action}", lang)
        if self.action in ("undo", "redo"):
            return t(f"edit.{self.action}_prefix", lang, what=text)
        return text


def _short(value: Any) -> Any:
    """A value as the log keeps it: JSON's own types, dates as ISO text, enums by value."""
    if isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False, default=str)
    elif value is None or isinstance(value, (bool, int, float)):
        return value
    elif isinstance(value, Enum):
        text = str(value.value)
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def summary(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[list[dict[str, Any]], int]:
    """The fields that differ, with short before/after values (the whole record is in backups)."""
    from .merge import value_at

    if before is None or after is None:
        return [], 0
    paths = [p for p in changed_paths(before, after) if p != "revision"]
    listed = [{"path": p, "before": _short(value_at(before, p)), "after": _short(value_at(after, p))}
              for p in paths[:MAX_CHANGES]]
    if any("[" in entry["path"] for entry in listed):
        named = record_names(before, after)
        for entry in listed:
            names = {rid: named[rid] for rid in _RECORD_ID.findall(entry["path"]) if rid in named}
            if names:  # the records in the path, named as they were (the history shows them so)
                entry["names"] = names
    return listed, max(0, len(paths) - MAX_CHANGES)


_RECORD_ID = re.compile(r"\[([^\]]+)\]")
_NAMED_BY = {"targets": "title", "items": "title", "staff": "name", "log": "topic"}


def record_names(*states: dict[str, Any]) -> dict[str, str]:
    """Each record's id → its title, name or topic, in the engagement states (the later wins)."""
    names: dict[str, str] = {}
    for state in states:
        for collection, attr in _NAMED_BY.items():
            for record in state.get(collection) or []:
                if isinstance(record, dict) and record.get("id") and record.get(attr):
                    names[str(record["id"])] = _short(str(record[attr]))
    return names


def current_user() -> str:
    """Who is making changes: XTALENT_USER (a name HR sets for a shared login), else the OS user."""
    import getpass

    name = os.environ.get("XTALENT_USER", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user database entry (some containers)
        return "?"


class ChangeLog:
    """The change log of the database folder `root`."""

    def __init__(self, root: Path, *, mode: int = 0o600) -> None:
        self.path = Path(root) / LOG_NAME
        self.mode = mode

    def append(self, *changes: Change) -> None:
        """Add entries at the end: one write of whole lines, then fsync (crash-safe: a torn last
        line is skipped when read).  Callers hold the store's lock, so lines never interleave."""
        if not changes:
            return
        data = "".join(json.dumps(c.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n" for c in changes)
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, self.mode)
        try:
            st = os.fstat(fd)
            # The umask cuts a team database's group write from a new file: set the mode we mean
            # (only the file's owner may, and needs to: it was made with this mode by them).
            if stat.S_IMODE(st.st_mode) != self.mode and st.st_uid == os.geteuid():
                os.fchmod(fd, self.mode)
            if os.fstat(fd).st_size and not self._ends_with_newline(fd):
                data = "\n" + data  # after a torn line: start on a line of our own
            os.write(fd, data.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)

    @staticmethod
    def _ends_with_newline(fd: int) -> bool:
        size = os.fstat(fd).st_size
        return os.pread(fd, 1, size - 1) == b"\n"

    def entries(self, engagement: str | None = None) -> Iterator[Change]:
        """Oldest first; only `engagement`'s when given.  Damaged lines are skipped."""
        try:
            handle = self.path.open("rb")
        except FileNotFoundError:
            return
        with handle:
            for line in self._lines(handle):
                try:
                    data = json.loads(line)
                    if engagement is not None and data.get("engagement") != engagement:
                        continue
                    yield Change.from_json(data)
                except (ValueError, KeyError, TypeError, AttributeError):
                    continue

    def _lines(self, handle: Any) -> Iterator[bytes]:
        """The log's lines; in a backup snapshot, only up to the length it had then (the file is
        a hard link to the live log, which has grown since)."""
        try:
            limit: int | None = int((self.path.parent / (self.path.name + ".length")).read_text())
        except (FileNotFoundError, ValueError):
            limit = None
        read = 0
        for line in handle:
            read += len(line)
            if limit is not None and read > limit:
                return
            yield line

    def newest(self, engagement: str | None = None, limit: int = 1000) -> list[Change]:
        from collections import deque

        return list(reversed(deque(self.entries(engagement), maxlen=limit)))

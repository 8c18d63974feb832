"""Backups of a database folder: snapshots, rotation, listing and restore.

A backup is an interchange file (`xtalent backup`, before a restore or a migration) or a folder
of the engagement files as they were (the automatic one before a session's first change).
`BackupsMixin` is part of `Store` (xtalent/store.py): it works through the store's lock,
journal and parser.
"""

from __future__ import annotations

import os
import re
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .atomic import atomic_write_bytes, dumps, fsync_dir
from .permissions import make_dir
from .errors import StoreError
from .migrations import SCHEMA_VERSION

if TYPE_CHECKING:
    from .models import Engagement, InterchangeDocument

_BACKUP_NAME = re.compile(r"^xtalent-(\d{8}T\d{12})Z-[a-z0-9-]+(\.json)?$")


@dataclass(frozen=True)
class BackupInfo:
    name: str
    path: Path
    size: int
    created: datetime


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def _stamp(moment: datetime) -> str:
    return _naive_utc(moment).strftime("%Y%m%dT%H%M%S%f") + "Z"


class BackupsMixin:
    """Mixed into Store; every name on `self` not defined here is the store's."""

    @contextmanager
    def _session_backup(self) -> Iterator[None]:
        """Around a session's changes: the first is preceded by a snapshot, and if that first
        change fails, its snapshot goes too — a failed change leaves the folder as it was."""
        made = None if self._backed_up else self._backup_once()
        try:
            yield
        except BaseException:
            if made is not None:
                shutil.rmtree(made, ignore_errors=True)
                self._backed_up = False
            raise

    def _backup_once(self) -> Path | None:
        """Snapshot the database before this session's first change.

        Engagement files are only ever replaced whole (never written in place), so a hard link
        to each is an exact, immutable copy of the state before the change: the snapshot costs
        a link per engagement, not a load and a dump of the whole database, and the first edit
        of a session stays fast at any size.  Where links are not possible the bytes are copied.
        """
        if self._backed_up:
            return None
        files = self._files()
        made = self._snapshot_files(files, reason="auto") if files else None
        self._backed_up = True
        return made

    def _snapshot_files(self, files: list[Path], reason: str) -> Path:
        make_dir(self.backups_dir, exist_ok=True)
        final = self._next_backup_path(reason, suffix="")
        staging = self.backups_dir / f".{final.name}.tmp"
        shutil.rmtree(staging, ignore_errors=True)
        make_dir(staging)
        for path in files:
            try:
                os.link(path, staging / path.name)
            except FileNotFoundError:
                continue  # deleted by another process meanwhile: not part of the state
            except OSError:
                shutil.copy2(path, staging / path.name)
        self._link_changelog(staging)
        fsync_dir(staging)
        os.replace(staging, final)  # appears whole or not at all
        fsync_dir(self.backups_dir)
        self._prune_backups()
        return final

    def read_backup(self, path: Path) -> InterchangeDocument:
        """A backup's engagements, validated (a backup file or a snapshot folder)."""
        from .interchange import load_document  # interchange imports store's siblings only
        from .models import InterchangeDocument

        if not path.is_dir():
            return load_document(path)
        files = sorted(p for p in path.iterdir() if p.suffix == ".json" and not p.name.startswith("."))
        return InterchangeDocument(engagements=[self._parse(p, self._read_bytes(p)) for p in files])

    def _next_backup_path(self, reason: str, suffix: str = ".json") -> Path:
        # Names sort in the order backups were made, even with a clock that stands still or is
        # set back: a new name never overwrites a backup, and pruning never takes the newest.
        moment = _naive_utc(self.clock())
        latest = max((ts for ts in (self._backup_time(p.name) for p in self._backup_files()) if ts), default=None)
        if latest is not None and moment <= latest:
            moment = latest + timedelta(microseconds=1)
        return self.backups_dir / f"xtalent-{_stamp(moment)}-{reason}{suffix}"

    @staticmethod
    def _backup_time(name: str) -> datetime | None:
        m = _BACKUP_NAME.match(name)
        if not m:
            return None
        try:
            return datetime.strptime(m.group(1), "%Y%m%dT%H%M%S%f")
        except ValueError:
            return None

    def _backup_files(self) -> list[Path]:
        try:
            entries = list(self.backups_dir.iterdir())
        except FileNotFoundError:
            return []
        return [
            p
            for p in entries
            if not p.name.startswith(".")
            and ((p.suffix == ".json" and not p.is_dir()) or (p.is_dir() and _BACKUP_NAME.match(p.name)))
        ]

    def _write_backup(self, document: dict[str, Any], reason: str) -> Path:
        make_dir(self.backups_dir, exist_ok=True)
        path = self._next_backup_path(reason)
        atomic_write_bytes(path, dumps(document))
        self._copy_changelog(path.with_suffix(".changes.jsonl"))
        self._prune_backups()
        return path

    def _link_changelog(self, snapshot: Path) -> None:
        """The change log as it was, in O(1) like the engagement links: the log is only ever
        appended to, so a hard link plus its length now is exactly the log at this moment
        (read it back with changelog.ChangeLog(snapshot)).  Copied where links fail."""
        live = self.changelog.path  # type: ignore[attr-defined]
        try:
            size = live.stat().st_size
            os.link(live, snapshot / live.name)
        except FileNotFoundError:
            return
        except OSError:
            self._copy_changelog(snapshot / live.name)
            return
        atomic_write_bytes(snapshot / (live.name + ".length"), str(size).encode())

    def _copy_changelog(self, target: Path) -> None:
        """A backup holds the change log as it was (a copy: the live one keeps growing)."""
        live = self.changelog.path  # type: ignore[attr-defined]
        try:
            data = live.read_bytes()
        except FileNotFoundError:
            return
        atomic_write_bytes(target, data)

    def _snapshot_unlocked(self, engagements: Iterable[Engagement], reason: str) -> Path:
        from .models import InterchangeDocument

        doc = InterchangeDocument(
            exported_at=self.clock().isoformat(timespec="seconds"), engagements=list(engagements)
        ).model_dump(mode="json")
        doc["schema_version"] = SCHEMA_VERSION
        return self._write_backup(doc, reason)

    def backup_now(self, reason: str = "manual") -> Path:
        with self._writing():
            return self._snapshot_unlocked([self._cached_load(p) for p in self._files()], reason)

    def _prune_backups(self) -> None:
        # Only our own rotating snapshots; a file a user put here is theirs to delete.
        ours = [b for b in self.list_backups() if _BACKUP_NAME.match(b.name)]
        for old in ours[max(self.backups_kept, 1) :]:
            if old.path.is_dir():
                shutil.rmtree(old.path, ignore_errors=True)
            else:
                old.path.unlink(missing_ok=True)
                old.path.with_suffix(".changes.jsonl").unlink(missing_ok=True)

    def list_backups(self) -> list[BackupInfo]:
        """Newest first."""
        infos = []
        for path in self._backup_files():
            try:
                st = path.stat()
                size = sum(p.stat().st_size for p in path.iterdir()) if path.is_dir() else st.st_size
            except FileNotFoundError:
                continue  # pruned by another process meanwhile
            made = self._backup_time(path.name)
            created = made.replace(tzinfo=timezone.utc) if made else datetime.fromtimestamp(st.st_mtime, timezone.utc)
            infos.append(BackupInfo(path.name, path, size, created))
        return sorted(infos, key=lambda b: (b.created, b.name), reverse=True)

    def _latest_backup_text(self) -> str:
        backups = self.list_backups()
        return str(backups[0].path) if backups else "-"

    def restore_backup(self, name: str) -> Path | None:
        """Replace the database with a backup; the current state is kept aside as a backup first.

        Returns the path of the kept-aside snapshot: a backup file, or, when the database was
        damaged, a backups/damaged-* folder holding its files exactly as they were (None when
        the database was empty).
        """
        from .changelog import Change, current_user
        from .store import engagement_to_tables  # the store imports this module

        matches = [b for b in self.list_backups() if b.name == name or b.name.startswith(name)] if name else []
        if len(matches) != 1:
            raise StoreError("store.no_such_backup", name=name)
        document = self.read_backup(matches[0].path)
        with self._writing():
            revisions: dict[str, int] = {}
            kept: Path | None = None
            try:
                current = [self._cached_load(p) for p in self._files()]
                if self._manifest_damaged:
                    raise self._corrupt(self.manifest_path, "damaged")
                revisions = {e.id: e.revision for e in current}
                if current:
                    kept = self._snapshot_unlocked(current, reason="before-restore")
            except StoreError:
                # A damaged database is exactly when restoring matters: keep its files as they are.
                kept = self._keep_damaged_aside()
                for path in self._files():
                    try:
                        revisions[path.stem] = self._cached_load(path).revision
                    except StoreError:
                        pass
            writes: dict[Path, bytes | None] = {p: None for p in self._files()}
            for engagement in document.engagements:
                # Past both the backup's and the current revision: an editor holding either conflicts.
                revision = max(engagement.revision, revisions.get(engagement.id, 0)) + 1
                stored = engagement.model_copy(update={"revision": revision})
                writes[self._path_for(engagement.id)] = dumps(engagement_to_tables(stored))
            if self._manifest_damaged:
                writes[self.manifest_path] = self._manifest_bytes()
            self._apply(writes)
            self._manifest_damaged = False
            self._cache.clear()
            self.changelog.append(Change(at=self.clock().astimezone(), who=current_user(), action="restore",
                                         engagement="", subject=name, key="changelog.restored", params={"name": name}))
            return kept

    def _keep_damaged_aside(self) -> Path:
        make_dir(self.backups_dir, exist_ok=True)
        base = f"damaged-{_stamp(self.clock())}"
        aside = self.backups_dir / base
        n = 1
        while aside.exists():
            n += 1
            aside = self.backups_dir / f"{base}-{n}"
        make_dir(aside)
        for path in [*self._files(), self.manifest_path]:
            if path.exists():
                shutil.copy2(path, aside / path.name)
        fsync_dir(aside)
        return aside

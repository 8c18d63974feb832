"""Backups of a database folder: snapshots, rotation, listing and restore.

A backup is an interchange file (`xtalent backup`, before a restore or a migration) or a folder
of the engagement files as they were (the automatic one before a session's first change).
A `Backups` is given the database folder (dbfolder.py) it works in — its lock, its files and
its one write path — and keeps only its own state: whether this session has its snapshot yet,
and a snapshot prepared ahead of time.  Every backup appears whole or not at all: a file is
written atomically, a folder is filled under a hidden temporary name and renamed into place.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from . import codec, migrations, peoplefile
from .atomic import atomic_write_bytes, dumps, fsync_dir
from .errors import StoreError
from .permissions import make_dir

if TYPE_CHECKING:
    from .dbfolder import DatabaseFolder
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


def _backup_time(name: str) -> datetime | None:
    m = _BACKUP_NAME.match(name)
    if not m:
        return None
    try:
        return datetime.strptime(m.group(1), "%Y%m%dT%H%M%S%f")
    except ValueError:
        return None


def _backup_files(backups_dir: Path) -> list[Path]:
    try:
        entries = list(backups_dir.iterdir())
    except FileNotFoundError:
        return []
    return [
        p
        for p in entries
        if not p.name.startswith(".")
        and ((p.suffix == ".json" and not p.is_dir()) or (p.is_dir() and _BACKUP_NAME.match(p.name)))
    ]


def list_backups(backups_dir: Path) -> list[BackupInfo]:
    """The backups in a database's backups folder, newest first."""
    infos = []
    for path in _backup_files(backups_dir):
        try:
            st = path.stat()
            size = sum(p.stat().st_size for p in path.iterdir()) if path.is_dir() else st.st_size
        except FileNotFoundError:
            continue  # pruned by another process meanwhile
        made = _backup_time(path.name)
        created = made.replace(tzinfo=timezone.utc) if made else datetime.fromtimestamp(st.st_mtime, timezone.utc)
        infos.append(BackupInfo(path.name, path, size, created))
    return sorted(infos, key=lambda b: (b.created, b.name), reverse=True)


def _copy_into(files: Iterable[Path], folder: Path, *, link: bool) -> None:
    """Into a folder not yet in place (the caller renames it there whole): a hard link to each
    file where `link` and the file system allows, else a copy with its times."""
    for path in files:
        try:
            if link:
                try:
                    os.link(path, folder / path.name)
                    continue
                except FileNotFoundError:
                    raise
                except OSError:
                    pass  # no links here (another device, a file system without them): copied
            shutil.copy2(path, folder / path.name)
        except FileNotFoundError:
            continue  # deleted by another process meanwhile: not part of the state


class Backups:
    """The backups of one database folder; `clock` names them (it is the store's)."""

    # A prepared snapshot is a hidden folder (swept like any temp file if we die) and what the
    # engagements folder looked like while it was made.  Replacing a file changes the folder's
    # mtime, so an unchanged (inode, mtime) means the links are still the state before our
    # first change.  Folders changed less than QUIET_SECONDS before are not trusted: a coarse
    # clock (network shares) could give a later change the same mtime.
    QUIET_SECONDS = 2.0

    def __init__(self, folder: DatabaseFolder, *, kept: int = 10, clock: Callable[[], datetime]) -> None:
        self.folder = folder
        self.kept = kept
        self.clock = clock
        self.backed_up = False  # this session's snapshot is made (or not wanted: set it to skip)
        self._prepared: tuple[Path, tuple[int, int], int | None] | None = None  # see prepare
        self._hidden: list[Path] = []  # rotated-out backups to remove when the session ends

    @property
    def backups_dir(self) -> Path:
        return self.folder.backups_dir

    @contextmanager
    def session(self) -> Iterator[None]:
        """Around a session's changes: the first is preceded by a snapshot, and if that first
        change fails, its snapshot goes too — a failed change leaves the folder as it was."""
        made = None if self.backed_up else self._backup_once()
        try:
            yield
        except BaseException:
            if made is not None:
                shutil.rmtree(made, ignore_errors=True)
                self.backed_up = False
            raise

    def _backup_once(self) -> Path | None:
        """Snapshot the database before this session's first change.

        Engagement files are only ever replaced whole (never written in place), so a hard link
        to each is an exact, immutable copy of the state before the change: the snapshot costs
        a link per engagement, not a load and a dump of the whole database.  Where links are not
        possible the bytes are copied.  A snapshot prepared beforehand (`prepare`) is used when
        nothing changed since: then the first change costs a rename at any size.
        """
        if self.backed_up:
            return None
        made = self._commit_prepared()
        if made is None:
            files = self.folder.files()
            made = self._snapshot_files(files, reason="auto") if files else None
        self.backed_up = True
        return made

    def prepare(self) -> bool:
        """Make the session's snapshot ahead of its first change (the TUI does, in the
        background, once the dashboard is shown), so that change does not wait for a link per
        engagement.  Also sweeps and prunes, as the first change would.  True if prepared."""
        with self.folder.writing():
            if self.backed_up or self._prepared is not None:
                return self._prepared is not None
            self._prune()
            before = self._folder_state()
            if before is None or time.time() - before[1] / 1e9 < self.QUIET_SECONDS:
                return False
            make_dir(self.backups_dir, exist_ok=True)
            staging = self.backups_dir / f".prepared-{os.getpid()}-{time.monotonic_ns()}.tmp"
            make_dir(staging)
            _copy_into(self.folder.files(), staging, link=True)
            self._link_people(staging)
            log_size = self._changelog_size()
            self._link_changelog(staging)
            if self._folder_state() != before:  # changed while linking: the first change makes its own
                shutil.rmtree(staging, ignore_errors=True)
                return False
            self._prepared = (staging, before, log_size)
            return True

    def end_session(self) -> None:
        """The TUI is closing: a prepared snapshot never used is not a backup, and the backups
        rotated out at the first change are removed now rather than during it."""
        prepared, self._prepared = self._prepared, None
        hidden, self._hidden = self._hidden, []
        for folder in [*hidden, *([prepared[0]] if prepared else [])]:
            shutil.rmtree(folder, ignore_errors=True)

    def _folder_state(self) -> tuple[int, int] | None:
        try:
            st = self.folder.engagements_dir.stat()
        except FileNotFoundError:
            return None
        return st.st_ino, st.st_mtime_ns

    def _commit_prepared(self) -> Path | None:
        """Under the lock: the prepared snapshot as the session's backup, if still true."""
        prepared, self._prepared = self._prepared, None
        if prepared is None:
            return None
        staging, state, log_size = prepared
        if self._folder_state() != state or not staging.is_dir():
            shutil.rmtree(staging, ignore_errors=True)  # stale, or swept by another writer
            return None
        if not any(staging.iterdir()):
            staging.rmdir()
            return None
        self._link_people(staging)  # the registry changes without the engagements folder: as it is now
        if self._changelog_size() != log_size:  # it grew since: the log as it is now, at the change
            live = self.folder.changelog.path
            for name in (live.name, live.name + ".length"):
                (staging / name).unlink(missing_ok=True)
            self._link_changelog(staging)
        fsync_dir(staging)
        final = self._next_path("auto", suffix="")
        os.replace(staging, final)
        fsync_dir(self.backups_dir)
        self._hidden.extend(self._prune(remove=False))  # removed when the session ends
        return final

    def _snapshot_files(self, files: list[Path], reason: str) -> Path:
        make_dir(self.backups_dir, exist_ok=True)
        final = self._next_path(reason, suffix="")
        staging = self.backups_dir / f".{final.name}.tmp"
        shutil.rmtree(staging, ignore_errors=True)
        make_dir(staging)
        _copy_into(files, staging, link=True)
        self._link_people(staging)
        self._link_changelog(staging)
        fsync_dir(staging)
        os.replace(staging, final)  # appears whole or not at all
        fsync_dir(self.backups_dir)
        self._prune()
        return final

    def _link_people(self, folder: Path) -> None:
        """The employee records as they are (replaced whole like an engagement file: a link is a copy)."""
        live = peoplefile.people_path(self.folder)
        (folder / live.name).unlink(missing_ok=True)
        _copy_into([live], folder, link=True)  # none yet: nothing

    def read(self, path: Path) -> InterchangeDocument:
        """A backup's engagements and employee records, validated (a backup file or a snapshot folder)."""
        from .interchange import load_document
        from .models import InterchangeDocument

        if not path.is_dir():
            return load_document(path)
        files = sorted(p for p in path.iterdir() if p.suffix == ".json" and not p.name.startswith(".")
                       and p.name != peoplefile.PEOPLE)
        registry = peoplefile.read(self.folder, path / peoplefile.PEOPLE)
        return InterchangeDocument(engagements=[self.folder.load(p) for p in files], people=registry.employees,
                                   distinct_people=registry.distinct)

    def _next_path(self, reason: str, suffix: str = ".json") -> Path:
        # Names sort in the order backups were made, even with a clock that stands still or is
        # set back: a new name never overwrites a backup, and pruning never takes the newest.
        moment = _naive_utc(self.clock())
        latest = max((ts for ts in (_backup_time(p.name) for p in _backup_files(self.backups_dir)) if ts), default=None)
        if latest is not None and moment <= latest:
            moment = latest + timedelta(microseconds=1)
        return self.backups_dir / f"xtalent-{_stamp(moment)}-{reason}{suffix}"

    def write_document(self, document: dict[str, Any], reason: str) -> Path:
        """Under the lock: an interchange document as a backup, the change log beside it."""
        make_dir(self.backups_dir, exist_ok=True)
        path = self._next_path(reason)
        atomic_write_bytes(path, dumps(document))
        self._copy_changelog(path.with_suffix(".changes.jsonl"))
        self._prune()
        return path

    def _changelog_size(self) -> int | None:
        try:
            return self.folder.changelog.path.stat().st_size
        except FileNotFoundError:
            return None

    def _link_changelog(self, snapshot: Path) -> None:
        """The change log as it was, in O(1) like the engagement links: the log is only ever
        appended to, so a hard link plus its length now is exactly the log at this moment
        (read it back with changelog.ChangeLog(snapshot)).  Copied where links fail."""
        live = self.folder.changelog.path
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
        try:
            data = self.folder.changelog.path.read_bytes()
        except FileNotFoundError:
            return
        atomic_write_bytes(target, data)

    def _snapshot(self, engagements: Iterable[Engagement], reason: str) -> Path:
        """Under the lock: the engagements as an interchange backup at this schema version."""
        from .models import InterchangeDocument

        registry = peoplefile.read(self.folder)
        doc = InterchangeDocument(
            exported_at=self.clock().isoformat(timespec="seconds"), engagements=list(engagements),
            people=registry.employees, distinct_people=registry.distinct,
        ).model_dump(mode="json")
        doc["schema_version"] = migrations.SCHEMA_VERSION
        return self.write_document(doc, reason)

    def backup_now(self, reason: str = "manual") -> Path:
        with self.folder.writing():
            return self._snapshot([self.folder.load(p) for p in self.folder.files()], reason)

    def _rotating(self) -> list[Path]:
        """Our own rotating backups, newest first, by name alone (no sizes: a snapshot folder
        holds a file per engagement, and summing them made a first save O(backups × engagements))."""
        dated = [(t, p.name, p) for p in _backup_files(self.backups_dir) if (t := _backup_time(p.name)) is not None]
        return [p for _, _, p in sorted(dated, reverse=True)]

    def _prune(self, *, remove: bool = True) -> list[Path]:
        """Rotate out the oldest of our own snapshots (a file a user put here is theirs to
        delete).  Without `remove`, a folder is only hidden (a rename; its removal is the
        caller's, and any writer's sweep removes it if we die): the hidden folders are returned."""
        hidden_folders = []
        for old in self._rotating()[max(self.kept, 1) :]:
            if old.is_dir():
                # Hidden first (one rename), then removed: a kill midway leaves a temp folder
                # that the next writer sweeps, never half a backup in the list.
                hidden = old.with_name(f".{old.name}.tmp")
                try:
                    os.replace(old, hidden)
                except OSError:
                    continue
                if remove:
                    shutil.rmtree(hidden, ignore_errors=True)
                else:
                    hidden_folders.append(hidden)
            else:
                old.unlink(missing_ok=True)
                old.with_suffix(".changes.jsonl").unlink(missing_ok=True)
        return hidden_folders

    def newest_first(self) -> list[BackupInfo]:
        """Every backup, newest first."""
        return list_backups(self.backups_dir)

    def restore(self, name: str) -> Path | None:
        """Replace the database with a backup; the current state is kept aside as a backup first.

        Returns the path of the kept-aside snapshot: a backup file, or, when the database was
        damaged, a backups/damaged-* folder holding its files exactly as they were (None when
        the database was empty).
        """
        from .changelog import Change, current_user

        folder = self.folder
        matches = [b for b in self.newest_first() if b.name == name or b.name.startswith(name)] if name else []
        if len(matches) != 1:
            raise StoreError("store.no_such_backup", name=name)
        document = self.read(matches[0].path)
        with folder.writing():
            revisions: dict[str, int] = {}
            kept: Path | None = None
            try:
                current = [folder.load(p) for p in folder.files()]
                if folder.manifest_damaged:
                    raise folder.corrupt(folder.manifest_path, "damaged")
                revisions = {e.id: e.revision for e in current}
                if current:
                    kept = self._snapshot(current, reason="before-restore")
            except StoreError:
                # A damaged database is exactly when restoring matters: keep its files as they are.
                kept = self._keep_damaged_aside()
                for path in folder.files():
                    try:
                        revisions[path.stem] = folder.load(path).revision
                    except StoreError:
                        pass
            from .people import link

            writes: dict[Path, bytes | None] = {p: None for p in folder.files()}
            try:
                registry = peoplefile.read(folder)
            except StoreError:
                from .models import PeopleRegistry

                registry = PeopleRegistry()
            # The backup's employee records; a receiver whose record it lacks (a backup made
            # before schema 4) gets one again, from its own copy of the record.
            employees = {p.id: p for p in document.people}
            for engagement in document.engagements:
                # Past both the backup's and the current revision: an editor holding either conflicts.
                revision = max(engagement.revision, revisions.get(engagement.id, 0)) + 1
                stored, _ = link(engagement.model_copy(update={"revision": revision}), employees)
                writes[folder.path_for(engagement.id)] = codec.encode(stored)
            from .people import distinct_among

            # The proposals rejected then and since: a restore does not ask them again.
            distinct = distinct_among([*registry.distinct, *document.distinct_people], employees)
            writes[peoplefile.people_path(folder)] = peoplefile.encode(registry.model_copy(
                update={"employees": list(employees.values()), "distinct": distinct, "revision": registry.revision + 1}))
            if folder.manifest_damaged:
                writes[folder.manifest_path] = folder.manifest_bytes()
            folder.write(writes)
            folder.manifest_damaged = False
            folder.changelog.append(Change(at=self.clock().astimezone(), who=current_user(), action="restore",
                                           engagement="", subject=name, key="changelog.restored", params={"name": name}))
            return kept

    def _keep_damaged_aside(self) -> Path:
        """The database's files exactly as they are, in a backups/damaged-* folder that appears
        whole (filled under a hidden name, then renamed)."""
        make_dir(self.backups_dir, exist_ok=True)
        base = f"damaged-{_stamp(self.clock())}"
        aside = self.backups_dir / base
        n = 1
        while aside.exists():
            n += 1
            aside = self.backups_dir / f"{base}-{n}"
        staging = self.backups_dir / f".{aside.name}.tmp"
        shutil.rmtree(staging, ignore_errors=True)
        make_dir(staging)
        _copy_into([*self.folder.files(), peoplefile.people_path(self.folder), self.folder.manifest_path], staging,
                   link=False)
        fsync_dir(staging)
        os.replace(staging, aside)
        fsync_dir(self.backups_dir)
        return aside

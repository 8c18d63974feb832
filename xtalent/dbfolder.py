"""A database folder: its layout and manifest, the lock, opening (and migrating), and the one
way its files are written.

    xtalent.json            manifest: format and schema version
    engagements/<id>.json   one file per engagement (codec.py)
    people.json             the employee records (peoplefile.py; written by the store, never here)
    backups/                rotating snapshots (backups.py)
    cache/                  derived data, safe to delete
    journal/                present only while a multi-file change is being applied (journal.py)
    .lock                   held (filelock) by whoever writes

Every change happens under the lock, and the first thing done under the lock is to finish a
change another process committed before it died: otherwise rolling it forward later would
overwrite whatever was written in between.  Every write goes through `write`: one file is
replaced atomically (atomic.py), several go through the redo journal, so a crash leaves either
the old or the new set, never a mix.
"""

from __future__ import annotations

import errno
import os
import re
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Protocol

from . import codec, migrations
from .atomic import UnreadableFile, atomic_write_bytes, decode_json, dumps, fsync_dir
from .errors import StoreError
from .journal import Journal, Writes
from .permissions import Repair, export_mode, file_mode_in, make_dir, secure
from .vocabulary import ID_PATTERN

if TYPE_CHECKING:
    from filelock import BaseFileLock

    from .changelog import ChangeLog
    from .models import Engagement

MANIFEST = "xtalent.json"
DB_FORMAT = "xtalent-db"
LOCK_TIMEOUT = 10.0
SUBFOLDERS = ("engagements", "backups")


_ID = re.compile(ID_PATTERN)  # the model's Id: also a safe file name


class MigrationHook(Protocol):
    """What the store adds to a migration, under its lock: each upgraded engagement as it is to
    be written (`engagement`), then the other files written with them, all or nothing (`writes`)."""

    def engagement(self, engagement: Engagement) -> Engagement: ...

    def writes(self) -> dict[Path, bytes | None]: ...


def is_id(text: object) -> bool:
    """Whether `text` is an engagement id (and so a safe file name)."""
    return isinstance(text, str) and _ID.match(text) is not None


def _name_key(path: Path) -> str:
    """What orders paths of one folder as Path's own comparison does: the name, case-folded on Windows."""
    return os.path.normcase(path.name)


def write_error(exc: OSError, fallback: Path) -> StoreError:
    """A failed write as users read it: the disk is full, the folder is read-only, or what the
    system said, naming the file."""
    path = exc.filename or str(fallback)
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return StoreError("store.disk_full", path=path)
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StoreError("store.read_only", path=path)
    return StoreError("store.write_failed", path=path, detail=exc.strerror or type(exc).__name__)


class DatabaseFolder:
    def __init__(self, root: Path, *, team: bool = False, read_only: bool = False,
                 lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.root = Path(root)
        # Shared with the folder's group (permissions.py): asked for here, or already marked on
        # the folder by whoever made it a team database.
        self.team = team
        self.read_only = read_only  # every write refused (the reviewers' browser view)
        self.repaired = Repair(self.root, team=team)  # what opening changed in the modes, for a notice
        self.manifest_damaged = False  # opened for restore with a damaged manifest
        self.journal = Journal(self.root)
        self._lock_timeout = lock_timeout
        self._lock: BaseFileLock | None = None  # made on the first write: reading never takes the lock
        self._swept = False

    @property
    def engagements_dir(self) -> Path:
        return self.root / "engagements"

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    @property
    def changelog(self) -> ChangeLog:
        """Who changed what, when: appended under the lock with every change (changelog.py)."""
        from .changelog import ChangeLog  # with the first change or read of the log, not at every start

        return ChangeLog(self.root, mode=export_mode(self.team))

    # ----- opening -------------------------------------------------------------------------
    def _looks_new(self) -> bool:
        """Empty, or only what an interrupted creation leaves: the lock, empty folders, temp files."""
        for entry in self.root.iterdir():
            if entry.name == ".lock" or (entry.name.startswith(".") and entry.name.endswith(".tmp")):
                continue
            if entry.name in SUBFOLDERS and entry.is_dir() and not any(entry.iterdir()):
                continue
            return False
        return True

    def prepare(self, *, keep_before_migration: Callable[[dict[str, Any], int], None],
                tolerate_damaged_manifest: bool = False,
                migration_hook: Callable[[int], MigrationHook] | None = None) -> None:
        """Create the database, or check it is one; finish a crashed change; migrate an older one
        (after `keep_before_migration(document, version)` kept its data exactly as it was;
        `migration_hook(version)`, if given, adds to what the migration writes)."""
        if self.root.exists() and not self.root.is_dir():
            raise StoreError("store.not_a_folder", path=str(self.root))
        if not self.manifest_path.exists():
            # Re-checked after the scan: a process creating the database writes the manifest
            # before anything else, so content without a manifest is never a creation in progress.
            if self.root.exists() and not self._looks_new() and not self.manifest_path.exists():
                if not (self.engagements_dir.is_dir() and self.backups_dir.is_dir()):
                    raise StoreError("store.not_a_database", path=str(self.root))
            else:
                self._create()
                self._secure()
                return
        info: dict[str, Any] | None
        try:
            info = self.read_manifest()
        except StoreError as exc:
            if not (tolerate_damaged_manifest and exc.key == "store.corrupt_file"):
                raise
            self.manifest_damaged = True
            info = None
        self._secure()  # only once the folder is known to be a database: never chmod a stranger's folder
        needs_migration = info is not None and info["schema_version"] < migrations.SCHEMA_VERSION
        if self.journal.pending or needs_migration:
            with self.writing():
                if needs_migration:
                    # Another process may have migrated while we waited for the lock.
                    info = self.read_manifest()
                    if info["schema_version"] < migrations.SCHEMA_VERSION:
                        self._migrate(info["schema_version"], keep_before_migration, migration_hook)

    def _secure(self) -> None:
        self.repaired = secure(self.root, team=self.team)
        self.team = self.repaired.team

    def _create(self) -> None:
        try:
            make_dir(self.root, parents=True, exist_ok=True, team=self.team)
        except PermissionError:
            raise StoreError("store.cannot_create", path=str(self.root)) from None
        except OSError as exc:
            raise write_error(exc, self.root) from None
        with self.writing():
            if self.manifest_path.exists():
                return  # another process created it while we waited for the lock
            for name in SUBFOLDERS:
                make_dir(self.root / name, exist_ok=True)
            self.write({self.manifest_path: self.manifest_bytes()})

    def manifest_bytes(self) -> bytes:
        return dumps({"format": DB_FORMAT, "schema_version": migrations.SCHEMA_VERSION})

    def read_manifest(self) -> dict[str, Any]:
        path = self.manifest_path
        try:
            data = decode_json(self.read_bytes(path), path)
        except FileNotFoundError:
            # Our folders without the manifest: a lost file, which restore can repair.
            raise self.corrupt(path, "missing") from None
        except UnreadableFile as exc:
            raise self.corrupt(path, exc.detail) from None
        version = data.get("schema_version") if isinstance(data, dict) else None
        if not isinstance(data, dict) or data.get("format") != DB_FORMAT or type(version) is not int or version < 1:
            raise self.corrupt(path, "wrong shape")
        if version > migrations.SCHEMA_VERSION:
            raise StoreError("store.newer_schema", path=str(path), found=version, supported=migrations.SCHEMA_VERSION)
        return data

    def _migrate(self, from_version: int, keep_before_migration: Callable[[dict[str, Any], int], None],
                 migration_hook: Callable[[int], MigrationHook] | None = None) -> None:
        """Upgrade every file, all or nothing, after a backup of the data exactly as it was."""
        hook = migration_hook(from_version) if migration_hook is not None else None
        old: list[dict[str, Any]] = []
        writes: dict[Path, bytes | None] = {}
        for path in self.files():
            try:
                version, data = codec.decode(self.read_bytes(path), path)
                engagement = codec.validated(path, codec.upgraded(path, version, data))
            except UnreadableFile as exc:
                raise self.corrupt(path, exc.detail) from None
            if hook is not None:
                engagement = hook.engagement(engagement)
            old.append(data)
            writes[path] = codec.encode(engagement)
        keep_before_migration(
            {"format": "xtalent", "schema_version": from_version, "exported_at": None, "engagements": old},
            from_version,
        )
        if hook is not None:
            writes.update(hook.writes())
        writes[self.manifest_path] = self.manifest_bytes()
        self.write(writes)

    # ----- locking -------------------------------------------------------------------------
    def _acquire(self) -> BaseFileLock:
        from filelock import FileLock, Timeout  # only writers lock: a read-only start skips it

        if self._lock is None:
            self._lock = FileLock(str(self.root / ".lock"), timeout=self._lock_timeout, mode=file_mode_in(self.root))
        try:
            self._lock.acquire()
        except Timeout:
            raise StoreError("store.locked", path=str(self.root)) from None
        except OSError as exc:
            raise write_error(exc, self.root / ".lock") from None
        return self._lock

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the lock, first finishing any change a crashed process committed."""
        if self.read_only:
            raise StoreError("store.read_only_mode")
        lock = self._acquire()
        try:
            if self.journal.pending:
                self._recover()
            if not self._swept:
                self._sweep_temp_files()
                self._swept = True
            yield
        except OSError as exc:
            raise write_error(exc, self.root) from None
        finally:
            lock.release()

    def _recover(self) -> None:
        try:
            self.journal.recover()
        except UnreadableFile as exc:
            raise self.corrupt(Path(exc.path), exc.detail) from None

    def _sweep_temp_files(self) -> None:
        # Under the lock no one else is writing here, so every temp file is a killed writer's.
        for folder in (self.root, *(self.root / name for name in SUBFOLDERS)):
            try:
                entries = list(folder.iterdir())
            except FileNotFoundError:
                continue
            for entry in entries:
                if entry.name.startswith(".") and entry.name.endswith(".tmp"):
                    if entry.is_dir():  # a snapshot folder a killed writer never finished
                        import shutil

                        shutil.rmtree(entry, ignore_errors=True)
                    else:
                        entry.unlink(missing_ok=True)

    def settle(self) -> None:
        """Readers must not see half of a multi-file change (nor build on one that crashed)."""
        if self.journal.pending:
            with self.writing():
                pass

    # ----- writing -------------------------------------------------------------------------
    def write(self, writes: Writes) -> None:
        """The one way files of the database change, under the lock: each target gets its new
        bytes (None: removed), all or nothing.  One file is replaced in place by a rename;
        several go through the journal.  `writes` may be a generator (staged as it goes)."""
        items = iter(writes.items() if isinstance(writes, Mapping) else writes)
        first = next(items, None)
        if first is None:
            return
        second = next(items, None)
        if second is not None:
            self._apply(chain((first, second), items))
            return
        target, content = first
        if content is None:
            Path(target).unlink(missing_ok=True)
            fsync_dir(Path(target).parent)
        else:
            atomic_write_bytes(Path(target), content)

    def _apply(self, writes: Writes) -> None:
        if self.journal.pending:
            self._recover()
        self.journal.apply(writes)

    # ----- reading -------------------------------------------------------------------------
    def files(self) -> list[Path]:
        """The engagement files, sorted by name."""
        # By the name as Path orders them (case-folded where the system folds case): a thousand
        # Path comparisons in Python were half of listing the folder, which a check does two or three times.
        try:
            return sorted((p for p in self.engagements_dir.iterdir() if p.suffix == ".json" and not p.name.startswith(".")),
                          key=_name_key)
        except FileNotFoundError:
            return []

    def path_for(self, engagement_id: str) -> Path:
        return self.engagements_dir / f"{engagement_id}.json"

    def checked_path(self, engagement_id: str) -> Path:
        # Ids come from users too (CLI, links): one that is not an id cannot name a file of ours.
        if not is_id(engagement_id):
            raise StoreError("store.no_such_engagement", id=str(engagement_id)[:64])
        return self.path_for(engagement_id)

    def corrupt(self, path: Path, detail: str) -> StoreError:
        """A damaged file, with the latest backup named beside it."""
        from .backups import list_backups

        backups = list_backups(self.backups_dir)  # only on an error: the order the user will see
        latest = str(backups[0].path) if backups else "-"
        return StoreError("store.corrupt_file", path=str(path), detail=detail, backup=latest)

    def read_bytes(self, path: Path) -> bytes:
        """The file's bytes; FileNotFoundError passes through, other failures name the file."""
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise
        except PermissionError:
            raise StoreError("store.unreadable_permission", path=str(path)) from None
        except OSError as exc:
            raise self.corrupt(path, exc.strerror or type(exc).__name__) from None

    def parse(self, path: Path, raw: bytes) -> Engagement:
        """The engagement in an engagement file's bytes (codec.parse), damage named as users see it."""
        try:
            return codec.parse(path, raw)
        except UnreadableFile as exc:
            raise self.corrupt(path, exc.detail) from None

    def load(self, path: Path) -> Engagement:
        """The engagement in a file; FileNotFoundError passes through."""
        return self.parse(path, self.read_bytes(path))

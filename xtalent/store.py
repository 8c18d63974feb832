"""The database: a folder of small TinyDB files, one per engagement, that cannot lose data.

Layout of a database folder:

    xtalent.json            manifest: format and schema version
    engagements/<id>.json   one TinyDB file per engagement (tables meta, engagement,
                            targets, items, staff, log)
    backups/*.json          rotating snapshots in the interchange format
    journal/                present only while a multi-file change is being applied
    .lock                   held (filelock) by whoever writes

One file per engagement keeps a saved edit O(that engagement), not O(whole database).
Every file write is atomic (see atomic.py); changes touching several files (import, restore)
go through a redo journal so a crash leaves either the old or the new set, never a mix.
Each engagement carries a revision; saving one that changed on disk since it was loaded is a
conflict, never a silent overwrite.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from filelock import FileLock, Timeout
from pydantic import ValidationError
from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware

from .atomic import (
    DIR_MODE,
    AtomicJSONStorage,
    UnreadableFile,
    atomic_write_bytes,
    dumps,
    fsync_dir,
    read_json,
)
from .errors import XtalentError, from_validation_error
from .migrations import NewerSchema, migrate_engagement
from .models import SCHEMA_VERSION, Engagement, InterchangeDocument

MANIFEST = "xtalent.json"
DB_FORMAT = "xtalent-db"
RECORD_TABLES = ("targets", "items", "staff", "log")
LOCK_TIMEOUT = 10.0


class StoreError(XtalentError):
    pass


class ConflictError(StoreError):
    def __init__(self, engagement_id: str, expected: int, found: int) -> None:
        super().__init__("store.conflict", id=engagement_id, expected=expected, found=found)
        self.engagement_id = engagement_id


@dataclass(frozen=True)
class BackupInfo:
    name: str
    path: Path
    size: int
    created: datetime


@dataclass(frozen=True)
class ImportResult:
    added: list[str]
    replaced: list[str]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def engagement_to_tables(engagement: Engagement) -> dict[str, dict[str, Any]]:
    data = engagement.model_dump(mode="json")
    records = {name: data.pop(name) for name in RECORD_TABLES}
    revision = data.pop("revision")
    tables: dict[str, dict[str, Any]] = {
        "meta": {"1": {"schema_version": SCHEMA_VERSION, "revision": revision, "id": engagement.id}},
        "engagement": {"1": data},
    }
    for name, rows in records.items():
        tables[name] = {str(n): row for n, row in enumerate(rows, start=1)}
    return tables


class Store:
    def __init__(self, root: Path, *, backups_kept: int = 10, clock: Callable[[], datetime] = _utc_now) -> None:
        self.root = Path(root)
        self.backups_kept = backups_kept
        self.clock = clock
        self._cache: dict[str, tuple[tuple[int, int], Engagement]] = {}
        self._backed_up = False
        self._lock = FileLock(str(self.root / ".lock"), timeout=LOCK_TIMEOUT, mode=0o600)

    # ----- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, root: Path, **kwargs: Any) -> "Store":
        store = cls(Path(root), **kwargs)
        store._prepare()
        return store

    @property
    def engagements_dir(self) -> Path:
        return self.root / "engagements"

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    @property
    def journal_dir(self) -> Path:
        return self.root / "journal"

    def _prepare(self) -> None:
        if self.root.exists() and not self.root.is_dir():
            raise StoreError("store.not_a_folder", path=str(self.root))
        manifest = self.root / MANIFEST
        if not self.root.exists() or not manifest.exists():
            if self.root.exists() and any(p.name != ".lock" for p in self.root.iterdir()):
                raise StoreError("store.not_a_database", path=str(self.root))
            try:
                self.root.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
                with self._locked():
                    for folder in (self.engagements_dir, self.backups_dir):
                        folder.mkdir(mode=DIR_MODE, exist_ok=True)
                    atomic_write_bytes(manifest, dumps({"format": DB_FORMAT, "schema_version": SCHEMA_VERSION}))
            except PermissionError:
                raise StoreError("store.cannot_create", path=str(self.root)) from None
            return
        info = self._read_manifest()
        if self.journal_dir.exists():
            with self._locked():
                self._recover_journal()
        if info["schema_version"] < SCHEMA_VERSION:
            self._migrate(info["schema_version"])

    def _read_manifest(self) -> dict[str, Any]:
        path = self.root / MANIFEST
        try:
            data = read_json(path)
        except PermissionError:
            raise StoreError("store.unreadable_permission", path=str(path)) from None
        except UnreadableFile as exc:
            raise StoreError("store.corrupt_file", path=str(path), detail=exc.detail, backup=self._latest_backup_text()) from None
        if not isinstance(data, dict) or data.get("format") != DB_FORMAT or not isinstance(data.get("schema_version"), int):
            raise StoreError("store.not_a_database", path=str(self.root))
        if data["schema_version"] > SCHEMA_VERSION:
            raise StoreError("store.newer_schema", path=str(path), found=data["schema_version"], supported=SCHEMA_VERSION)
        return data

    def _migrate(self, from_version: int) -> None:
        # Old files are read through the migration on load; rewriting them all once, after a
        # backup of the old state, keeps later loads cheap.
        with self._locked():
            engagements = [self._load_file(p, allow_migration=True) for p in self._files()]
            self._snapshot_unlocked(engagements, reason="pre-migration")
            self._apply({self._path_for(e.id): dumps(engagement_to_tables(e)) for e in engagements})
            atomic_write_bytes(self.root / MANIFEST, dumps({"format": DB_FORMAT, "schema_version": SCHEMA_VERSION}))

    # ----- locking -------------------------------------------------------------------------
    @contextmanager
    def _locked(self) -> Iterator[None]:
        self._acquire()
        try:
            yield
        finally:
            self._lock.release()

    def _acquire(self) -> None:
        try:
            self._lock.acquire()
        except Timeout:
            raise StoreError("store.locked", path=str(self.root)) from None

    # ----- reading -------------------------------------------------------------------------
    def _files(self) -> list[Path]:
        try:
            return sorted(p for p in self.engagements_dir.iterdir() if p.suffix == ".json" and not p.name.startswith("."))
        except FileNotFoundError:
            return []

    def _path_for(self, engagement_id: str) -> Path:
        return self.engagements_dir / f"{engagement_id}.json"

    def _corrupt(self, path: Path, detail: str) -> StoreError:
        return StoreError("store.corrupt_file", path=str(path), detail=detail, backup=self._latest_backup_text())

    def _load_file(self, path: Path, *, allow_migration: bool = False) -> Engagement:
        try:
            db = TinyDB(path, storage=CachingMiddleware(AtomicJSONStorage))
            try:
                tables = {name: db.table(name).all() for name in ("meta", "engagement", *RECORD_TABLES)}
            finally:
                db.storage.close()  # a read-only use: nothing to flush
        except PermissionError:
            raise StoreError("store.unreadable_permission", path=str(path)) from None
        except UnreadableFile as exc:
            raise self._corrupt(path, exc.detail) from None
        except (ValueError, TypeError, AttributeError, KeyError):
            raise self._corrupt(path, "wrong shape") from None
        if len(tables["meta"]) != 1 or len(tables["engagement"]) != 1:
            raise self._corrupt(path, "wrong shape")
        meta = tables["meta"][0]
        version = meta.get("schema_version")
        if not isinstance(version, int):
            raise self._corrupt(path, "wrong shape")
        data = dict(tables["engagement"][0])
        for name in RECORD_TABLES:
            data[name] = [dict(row) for row in tables[name]]
        data["revision"] = meta.get("revision", 0)
        try:
            data = migrate_engagement(data, version)
        except NewerSchema:
            raise StoreError("store.newer_schema", path=str(path), found=version, supported=SCHEMA_VERSION) from None
        try:
            engagement = Engagement.model_validate(data)
        except ValidationError as exc:
            raise from_validation_error(exc, str(path)) from None
        if path.stem != engagement.id:
            raise self._corrupt(path, "id does not match the file name")
        return engagement

    def _stat_key(self, path: Path) -> tuple[int, int]:
        st = path.stat()
        return (st.st_mtime_ns, st.st_size)

    def _cached_load(self, path: Path) -> Engagement:
        key = self._stat_key(path)
        hit = self._cache.get(path.stem)
        if hit is not None and hit[0] == key:
            return hit[1]
        engagement = self._load_file(path)
        self._cache[path.stem] = (key, engagement)
        return engagement

    def engagements(self) -> list[Engagement]:
        """Every engagement on disk, re-reading only files that changed since the last call."""
        files = self._files()
        live = {p.stem for p in files}
        for stale in set(self._cache) - live:
            del self._cache[stale]
        return [self._cached_load(p) for p in files]

    def get(self, engagement_id: str) -> Engagement:
        path = self._path_for(engagement_id)
        if not path.exists():
            raise StoreError("store.no_such_engagement", id=engagement_id)
        return self._cached_load(path)

    def fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        """Cheap summary of what is on disk, so a UI can notice another process's changes."""
        out = []
        for path in self._files():
            try:
                mtime, size = self._stat_key(path)
            except FileNotFoundError:
                continue
            out.append((path.stem, mtime, size))
        return tuple(out)

    def find(self, query: str) -> Engagement:
        """An engagement by id, or by a unique id prefix or person's name."""
        engagements = self.engagements()
        exact = [e for e in engagements if e.id == query]
        if exact:
            return exact[0]
        matches = [e for e in engagements if e.id.startswith(query) or e.person.name == query]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise StoreError("store.no_such_engagement", id=query)
        raise StoreError("store.ambiguous_engagement", id=query, count=len(matches))

    # ----- writing -------------------------------------------------------------------------
    def _current_revision(self, engagement_id: str) -> int | None:
        path = self._path_for(engagement_id)
        if not path.exists():
            return None
        return self._load_file(path).revision

    def save(self, engagement: Engagement) -> Engagement:
        """Write one engagement; its `revision` must be the one on disk (0 for a new one)."""
        self._acquire()
        try:
            found = self._current_revision(engagement.id)
            expected = engagement.revision
            if (found is None and expected != 0) or (found is not None and found != expected):
                raise ConflictError(engagement.id, expected, found if found is not None else 0)
            self._backup_once()
            saved = engagement.model_copy(update={"revision": expected + 1})
            # Revalidate: model_copy skips validation and the caller may have mutated lists.
            saved = Engagement.model_validate(saved.model_dump())
            path = self._path_for(saved.id)
            self._write_engagement(path, saved)
            self._cache[saved.id] = (self._stat_key(path), saved)
            return saved
        finally:
            self._lock.release()

    def _write_engagement(self, path: Path, engagement: Engagement) -> None:
        # A fresh TinyDB over the atomic storage; the cache middleware turns the table writes
        # below into a single atomic file write on flush.
        storage = CachingMiddleware(AtomicJSONStorage)
        storage.WRITE_CACHE_SIZE = 10**9
        tmp_db = TinyDB(str(path), storage=storage)
        try:
            tmp_db.drop_tables()
            for name, rows in engagement_to_tables(engagement).items():
                tmp_db.table(name).insert_multiple(rows.values())
        finally:
            tmp_db.storage.flush()

    def delete(self, engagement_id: str, expected_revision: int) -> None:
        self._acquire()
        try:
            found = self._current_revision(engagement_id)
            if found is None:
                raise StoreError("store.no_such_engagement", id=engagement_id)
            if found != expected_revision:
                raise ConflictError(engagement_id, expected_revision, found)
            self._backup_once()
            self._path_for(engagement_id).unlink()
            fsync_dir(self.engagements_dir)
            self._cache.pop(engagement_id, None)
        finally:
            self._lock.release()

    def import_document(self, document: InterchangeDocument, *, replace: bool = False) -> ImportResult:
        """All or nothing: every engagement is already validated; existing ids need `replace`."""
        self._acquire()
        try:
            existing = {p.stem for p in self._files()}
            clashes = [e.id for e in document.engagements if e.id in existing]
            if clashes and not replace:
                raise StoreError("store.import_clash", ids=", ".join(clashes), count=len(clashes))
            self._backup_once()
            writes: dict[Path, bytes | None] = {}
            for engagement in document.engagements:
                revision = 1
                if engagement.id in existing:
                    revision = (self._current_revision(engagement.id) or 0) + 1
                stored = engagement.model_copy(update={"revision": revision})
                writes[self._path_for(engagement.id)] = dumps(engagement_to_tables(stored))
            self._apply(writes)
            added = [e.id for e in document.engagements if e.id not in existing]
            return ImportResult(added=added, replaced=clashes)
        finally:
            self._lock.release()

    def export_document(self, exported_at: str | None = None) -> InterchangeDocument:
        return InterchangeDocument(
            exported_at=exported_at or self.clock().isoformat(timespec="seconds"),
            engagements=self.engagements(),
        )

    # ----- the redo journal for multi-file changes -------------------------------------------
    def _apply(self, writes: dict[Path, bytes | None]) -> None:
        """Stage every new file, commit by writing the plan, then move files into place."""
        journal = self.journal_dir
        if journal.exists():
            shutil.rmtree(journal)
        journal.mkdir(mode=DIR_MODE)
        plan = []
        for n, (target, content) in enumerate(writes.items()):
            staged = None
            if content is not None:
                staged = f"{n}.json"
                atomic_write_bytes(journal / staged, content)
            plan.append({"target": str(target.relative_to(self.root)), "staged": staged})
        atomic_write_bytes(journal / "commit.json", dumps(plan))  # the commit point
        self._recover_journal()

    def _recover_journal(self) -> None:
        journal = self.journal_dir
        commit = journal / "commit.json"
        if commit.exists():
            plan = read_json(commit)
            for step in plan:
                target = self.root / step["target"]
                target.parent.mkdir(mode=DIR_MODE, exist_ok=True)
                if step["staged"] is None:
                    target.unlink(missing_ok=True)
                elif (journal / step["staged"]).exists():
                    os.replace(journal / step["staged"], target)
            fsync_dir(self.engagements_dir)
        # Without a commit file the change never happened: the staged files are dropped.
        shutil.rmtree(journal, ignore_errors=True)
        fsync_dir(self.root)

    # ----- backups ---------------------------------------------------------------------------
    def _backup_once(self) -> None:
        """Snapshot the database before this session's first change (O(database) once)."""
        if self._backed_up:
            return
        engagements = [self._load_file(p) for p in self._files()]
        if engagements:
            self._snapshot_unlocked(engagements, reason="auto")
        self._backed_up = True

    def _snapshot_unlocked(self, engagements: Iterable[Engagement], reason: str) -> Path:
        self.backups_dir.mkdir(mode=DIR_MODE, exist_ok=True)
        now = self.clock()
        doc = InterchangeDocument(exported_at=now.isoformat(timespec="seconds"), engagements=list(engagements))
        name = f"xtalent-{now.strftime('%Y%m%dT%H%M%S%fZ')}-{reason}.json"
        path = self.backups_dir / name
        atomic_write_bytes(path, dumps(doc.model_dump(mode="json")))
        self._prune_backups()
        return path

    def backup_now(self, reason: str = "manual") -> Path:
        self._acquire()
        try:
            return self._snapshot_unlocked([self._load_file(p) for p in self._files()], reason)
        finally:
            self._lock.release()

    def _prune_backups(self) -> None:
        backups = self.list_backups()
        for old in backups[self.backups_kept :]:
            old.path.unlink(missing_ok=True)

    def list_backups(self) -> list[BackupInfo]:
        """Newest first."""
        try:
            paths = [p for p in self.backups_dir.iterdir() if p.suffix == ".json" and not p.name.startswith(".")]
        except FileNotFoundError:
            return []
        infos = []
        for path in paths:
            st = path.stat()
            infos.append(BackupInfo(path.name, path, st.st_size, datetime.fromtimestamp(st.st_mtime, timezone.utc)))
        return sorted(infos, key=lambda b: b.name, reverse=True)

    def _latest_backup_text(self) -> str:
        backups = self.list_backups()
        return str(backups[0].path) if backups else "-"

    def restore_backup(self, name: str) -> Path | None:
        """Replace the database with a backup; the current state is kept aside as a backup first.

        Returns the path of the kept-aside snapshot (None when the database was empty or
        unreadable, in which case its files are moved into backups/ as they are).
        """
        from .interchange import load_document  # interchange imports store's siblings only

        matches = [b for b in self.list_backups() if b.name == name or b.name.startswith(name)]
        if len(matches) != 1:
            raise StoreError("store.no_such_backup", name=name)
        document = load_document(matches[0].path)
        self._acquire()
        try:
            kept: Path | None
            try:
                current = [self._load_file(p) for p in self._files()]
                kept = self._snapshot_unlocked(current, reason="before-restore") if current else None
            except StoreError:
                # A damaged database is exactly when restoring matters: keep its files as they are.
                kept = None
                aside = self.backups_dir / f"damaged-{self.clock().strftime('%Y%m%dT%H%M%S%fZ')}"
                aside.mkdir(mode=DIR_MODE)
                for path in self._files():
                    shutil.copy2(path, aside / path.name)
            writes: dict[Path, bytes | None] = {p: None for p in self._files()}
            for engagement in document.engagements:
                stored = engagement.model_copy(update={"revision": engagement.revision + 1})
                writes[self._path_for(engagement.id)] = dumps(engagement_to_tables(stored))
            self._apply(writes)
            self._cache.clear()
            return kept
        finally:
            self._lock.release()

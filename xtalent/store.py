"""The database: a folder of small TinyDB files, one per engagement, that cannot lose data.

Layout of a database folder:

    xtalent.json            manifest: format and schema version
    engagements/<id>.json   one TinyDB file per engagement (tables meta, engagement,
                            targets, items, staff, log)
    backups/                rotating snapshots: interchange files and folders of hard links
                            (see backups.py)
    cache/                  derived data (the dashboard's rows, settings files already checked);
                            safe to delete
    journal/                present only while a multi-file change is being applied
    .lock                   held (filelock) by whoever writes

One file per engagement keeps a saved edit O(that engagement), not O(whole database).
Every file write is atomic (see atomic.py); changes touching several files (import, restore,
migration) go through a redo journal so a crash leaves either the old or the new set, never a
mix.  Each engagement carries a revision; saving one that changed on disk since it was loaded
is a conflict, never a silent overwrite.

Every change happens under the lock, and the first thing done under the lock is to finish a
change another process committed before it died: otherwise rolling it forward later would
overwrite whatever was written in between.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware

from . import migrations
from .atomic import (
    AtomicJSONStorage,
    UnreadableFile,
    atomic_write_bytes,
    decode_json,
    dumps,
    fsync_dir,
    non_finite_paths,
    sync_staged,
    write_staged,
)
from .backups import BackupInfo, BackupsMixin  # noqa: F401 (BackupInfo is part of the store API)
from .changelog import Change, ChangeLog, current_user
from .errors import ConflictError, InvalidData, StoreError, format_path, from_validation_error  # noqa: F401 (re-exported)
from .migrations import SCHEMA_VERSION, NewerSchema
from .permissions import Repair, export_mode, file_mode_in, make_dir, secure
from .vocabulary import ID_PATTERN

if TYPE_CHECKING:  # the models load with the first engagement read, not with the store
    from .interchange import ImportBatch
    from .models import Engagement, InterchangeDocument

MANIFEST = "xtalent.json"
DB_FORMAT = "xtalent-db"
RECORD_TABLES = ("targets", "items", "staff", "log")
LOCK_TIMEOUT = 10.0
_ID = re.compile(ID_PATTERN)  # the model's Id: also a safe file name
_SUBFOLDERS = ("engagements", "backups")


@dataclass(frozen=True)
class ImportResult:
    added: list[str]
    replaced: list[str]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_mtime_ns, st.st_size


def engagement_to_tables(engagement: Engagement) -> dict[str, dict[str, Any]]:
    return tables_of(engagement.model_dump(mode="json"))


def tables_of(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """An engagement's JSON (as model_dump(mode="json") gives it) as the tables of its file."""
    data = dict(data)
    records = {name: data.pop(name) for name in RECORD_TABLES}
    revision = data.pop("revision")
    tables: dict[str, dict[str, Any]] = {
        "meta": {"1": {"schema_version": SCHEMA_VERSION, "revision": revision, "id": data["id"]}},
        "engagement": {"1": data},
    }
    for name, rows in records.items():
        tables[name] = {str(n): row for n, row in enumerate(rows, start=1)}
    return tables


def unstorable(data: Any, source: str, prefix: Iterable[Any] = ()) -> InvalidData | None:
    """Values a model accepts but JSON cannot hold (NaN, infinity), as a validation error."""
    problems = [(format_path([*prefix, *loc]), "validation.not_a_number", {}) for loc in non_finite_paths(data)]
    return InvalidData(source, problems) if problems else None


def _write_error(exc: OSError, fallback: Path) -> StoreError:
    path = exc.filename or str(fallback)
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return StoreError("store.disk_full", path=path)
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StoreError("store.read_only", path=path)
    return StoreError("store.write_failed", path=path, detail=exc.strerror or type(exc).__name__)


def _validated_from_bytes(raw: bytes) -> Engagement | None:
    """The engagement a file holds, validated by pydantic-core while it parses the bytes: no
    dicts of the whole file are made first, so loading many costs little more than parsing
    their JSON (see docs/performance.md).  None when the file is not exactly as xtalent writes
    it at this schema version; the caller then reads it the careful way."""
    from pydantic import ValidationError

    from .models import StoredFile

    try:
        return StoredFile.model_validate_json(raw).engagement_at(SCHEMA_VERSION)
    except (ValidationError, ValueError, RecursionError):
        return None


class Store(BackupsMixin):
    def __init__(
        self,
        root: Path,
        *,
        backups_kept: int = 10,
        clock: Callable[[], datetime] = _utc_now,
        lock_timeout: float = LOCK_TIMEOUT,
        team: bool = False,
        read_only: bool = False,
    ) -> None:
        self.root = Path(root)
        # Shared with the folder's group (permissions.py): asked for here, or already marked on
        # the folder by whoever made it a team database.
        self.team = team
        self.read_only = read_only  # every write refused (the reviewers' browser view)
        self.repaired = Repair(self.root, team=team)  # what opening changed in the modes, for a notice
        self.backups_kept = backups_kept
        self.clock = clock
        self._backed_up = False
        self._prepared: tuple[Path, tuple[int, int], int | None] | None = None  # see BackupsMixin.prepare_backup
        self._hidden: list[Path] = []  # rotated-out backups to remove when the session ends
        self._swept = False
        self._manifest_damaged = False
        self._lock_timeout = lock_timeout
        self._lock: Any = None  # made on the first write: reading never takes the lock

    # ----- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, root: Path, **kwargs: Any) -> "Store":
        store = cls(Path(root), **kwargs)
        store._prepare()
        return store

    @classmethod
    def open_for_restore(cls, root: Path, **kwargs: Any) -> "Store":
        """Open even when the manifest is damaged, so `xtalent restore` can repair the database."""
        store = cls(Path(root), **kwargs)
        store._prepare(tolerate_damaged_manifest=True)
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

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    def _looks_new(self) -> bool:
        """Empty, or only what an interrupted creation leaves: the lock, empty folders, temp files."""
        for entry in self.root.iterdir():
            if entry.name == ".lock" or (entry.name.startswith(".") and entry.name.endswith(".tmp")):
                continue
            if entry.name in _SUBFOLDERS and entry.is_dir() and not any(entry.iterdir()):
                continue
            return False
        return True

    def _prepare(self, *, tolerate_damaged_manifest: bool = False) -> None:
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
        try:
            info = self._read_manifest()
        except StoreError as exc:
            if not (tolerate_damaged_manifest and exc.key == "store.corrupt_file"):
                raise
            self._manifest_damaged = True
            info = None
        self._secure()  # only once the folder is known to be a database: never chmod a stranger's folder
        needs_migration = info is not None and info["schema_version"] < SCHEMA_VERSION
        if self.journal_dir.exists() or needs_migration:
            with self._writing():
                if needs_migration:
                    # Another process may have migrated while we waited for the lock.
                    info = self._read_manifest()
                    if info["schema_version"] < SCHEMA_VERSION:
                        self._migrate(info["schema_version"])

    def _secure(self) -> None:
        self.repaired = secure(self.root, team=self.team)
        self.team = self.repaired.team

    def _create(self) -> None:
        try:
            make_dir(self.root, parents=True, exist_ok=True, team=self.team)
        except PermissionError:
            raise StoreError("store.cannot_create", path=str(self.root)) from None
        except OSError as exc:
            raise _write_error(exc, self.root) from None
        with self._writing():
            if self.manifest_path.exists():
                return  # another process created it while we waited for the lock
            for name in _SUBFOLDERS:
                make_dir(self.root / name, exist_ok=True)
            atomic_write_bytes(self.manifest_path, self._manifest_bytes())

    def _manifest_bytes(self) -> bytes:
        return dumps({"format": DB_FORMAT, "schema_version": SCHEMA_VERSION})

    def _read_manifest(self) -> dict[str, Any]:
        path = self.manifest_path
        try:
            data = decode_json(self._read_bytes(path), path)
        except FileNotFoundError:
            # Our folders without the manifest: a lost file, which restore can repair.
            raise self._corrupt(path, "missing") from None
        except UnreadableFile as exc:
            raise self._corrupt(path, exc.detail) from None
        version = data.get("schema_version") if isinstance(data, dict) else None
        if not isinstance(data, dict) or data.get("format") != DB_FORMAT or type(version) is not int or version < 1:
            raise self._corrupt(path, "wrong shape")
        if version > SCHEMA_VERSION:
            raise StoreError("store.newer_schema", path=str(path), found=version, supported=SCHEMA_VERSION)
        return data

    def _migrate(self, from_version: int) -> None:
        """Upgrade every file, all or nothing, after a backup of the data exactly as it was."""
        old: list[dict[str, Any]] = []
        writes: dict[Path, bytes | None] = {}
        for path in self._files():
            version, data = self._read_raw(path)
            try:
                upgraded = migrations.migrate_engagement(dict(data), version, SCHEMA_VERSION)
            except NewerSchema:
                raise StoreError("store.newer_schema", path=str(path), found=version, supported=SCHEMA_VERSION) from None
            except Exception as exc:  # a step meeting data it did not expect: refuse, change nothing
                raise StoreError(
                    "store.migration_failed", path=str(path), version=SCHEMA_VERSION, detail=type(exc).__name__
                ) from None
            engagement = self._validated(path, upgraded)
            old.append(data)
            writes[path] = dumps(engagement_to_tables(engagement))
        self._write_backup(
            {"format": "xtalent", "schema_version": from_version, "exported_at": None, "engagements": old},
            reason="pre-migration",
        )
        writes[self.manifest_path] = self._manifest_bytes()
        self._apply(writes)

    # ----- locking -------------------------------------------------------------------------
    def _acquire(self) -> None:
        from filelock import FileLock, Timeout  # only writers lock: a read-only start skips it

        if self._lock is None:
            self._lock = FileLock(str(self.root / ".lock"), timeout=self._lock_timeout, mode=file_mode_in(self.root))
        try:
            self._lock.acquire()
        except Timeout:
            raise StoreError("store.locked", path=str(self.root)) from None
        except OSError as exc:
            raise _write_error(exc, self.root / ".lock") from None

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Hold the lock, first finishing any change a crashed process committed."""
        if self.read_only:
            raise StoreError("store.read_only_mode")
        self._acquire()
        try:
            if self.journal_dir.exists():
                self._recover_journal()
            if not self._swept:
                self._sweep_temp_files()
                self._swept = True
            yield
        except OSError as exc:
            raise _write_error(exc, self.root) from None
        finally:
            self._lock.release()

    def _sweep_temp_files(self) -> None:
        # Under the lock no one else is writing here, so every temp file is a killed writer's.
        for folder in (self.root, *(self.root / name for name in _SUBFOLDERS)):
            try:
                entries = list(folder.iterdir())
            except FileNotFoundError:
                continue
            for entry in entries:
                if entry.name.startswith(".") and entry.name.endswith(".tmp"):
                    if entry.is_dir():  # a snapshot folder a killed writer never finished
                        shutil.rmtree(entry, ignore_errors=True)
                    else:
                        entry.unlink(missing_ok=True)

    def _settle(self) -> None:
        """Readers must not see half of a multi-file change (nor build on one that crashed)."""
        if self.journal_dir.exists():
            with self._writing():
                pass

    # ----- reading -------------------------------------------------------------------------
    def _files(self) -> list[Path]:
        try:
            return sorted(p for p in self.engagements_dir.iterdir() if p.suffix == ".json" and not p.name.startswith("."))
        except FileNotFoundError:
            return []

    def _path_for(self, engagement_id: str) -> Path:
        return self.engagements_dir / f"{engagement_id}.json"

    def _checked_path(self, engagement_id: str) -> Path:
        # Ids come from users too (CLI, links): one that is not an id cannot name a file of ours.
        if not isinstance(engagement_id, str) or not _ID.match(engagement_id):
            raise StoreError("store.no_such_engagement", id=str(engagement_id)[:64])
        return self._path_for(engagement_id)

    def _corrupt(self, path: Path, detail: str) -> StoreError:
        return StoreError("store.corrupt_file", path=str(path), detail=detail, backup=self._latest_backup_text())

    def _read_bytes(self, path: Path) -> bytes:
        """The file's bytes; FileNotFoundError passes through, other failures name the file."""
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise
        except PermissionError:
            raise StoreError("store.unreadable_permission", path=str(path)) from None
        except OSError as exc:
            raise self._corrupt(path, exc.strerror or type(exc).__name__) from None

    def _decode(self, path: Path, raw: bytes) -> tuple[int, dict[str, Any]]:
        """The stored tables as one plain engagement dict, and the schema version it is at."""
        try:
            decoded = decode_json(raw, path, finite=True)
            if not isinstance(decoded, dict):
                raise UnreadableFile(path, "not a JSON object")
            db = TinyDB(path, storage=AtomicJSONStorage, preloaded=decoded)
            tables = {name: db.table(name).all() for name in ("meta", "engagement", *RECORD_TABLES)}
        except UnreadableFile as exc:
            raise self._corrupt(path, exc.detail) from None
        except (ValueError, TypeError, AttributeError, KeyError):
            raise self._corrupt(path, "wrong shape") from None
        if len(tables["meta"]) != 1 or len(tables["engagement"]) != 1:
            raise self._corrupt(path, "wrong shape")
        meta = tables["meta"][0]
        version = meta.get("schema_version")
        if type(version) is not int or version < 1:
            raise self._corrupt(path, "wrong shape")
        data = dict(tables["engagement"][0])
        for name in RECORD_TABLES:
            data[name] = [dict(row) for row in tables[name]]
        data["revision"] = meta.get("revision", 0)
        return version, data

    def _read_raw(self, path: Path) -> tuple[int, dict[str, Any]]:
        return self._decode(path, self._read_bytes(path))

    def _validated(self, path: Path, data: dict[str, Any]) -> Engagement:
        from pydantic import ValidationError

        from .models import Engagement

        try:
            engagement = Engagement.model_validate(data)
        except ValidationError as exc:
            # A stored file that no longer validates was damaged outside xtalent: say so, and
            # name the field (never its value) so the damage can be found.
            lines = from_validation_error(exc, str(path)).lines()
            raise self._corrupt(path, "; ".join(lines[:3])) from None
        if path.stem != engagement.id:
            raise self._corrupt(path, "id does not match the file name")
        return engagement

    def _parse(self, path: Path, raw: bytes) -> Engagement:
        engagement = _validated_from_bytes(raw)
        if engagement is not None and engagement.id == path.stem:
            return engagement
        # Anything unusual (an older version, a BOM, damage) is read the careful way, which says
        # exactly what is wrong.
        version, data = self._decode(path, raw)
        try:
            data = migrations.migrate_engagement(data, version, SCHEMA_VERSION)
        except NewerSchema:
            raise StoreError("store.newer_schema", path=str(path), found=version, supported=SCHEMA_VERSION) from None
        except Exception as exc:
            raise StoreError(
                "store.migration_failed", path=str(path), version=SCHEMA_VERSION, detail=type(exc).__name__
            ) from None
        return self._validated(path, data)

    def _load(self, path: Path) -> Engagement:
        return self._parse(path, self._read_bytes(path))

    def scan(self, ids: Iterable[str] | None = None) -> Iterator[Engagement]:
        """The engagements on disk (or those of `ids`), one at a time, without keeping them.

        For work over the whole database that needs each engagement only briefly (the
        dashboard's rows): memory stays that of one engagement, not of a thousand.
        """
        self._settle()
        wanted = None if ids is None else set(ids)
        for path in self._files():
            if wanted is not None and path.stem not in wanted:
                continue
            try:
                raw = self._read_bytes(path)
            except FileNotFoundError:
                continue  # deleted by another process since the listing
            yield self._parse(path, raw)

    def engagements(self) -> list[Engagement]:
        """Every engagement on disk, all in memory at once (work over many that can go one at a
        time uses `scan`)."""
        self._settle()
        out = []
        for path in self._files():
            try:
                out.append(self._load(path))
            except FileNotFoundError:
                continue  # deleted by another process since the listing
        return out

    def get(self, engagement_id: str) -> Engagement:
        path = self._checked_path(engagement_id)
        self._settle()
        try:
            return self._load(path)
        except FileNotFoundError:
            raise StoreError("store.no_such_engagement", id=engagement_id) from None

    def _names(self) -> list[Any]:
        """Who each engagement file is about (id, person.name, person.name_kana), read without
        validating the rest.  A file that does not show a name is read whole, so its damage is
        reported as any read would."""
        from pydantic import ValidationError

        from .models import StoredNames

        self._settle()
        out = []
        for path in self._files():
            try:
                raw = self._read_bytes(path)
            except FileNotFoundError:
                continue
            try:
                (named,) = StoredNames.model_validate_json(raw).engagement.values()
            except (ValidationError, ValueError, RecursionError):
                named = self._parse(path, raw)
            if named.id == path.stem:
                out.append(named)
            else:
                self._parse(path, raw)  # raises: the id does not match the name
        return out

    def fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        """Cheap summary of what is on disk, so a UI can notice another process's changes."""
        return tuple((path.stem, *stamp) for path in self._files() if (stamp := _stamp(path)) is not None)

    def stamp(self, engagement_id: str) -> tuple[int, int] | None:
        """One engagement's entry of the fingerprint (None: no such file)."""
        return _stamp(self._checked_path(engagement_id))

    def find(self, query: str) -> Engagement:
        """An engagement by id, a unique id prefix, or the person's name typed loosely (see lookup).

        An exact id reads that one file; anything else reads only who each file is about, then
        the one engagement found."""
        from .lookup import candidates

        shown = (query or "")[:64]
        if isinstance(query, str) and _ID.match(query) and self._path_for(query).exists():
            try:
                return self.get(query)
            except StoreError as exc:
                if exc.key != "store.no_such_engagement":  # deleted since: look further
                    raise
        # Only the engagements matched are read whole: a damaged one is reported, never listed.
        matches = [self.get(named.id) for named in candidates(self._names(), query)]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise StoreError("store.no_match", id=shown)
        wide = max(len(e.id) for e in matches)
        listed = "\n".join(f"  {e.id.ljust(wide)}  {e.person.name}" for e in sorted(matches, key=lambda e: e.id))
        raise StoreError("store.ambiguous_engagement", id=shown, count=len(matches), candidates=listed)

    # ----- writing -------------------------------------------------------------------------
    def _current_revision(self, engagement_id: str) -> int | None:
        # Read whole, not just the revision: a save never replaces a file it cannot read.
        try:
            return self._load(self._path_for(engagement_id)).revision
        except FileNotFoundError:
            return None

    def revision(self, engagement_id: str) -> int | None:
        """The stored revision (None: no such engagement), read without validating the rest:
        enough to tell whether anyone saved since a revision was seen (EditSession).  A file
        that does not show one is read whole, so its damage is reported."""
        from pydantic import ValidationError

        from .models import StoredRevision

        path = self._checked_path(engagement_id)
        self._settle()
        try:
            raw = self._read_bytes(path)
        except FileNotFoundError:
            return None
        try:
            (meta,) = StoredRevision.model_validate_json(raw).meta.values()
            return meta.revision
        except (ValidationError, ValueError, RecursionError):
            return self._parse(path, raw).revision

    def _storable(self, engagement: Engagement, prefix: Iterable[Any] = ()) -> Engagement:
        """Revalidate (lists may have been mutated in place) and refuse what JSON cannot hold."""
        from pydantic import ValidationError

        from .models import Engagement

        try:
            checked = Engagement.model_validate(engagement.model_dump())
        except ValidationError as exc:
            raise from_validation_error(exc, engagement.id, prefix) from None
        problem = unstorable(checked.model_dump(mode="json"), engagement.id, prefix)
        if problem is not None:
            raise problem
        return checked

    @property
    def changelog(self) -> ChangeLog:
        """Who changed what, when: appended under the lock with every change (changelog.py)."""
        return ChangeLog(self.root, mode=export_mode(self.team))

    def save(self, engagement: Engagement, *, change: Change | None = None) -> Engagement:
        """Write one engagement; its `revision` must be the one on disk (0 for a new one).
        `change` is appended to the change log under the same lock."""
        expected = engagement.revision
        saved = self._storable(engagement.model_copy(update={"revision": expected + 1}))
        path = self._checked_path(saved.id)
        with self._writing():
            found = self._current_revision(saved.id)
            if (found is None and expected != 0) or (found is not None and found != expected):
                raise ConflictError(saved.id, expected, found if found is not None else 0)
            with self._session_backup():
                self._write_engagement(path, saved)
            if change is not None:
                self.changelog.append(change)
            return saved

    def _write_engagement(self, path: Path, engagement: Engagement) -> None:
        # A fresh TinyDB over the atomic storage; the cache middleware turns the table writes
        # below into a single atomic file write on flush.
        storage = CachingMiddleware(AtomicJSONStorage)
        storage.WRITE_CACHE_SIZE = 10**9
        tmp_db = TinyDB(str(path), storage=storage)
        tmp_db.drop_tables()
        for name, rows in engagement_to_tables(engagement).items():
            tmp_db.table(name).insert_multiple(rows.values())
        # Only a complete set of tables is ever flushed: a failure above writes nothing.
        tmp_db.storage.flush()

    def delete(self, engagement_id: str, expected_revision: int, *, change: Change | None = None) -> None:
        path = self._checked_path(engagement_id)
        with self._writing():
            found = self._current_revision(engagement_id)
            if found is None:
                raise StoreError("store.no_such_engagement", id=engagement_id)
            if found != expected_revision:
                raise ConflictError(engagement_id, expected_revision, found)
            with self._session_backup():
                path.unlink()
                fsync_dir(self.engagements_dir)
            if change is not None:
                self.changelog.append(change)

    def import_document(self, document: InterchangeDocument | ImportBatch, *, replace: bool = False) -> ImportResult:
        """All or nothing: every engagement is already validated; existing ids need `replace`.

        An ImportBatch (interchange.load_batch) is written one engagement at a time from its
        compressed copies, so an import never holds the whole database as objects."""
        from .interchange import ImportBatch  # the models load for imports only

        if isinstance(document, ImportBatch):
            records = list(document.records())
        else:
            for n, engagement in enumerate(document.engagements):
                problem = unstorable(engagement.model_dump(mode="json"), "import", ("engagements", n))
                if problem is not None:
                    raise problem
            records = [(e.id, e.revision, e.person.name, lambda e=e: e.model_dump(mode="json")) for e in document.engagements]
        with self._writing():
            existing = {p.stem for p in self._files()}
            clashes = [engagement_id for engagement_id, _, _, _ in records if engagement_id in existing]
            if clashes and not replace:
                raise StoreError("store.import_clash", ids=", ".join(clashes), count=len(clashes))

            def writes() -> Iterator[tuple[Path, bytes]]:
                for engagement_id, revision, _, data in records:
                    # A new id keeps its revision (an export imported elsewhere round-trips
                    # exactly); a replaced one moves past the current revision so stale editors
                    # conflict.
                    revision = max(revision, 1)
                    if engagement_id in existing:
                        revision = max(revision, (self._current_revision(engagement_id) or 0) + 1)
                    yield self._path_for(engagement_id), dumps(tables_of({**data(), "revision": revision}))

            with self._session_backup():
                self._apply(writes())
            self.changelog.append(*(
                Change(at=self.clock().astimezone(), who=current_user(), engagement=engagement_id, subject=name,
                       action="import", key="changelog.imported" if engagement_id not in existing else "changelog.import_replaced",
                       params={"name": name})
                for engagement_id, _, name, _ in records
            ))
            added = [engagement_id for engagement_id, _, _, _ in records if engagement_id not in existing]
            return ImportResult(added=added, replaced=clashes)

    def export_document(self, exported_at: str | None = None) -> InterchangeDocument:
        from .models import InterchangeDocument

        return InterchangeDocument(
            exported_at=exported_at or self.clock().isoformat(timespec="seconds"),
            engagements=self.engagements(),
        )

    # ----- the redo journal for multi-file changes -------------------------------------------
    def _apply(self, writes: dict[Path, bytes | None] | Iterable[tuple[Path, bytes | None]]) -> None:
        """Stage every new file, commit by writing the plan, then move files into place.

        `writes` may be a generator: each file is staged as it is made, never all at once."""
        journal = self.journal_dir
        if journal.exists():
            self._recover_journal()
        make_dir(journal)
        fsync_dir(self.root)
        plan, written = [], []
        for n, (target, content) in enumerate(writes.items() if isinstance(writes, dict) else writes):
            staged = None
            if content is not None:
                staged = f"{n}.json"
                write_staged(journal / staged, content)  # durable all at once below
                written.append(journal / staged)
            plan.append({"target": Path(target).relative_to(self.root).as_posix(), "staged": staged})
        sync_staged(written, journal)  # every staged file on disk before the commit point
        atomic_write_bytes(journal / "commit.json", dumps(plan))  # the commit point
        self._recover_journal()

    def _read_plan(self, commit: Path) -> list[tuple[Path, str | None]]:
        try:
            plan = decode_json(self._read_bytes(commit), commit)
        except UnreadableFile as exc:
            raise self._corrupt(commit, exc.detail) from None
        steps = []
        root = self.root.resolve()
        for step in plan if isinstance(plan, list) else [None]:
            target = step.get("target") if isinstance(step, dict) else None
            staged = step.get("staged") if isinstance(step, dict) else None
            ok = isinstance(target, str) and (staged is None or (isinstance(staged, str) and re.fullmatch(r"\d+\.json", staged)))
            resolved = (self.root / target).resolve() if ok else None
            if not ok or resolved == root or root not in resolved.parents:
                raise self._corrupt(commit, "wrong shape")
            steps.append((self.root / target, staged))
        return steps

    def _recover_journal(self) -> None:
        journal = self.journal_dir
        commit = journal / "commit.json"
        if commit.exists():
            touched = set()
            for target, staged in self._read_plan(commit):
                make_dir(target.parent, exist_ok=True)
                if staged is None:
                    target.unlink(missing_ok=True)
                elif (journal / staged).exists():
                    os.replace(journal / staged, target)
                touched.add(target.parent)
            for folder in touched:
                fsync_dir(folder)
        # Without a commit file the change never happened: the staged files are dropped.
        shutil.rmtree(journal, ignore_errors=True)
        fsync_dir(self.root)

"""The database: a folder of small files, one per engagement, that cannot lose data — the API
the CLI and the screens use.

The parts, each in its own module: the folder's layout, lock, opening and migration and the one
way its files are written (dbfolder.py, journal.py for changes to several files); an
engagement's file format (codec.py); the backups (backups.py, a `Backups` the store holds).

One file per engagement keeps a saved edit O(that engagement), not O(whole database).  Each
engagement carries a revision; saving one that changed on disk since it was loaded is a
conflict, never a silent overwrite.
"""

from __future__ import annotations

import os

from dataclasses import dataclass
from functools import cached_property
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from . import codec, peoplefile
from .codec import RECORD_TABLES, engagement_to_tables, tables_of, unstorable
from .dbfolder import DB_FORMAT, LOCK_TIMEOUT, MANIFEST, DatabaseFolder, is_id
from .errors import ConflictError, EmployeeConflict, InvalidData, StoreError, format_path, from_validation_error
from .permissions import Repair

if TYPE_CHECKING:  # the models load with the first engagement read, not with the store; the
    # backups and the change log with the first write (a command that only reads needs neither)
    from .backups import BackupInfo, Backups
    from .changelog import Change, ChangeLog
    from .interchange import ImportBatch
    from .merge import Chooser
    from .models import Employee, Engagement, InterchangeDocument, PeopleRegistry
    from .people import MergeRecord, Proposal

__all__ = [
    "ConflictError", "DB_FORMAT", "EmployeeConflict", "ImportResult", "InvalidData", "LOCK_TIMEOUT", "MANIFEST",
    "RECORD_TABLES", "Store", "StoreError", "engagement_to_tables", "format_path", "from_validation_error",
    "tables_of", "unstorable",
]


@dataclass(frozen=True)
class ImportResult:
    added: list[str]
    replaced: list[str]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def file_stamp(path: Path) -> tuple[int, int] | None:
    """A file's (mtime in ns, size), the database's unit of "changed"; None when it does not exist."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_mtime_ns, st.st_size


class _LinkReceivers:
    """The store's part of a migration (DatabaseFolder.MigrationHook): from before schema 4,
    every receiver becomes an employee record of its own (people.py: look-alikes are proposed
    to the user as one person, never merged here), written with the engagements."""

    def __init__(self, folder: DatabaseFolder) -> None:
        self.folder = folder
        self.registry = peoplefile.read(folder)
        self.employees = self.registry.by_id()

    def engagement(self, engagement: Engagement) -> Engagement:
        from .people import link

        linked, _ = link(engagement, self.employees)
        return linked

    def writes(self) -> dict[Path, bytes | None]:
        return {peoplefile.people_path(self.folder): peoplefile.encode(self.registry.model_copy(
            update={"employees": list(self.employees.values()), "revision": self.registry.revision + 1}))}


class Store:
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
        self.folder = DatabaseFolder(Path(root), team=team, read_only=read_only, lock_timeout=lock_timeout)
        self.clock = clock
        self._backups_kept = backups_kept

    @cached_property
    def backups(self) -> Backups:
        """The database's backups (backups.py), made when first asked for: by a write, a backup
        command or the TUI's session, never by a command that only reads."""
        from .backups import Backups

        # The backups name themselves by the store's clock as it is then (tests set it later).
        return Backups(self.folder, kept=self._backups_kept, clock=lambda: self.clock())

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

    def _prepare(self, *, tolerate_damaged_manifest: bool = False) -> None:
        def keep(document: dict[str, Any], version: int) -> None:
            self.backups.write_document(document, reason="pre-migration")

        self.folder.prepare(keep_before_migration=keep, tolerate_damaged_manifest=tolerate_damaged_manifest,
                            migration_hook=lambda version: _LinkReceivers(self.folder))

    # The folder's facts, as callers have always read them from the store.
    @property
    def root(self) -> Path:
        return self.folder.root

    @property
    def team(self) -> bool:
        """Shared with the folder's group (permissions.py)."""
        return self.folder.team

    @property
    def read_only(self) -> bool:
        """Every write refused (the reviewers' browser view)."""
        return self.folder.read_only

    @property
    def repaired(self) -> Repair:
        """What opening changed in the folder's modes, for a notice."""
        return self.folder.repaired

    @property
    def engagements_dir(self) -> Path:
        return self.folder.engagements_dir

    @property
    def backups_dir(self) -> Path:
        return self.folder.backups_dir

    @property
    def journal_dir(self) -> Path:
        return self.folder.journal.folder

    @property
    def manifest_path(self) -> Path:
        return self.folder.manifest_path

    @property
    def people_path(self) -> Path:
        """The employee records (peoplefile.py), beside the engagements."""
        return peoplefile.people_path(self.folder)

    @property
    def changelog(self) -> ChangeLog:
        """Who changed what, when: appended under the lock with every change (changelog.py)."""
        return self.folder.changelog

    # ----- reading -------------------------------------------------------------------------
    def scan(self, ids: Iterable[str] | None = None, *, until: Callable[[str], bool] | None = None) -> Iterator[Engagement]:
        """The engagements on disk (or those of `ids`), one at a time, without keeping them;
        with `until`, ending before the first whose id it is true of (views/rowhelper.py: another
        process has that one and every later one).

        For work over the whole database that needs each engagement only briefly (the
        dashboard's rows): memory stays that of one engagement, not of a thousand.
        """
        self.folder.settle()
        wanted = None if ids is None else set(ids)
        for path in self.folder.files():
            if wanted is not None and path.stem not in wanted:
                continue
            if until is not None and until(path.stem):
                return
            try:
                raw = self.folder.read_bytes(path)
            except FileNotFoundError:
                continue  # deleted by another process since the listing
            yield self.folder.parse(path, raw)

    def engagements(self) -> list[Engagement]:
        """Every engagement on disk, all in memory at once (work over many that can go one at a
        time uses `scan`)."""
        self.folder.settle()
        out = []
        for path in self.folder.files():
            try:
                out.append(self.folder.load(path))
            except FileNotFoundError:
                continue  # deleted by another process since the listing
        return out

    def get(self, engagement_id: str) -> Engagement:
        path = self.folder.checked_path(engagement_id)
        self.folder.settle()
        try:
            return self.folder.load(path)
        except FileNotFoundError:
            raise StoreError("store.no_such_engagement", id=engagement_id) from None

    def _names(self) -> list[Any]:
        """Who each engagement file is about (id, person.name, person.name_kana), read without
        validating the rest.  A file that does not show a name is read whole, so its damage is
        reported as any read would."""
        from pydantic import ValidationError

        from .models import StoredNames

        self.folder.settle()
        out = []
        for path in self.folder.files():
            try:
                raw = self.folder.read_bytes(path)
            except FileNotFoundError:
                continue
            try:
                (named,) = StoredNames.model_validate_json(raw).engagement.values()
            except (ValidationError, ValueError, RecursionError):
                named = self.folder.parse(path, raw)
            if named.id == path.stem:
                out.append(named)
            else:
                self.folder.parse(path, raw)  # raises: the id does not match the name
        return out

    def fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        """Cheap summary of what is on disk, so a UI can notice another process's changes: each
        engagement file's (id, mtime_ns, size), in the order of DatabaseFolder.files.

        Read with os.scandir, not through files() and a Path each (8 ms instead of 23 ms of CPU
        at a thousand files: the attention view and the staff screen open with it)."""
        found = []
        try:
            with os.scandir(self.folder.engagements_dir) as entries:
                for entry in entries:
                    name = entry.name
                    if name.endswith(".json") and not name.startswith("."):
                        try:
                            st = entry.stat()
                        except FileNotFoundError:
                            continue
                        found.append((name, st.st_mtime_ns, st.st_size))
        except FileNotFoundError:
            return ()
        found.sort()  # by the file's name, as files() sorts
        return tuple((name[:-5], mtime, size) for name, mtime, size in found)

    def stamp(self, engagement_id: str) -> tuple[int, int] | None:
        """One engagement's entry of the fingerprint (None: no such file)."""
        return file_stamp(self.folder.checked_path(engagement_id))

    def find(self, query: str) -> Engagement:
        """An engagement by id, a unique id prefix, or the person's name typed loosely (see lookup).

        An exact id reads that one file; anything else reads only who each file is about, then
        the one engagement found."""
        from .lookup import candidates

        shown = (query or "")[:64]
        if is_id(query) and self.folder.path_for(query).exists():
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
            return self.folder.load(self.folder.path_for(engagement_id)).revision
        except FileNotFoundError:
            return None

    def revision(self, engagement_id: str) -> int | None:
        """The stored revision (None: no such engagement), read without validating the rest:
        enough to tell whether anyone saved since a revision was seen (EditSession).  A file
        that does not show one is read whole, so its damage is reported."""
        from pydantic import ValidationError

        from .models import StoredRevision

        path = self.folder.checked_path(engagement_id)
        self.folder.settle()
        try:
            raw = self.folder.read_bytes(path)
        except FileNotFoundError:
            return None
        try:
            (meta,) = StoredRevision.model_validate_json(raw).meta.values()
            return meta.revision
        except (ValidationError, ValueError, RecursionError):
            return self.folder.parse(path, raw).revision

    def _storable(self, engagement: Engagement, prefix: Iterable[Any] = ()) -> tuple[Engagement, bytes]:
        """Revalidate (lists may have been mutated in place), refuse what JSON cannot hold, and
        give the file's bytes (encoded from the same dump the check read)."""
        from pydantic import ValidationError

        from .models import Engagement

        try:
            checked = Engagement.model_validate(engagement.model_dump())
        except ValidationError as exc:
            raise from_validation_error(exc, engagement.id, prefix) from None
        data = checked.model_dump(mode="json")
        try:
            return checked, codec.encode_data(data)  # refuses NaN and infinity (atomic.dumps)
        except ValueError:
            problem = unstorable(data, engagement.id, prefix)  # which field: the walk, only now
            if problem is not None:
                raise problem from None
            raise

    def save(self, engagement: Engagement, *, change: Change | None = None) -> Engagement:
        """Write one engagement; its `revision` must be the one on disk (0 for a new one).
        `change` is appended to the change log under the same lock."""
        expected = engagement.revision
        saved, raw = self._storable(engagement.model_copy(update={"revision": expected + 1}))
        path = self.folder.checked_path(saved.id)
        with self.folder.writing():
            found = self._current_revision(saved.id)
            if (found is None and expected != 0) or (found is not None and found != expected):
                raise ConflictError(saved.id, expected, found if found is not None else 0)
            with self.backups.session():
                self.folder.write({path: raw})
            if change is not None:
                self.changelog.append(change)
            return saved

    def delete(self, engagement_id: str, expected_revision: int, *, change: Change | None = None) -> None:
        path = self.folder.checked_path(engagement_id)
        with self.folder.writing():
            found = self._current_revision(engagement_id)
            if found is None:
                raise StoreError("store.no_such_engagement", id=engagement_id)
            if found != expected_revision:
                raise ConflictError(engagement_id, expected_revision, found)
            with self.backups.session():
                self.folder.write({path: None})
            if change is not None:
                self.changelog.append(change)

    # ----- the employee records (people.py, peoplefile.py) -------------------------------------
    def _read_people(self, path: Path | None = None) -> PeopleRegistry:
        return peoplefile.read(self.folder, path)

    def people(self, only: Iterable[str] | None = None) -> PeopleRegistry:
        """The employee records (empty in a database that has none yet); `only`: just the
        records with these ids (peoplefile.read), e.g. those an export's engagements name."""
        self.folder.settle()
        return peoplefile.read(self.folder, only=only)

    def link_receivers(self, ids: Iterable[str] | None = None) -> int:
        """An employee record for every receiver that has none yet (one added in an engagement
        since the staff screen last looked), written with the engagements that gain the
        reference, all at once.  An edit never does this itself: undoing it would leave records
        behind.  Never matches a receiver to an existing person by name (that is a proposal).
        `ids`: the engagements a caller already found such receivers in (only those are read
        again); None: every engagement.  Returns how many records were made."""
        from .people import link

        if ids is not None:
            ids = list(ids)
        if self.read_only or not any(s.employee_id is None for e in self.scan(ids) for s in e.staff):
            return 0
        with self.folder.writing():
            registry = self._read_people()
            employees = registry.by_id()
            made: list[Employee] = []

            def edit(engagement: Engagement) -> Engagement | None:
                if all(s.employee_id for s in engagement.staff):
                    return None
                linked, new = link(engagement, employees)
                made.extend(new)
                return linked

            # The registry is written after the engagements are visited (made fills as they are).
            paths = None if ids is None else [self.folder.path_for(i) for i in ids]
            self._people_change(registry, edit, lambda before, after: None, [], registry_of=lambda: registry.model_copy(
                update={"employees": list(employees.values())}), paths=paths)
            return len(made)

    def _people_change(self, registry: PeopleRegistry, edit: Callable[[Engagement], Engagement | None],
                       changes: Callable[[Engagement, Engagement], Change | None], extra: list[Change],
                       registry_of: Callable[[], PeopleRegistry] | None = None,
                       paths: list[Path] | None = None) -> PeopleRegistry:
        """Under the lock: write the registry and every engagement `edit` changes (None: not
        touched), all or nothing (DatabaseFolder.write), with a change log line for each.
        `registry_of`: the registry to write is only known once every engagement was visited.
        `paths`: the engagement files to visit (None: all of them)."""
        writes: dict[Path, bytes | None] = {}
        logged = list(extra)
        for path in self.folder.files() if paths is None else [p for p in paths if p.exists()]:
            engagement = self.folder.load(path)
            edited = edit(engagement)
            if edited is None or edited == engagement:
                continue
            edited = edited.model_copy(update={"revision": engagement.revision + 1})
            writes[path] = codec.encode(edited)
            line = changes(engagement, edited)
            if line is not None:
                logged.append(line)
        registry = registry_of() if registry_of is not None else registry
        saved = registry.model_copy(update={"revision": registry.revision + 1})
        writes[self.people_path] = peoplefile.encode(saved)
        with self.backups.session():
            self.folder.write(writes)
        self.changelog.append(*logged)
        return saved

    def _people_line(self, action: str, key: str, engagement: str, subject: str, params: dict[str, Any],
                     before: Any = None, after: Any = None) -> Change:
        from . import changelog

        found, more = changelog.summary(before, after) if before is not None and after is not None else ([], 0)
        return changelog.Change(at=self.clock().astimezone(), who=changelog.current_user(), action=action, engagement=engagement,
                      subject=subject, key=key, params=params, changes=found, more=more)

    def save_employee(self, employee: Employee, *, base: Employee, choose: Chooser | None = None,
                      action: str = "edit") -> Employee:
        """Write one employee record edited from `base` (what the user saw), and bring every
        engagement that refers to them up to it.  A colleague's change since `base` is merged
        field by field; a field both changed differently is an EmployeeConflict for the user.
        `action`: how the change log names it ("undo", "redo" when a session moves in its history)."""
        from .merge import merge
        from .models import Employee as EmployeeModel
        from .people import apply_employee

        with self.folder.writing():
            registry = self._read_people()
            current = registry.by_id().get(employee.id)
            if current is None:
                raise StoreError("store.no_such_employee", id=employee.id)
            wanted = employee
            if current != base:
                merged, conflicts = merge(base.model_dump(mode="json"), employee.model_dump(mode="json"),
                                          current.model_dump(mode="json"), choose)
                if conflicts:
                    raise EmployeeConflict(current, conflicts)
                wanted = EmployeeModel.model_validate(merged)
            if wanted == current:
                return current
            employees = [wanted if e.id == wanted.id else e for e in registry.employees]
            head = self._people_line(action, "changelog.people_edited", "", wanted.name, {"name": wanted.name},
                                     current.model_dump(), wanted.model_dump())
            self._people_change(
                registry.model_copy(update={"employees": employees}),
                lambda e: apply_employee(e, wanted) if any(s.employee_id == wanted.id for s in e.staff) else None,
                lambda before, after: self._people_line(action, "changelog.people_edited_in", after.id, after.person.name,
                                                        {"name": wanted.name}, before.model_dump(), after.model_dump()),
                [head],
            )
            return wanted

    def merge_proposal(self, proposal: Proposal) -> Employee:
        """The user confirmed: the proposal's employees are one person (the first kept)."""
        return self.merge(proposal).keep

    def merge(self, proposal: Proposal, action: str = "edit") -> MergeRecord:
        """merge_proposal, saying what it did (for `unmerge`); `action`: "redo" when it is done again."""
        from .people import MergeRecord, merged_registry, proposals, repoint

        with self.folder.writing():
            registry = self._read_people()
            if proposal.key not in {p.key for p in proposals(registry)}:
                raise StoreError("store.proposal_gone")
            updated, keep = merged_registry(registry, proposal)
            others = set(proposal.employee_ids[1:])
            repointed: list[tuple[str, str, str]] = []

            def edit(engagement: Engagement) -> Engagement | None:
                if not any(s.employee_id in others for s in engagement.staff):
                    return None
                repointed.extend((engagement.id, s.id, s.employee_id) for s in engagement.staff if s.employee_id in others)
                return repoint(engagement, keep, others)

            params = {"name": keep.name, "count": len(proposal.employee_ids)}
            head = self._people_line(action, "changelog.people_merged", "", keep.name, params)
            self._people_change(
                updated, edit,
                lambda before, after: self._people_line(action, "changelog.people_merged_in", after.id, after.person.name,
                                                        {"name": keep.name}, before.model_dump(), after.model_dump()),
                [head],
            )
            by_id = registry.by_id()
            return MergeRecord(
                proposal, keep, tuple(by_id[i] for i in proposal.employee_ids[1:]),
                tuple(tuple(ids) for ids in registry.distinct if set(ids) & others), tuple(repointed),
                tuple(e.id for e in registry.employees),
            )

    def unmerge(self, record: MergeRecord) -> list[str]:
        """Undo a merge: the merged records back, each receiver repointed to its own record again,
        as one change logged as undone.  Refused (StoreError) when the records changed since.
        Returns the engagements written."""
        from .people import unmerged_registry, unpointed

        with self.folder.writing():
            registry = unmerged_registry(self._read_people(), record)
            if registry is None:
                raise StoreError("store.merge_changed", name=record.keep.name)
            params = {"name": record.keep.name, "count": len(record.proposal.employee_ids)}
            head = self._people_line("undo", "changelog.people_merged", "", record.keep.name, params)
            written: list[str] = []

            def edit(engagement: Engagement) -> Engagement | None:
                restored = unpointed(engagement, record)
                if restored is not None:
                    written.append(engagement.id)
                return restored

            self._people_change(
                registry, edit,
                lambda before, after: self._people_line("undo", "changelog.people_merged_in", after.id, after.person.name,
                                                        {"name": record.keep.name}, before.model_dump(), after.model_dump()),
                [head], paths=[self.folder.path_for(i) for i in record.engagement_ids],
            )
            return written

    def reject_proposal(self, proposal: Proposal) -> None:
        """The user said no: the proposal's employees are different people, and are not proposed again."""
        from .people import proposals, rejected_registry

        with self.folder.writing():
            registry = self._read_people()
            if proposal.key not in {p.key for p in proposals(registry)}:
                raise StoreError("store.proposal_gone")
            head = self._people_line("edit", "changelog.people_rejected", "", proposal.name,
                                     {"name": proposal.name, "count": len(proposal.employee_ids)})
            self._people_change(rejected_registry(registry, proposal), lambda e: None, lambda b, a: None, [head])

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
        with self.folder.writing():
            existing = {p.stem for p in self.folder.files()}
            clashes = [engagement_id for engagement_id, _, _, _ in records if engagement_id in existing]
            if clashes and not replace:
                raise StoreError("store.import_clash", ids=", ".join(clashes), count=len(clashes))

            # Employee records: the document's own replace ours by id; a receiver with none gets
            # a new one (never matched to someone by name: that is a proposal, people.py).
            from .people import distinct_among, link_data

            registry = peoplefile.read(self.folder)
            employees = registry.by_id()
            employees.update({p.id: p for p in document.people})

            def writes() -> Iterator[tuple[Path, bytes]]:
                for engagement_id, revision, _, data in records:
                    # A new id keeps its revision (an export imported elsewhere round-trips
                    # exactly); a replaced one moves past the current revision so stale editors
                    # conflict.
                    revision = max(revision, 1)
                    if engagement_id in existing:
                        revision = max(revision, (self._current_revision(engagement_id) or 0) + 1)
                    content = link_data({**data(), "revision": revision}, employees)
                    yield self.folder.path_for(engagement_id), codec.encode_data(content)
                # The proposals the user rejected, ours and the document's: they stay answered.
                distinct = distinct_among([*registry.distinct, *document.distinct_people], employees)
                yield self.people_path, peoplefile.encode(registry.model_copy(
                    update={"employees": list(employees.values()), "distinct": distinct, "revision": registry.revision + 1}))

            with self.backups.session():
                self.folder.write(writes())
            from .changelog import Change, current_user

            self.changelog.append(*(
                Change(at=self.clock().astimezone(), who=current_user(), engagement=engagement_id, subject=name,
                       action="import", key="changelog.imported" if engagement_id not in existing else "changelog.import_replaced",
                       params={"name": name})
                for engagement_id, _, name, _ in records
            ))
            added = [engagement_id for engagement_id, _, _, _ in records if engagement_id not in existing]
            return ImportResult(added=added, replaced=clashes)

    # ----- backups (backups.py) --------------------------------------------------------------
    def backup_now(self, reason: str = "manual") -> Path:
        """An interchange backup of the whole database, now."""
        return self.backups.backup_now(reason)

    def list_backups(self) -> list[BackupInfo]:
        """Newest first."""
        return self.backups.newest_first()

    def read_backup(self, path: Path) -> InterchangeDocument:
        """A backup's engagements, validated (a backup file or a snapshot folder)."""
        return self.backups.read(path)

    def restore_backup(self, name: str) -> Path | None:
        """Replace the database with a backup, keeping the current state aside (Backups.restore)."""
        return self.backups.restore(name)

    def prepare_backup(self) -> bool:
        """Make the session's snapshot ahead of its first change (Backups.prepare)."""
        return self.backups.prepare()

    def end_session(self) -> None:
        """The TUI is closing (Backups.end_session)."""
        self.backups.end_session()

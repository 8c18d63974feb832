"""The edit session: every change the UI makes goes through here, so it can be undone.

    session = EditSession(store)
    session.apply(eid, lambda e: edits.step_stage(e, item_id, None, +1, today), "edit.stage_up",
                  item=title)
    session.undo(); session.redo(); session.history()

Each step is saved revision-checked (store.save / store.delete).  An edit starts from what the
user saw (`base`, else the session's copy from the last `load`/`engagements`); when someone
saved since, it is merged three ways with theirs (xtalent.merge) and only a field both changed
differently stops it (EditConflict: the UI asks whose value wins).  An undo or a redo made over
someone else's later change raises ConflictError instead of overwriting it.

Thread-safe: the UI runs these calls in worker threads.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Iterable

from .errors import EmployeeConflict, from_validation_error
from .i18n import t
from . import changelog
from .merge import Chooser, FieldConflict, Side, changed_paths, choice, merge
from .store import ConflictError, Store, StoreError

if TYPE_CHECKING:  # the models load with the first edit, not with the first screen
    from .models import Employee, Engagement, ReceivingStaff
    from .people import MergeRecord, Proposal

HISTORY_LIMIT = 100


def _known(fingerprint: Iterable[tuple[str, int, int]]) -> dict[str, tuple[int, int]]:
    return {engagement_id: (mtime, size) for engagement_id, mtime, size in fingerprint}

if TYPE_CHECKING:
    from typing import TypeAlias

    Change: TypeAlias = "Callable[[Engagement], Engagement] | Engagement"


class EditConflict(ConflictError):
    """A colleague saved the same engagement since the user saw it, and changed what the user
    changed differently (or deleted it).  Nothing was saved.  `conflicts` name the fields; the
    UI shows both values and calls the session again with the user's `choose`."""

    def __init__(
        self,
        engagement_id: str,
        conflicts: list[FieldConflict],
        seen: Engagement,
        mine: Engagement | None,
        latest: Engagement | None,
        key: str,
        params: dict[str, Any],
    ) -> None:
        found = latest.revision if latest is not None else 0
        super().__init__(engagement_id, seen.revision, found)
        self.key = "edit.conflict" if latest is not None else "edit.conflict_deleted"
        self.params = {"name": seen.person.name, "count": len(conflicts)}
        self.conflicts = conflicts
        self.seen, self.mine, self.latest = seen, mine, latest
        self.description_key, self.description_params = key, params


class UndoConflict(ConflictError):
    """Undo/redo found the engagement changed by someone else; the step was dropped."""

    def __init__(self, engagement_id: str, expected: int, found: int, action: str) -> None:
        super().__init__(engagement_id, expected, found)
        self.key = "edit.undo_conflict" if action == "undo" else "edit.redo_conflict"


@dataclass(frozen=True)
class Step:
    """One change of one engagement: its state before and after (None: did not exist)."""

    engagement_id: str
    before: Engagement | None
    after: Engagement | None
    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PeopleStep:
    """A merge of look-alike employees into one person (the staff screen's m): the employee
    records and every engagement naming them, undone and redone by the store as one change."""

    record: MergeRecord
    key: str = "changelog.people_merged"
    engagement_id: str = ""  # no one engagement's: the history names the person

    @property
    def params(self) -> dict[str, Any]:
        return {"name": self.record.keep.name, "count": len(self.record.proposal.employee_ids)}


@dataclass(frozen=True)
class PersonStep:
    """An employee record edited (from a receiver in an engagement's form): the record and every
    engagement naming them, undone and redone by the store (Store.save_employee)."""

    before: Employee
    after: Employee
    key: str = "changelog.people_edited"
    engagement_id: str = ""

    @property
    def params(self) -> dict[str, Any]:
        return {"name": self.after.name}


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    engagement_id: str
    subject: str  # the person's name, to say whose engagement changed
    key: str
    params: dict[str, Any]
    action: str = "do"  # "do", "undo" or "redo"

    def description(self, lang: str | None = None) -> str:
        text = t(self.key, lang, **self.params)
        if self.action == "do":
            return text
        return t(f"edit.{self.action}_prefix", lang, what=text)


def _subject(step: Step | PeopleStep | PersonStep) -> str:
    if isinstance(step, PeopleStep):
        return step.record.keep.name
    if isinstance(step, PersonStep):
        return step.after.name
    state = step.after or step.before
    return state.person.name if state is not None else step.engagement_id


class EditSession:
    def __init__(self, store: Store, clock: Callable[[], datetime] = datetime.now, who: str | None = None) -> None:
        self.store = store
        self.clock = clock
        self.who = who or changelog.current_user()  # named in the change log
        self._lock = threading.RLock()
        self._copies: dict[str, Engagement] = {}
        self._undo: list[Step | PeopleStep | PersonStep] = []
        self._redo: list[Step | PeopleStep | PersonStep] = []
        self._history: list[HistoryEntry] = []
        # The files as this session last knew them, to tell another process's changes from ours:
        # taken from the first screen's load (note_loaded), not by statting every file here.
        self._known: dict[str, tuple[int, int]] | None = None
        self._written: set[str] = set()  # engagements saved or deleted since take_written()

    # ----- what the UI shows: loading keeps the in-memory copy edits start from ---------------
    def engagements(self) -> list[Engagement]:
        with self._lock:
            found = self.store.engagements()
            self._copies = {e.id: e for e in found}
            return found

    def load(self, engagement_id: str) -> Engagement:
        with self._lock:
            engagement = self.store.get(engagement_id)
            self._copies[engagement_id] = engagement
            return engagement

    def current(self, engagement_id: str) -> Engagement:
        with self._lock:
            copy = self._copies.get(engagement_id)
            return copy if copy is not None else self.load(engagement_id)

    def forget(self) -> None:
        """Drop the in-memory copies (after a conflict or another process's change)."""
        with self._lock:
            self._copies.clear()

    def note_loaded(self, fingerprint: Iterable[tuple[str, int, int]]) -> None:
        """The files as a screen has just read them (Store.fingerprint): unless the session
        already knows them, what later changes elsewhere are measured against."""
        with self._lock:
            if self._known is None:
                self._known = _known(fingerprint)

    def changed_elsewhere(self) -> bool:
        """True once when the files changed other than through this session (then forgets)."""
        with self._lock:
            now = _known(self.store.fingerprint())
            if self._known is None:  # nothing read or written yet: nothing to be out of date
                self._known = now
                return False
            if now == self._known:
                return False
            self._known = now
            self._copies.clear()
            return True

    def take_written(self) -> set[str]:
        """The engagements this session saved or deleted since the last call: what the screens
        must show again after an edit (and nothing else)."""
        with self._lock:
            written, self._written = self._written, set()
            return written

    def saved_copy(self, engagement_id: str) -> Engagement | None:
        """The engagement as this session last loaded or saved it (None: not held, or deleted)."""
        with self._lock:
            return self._copies.get(engagement_id)

    def wrote(self, engagement_ids: Iterable[str]) -> None:
        """Engagements written by this user outside an edit step (an employee record brought
        into each engagement that names them: Store.save_employee): not a change elsewhere."""
        with self._lock:
            for engagement_id in engagement_ids:
                self._copies.pop(engagement_id, None)
                self._wrote(engagement_id)

    def _wrote(self, engagement_id: str) -> None:
        """Our own write is not a change elsewhere: only its file is statted again, so a saved
        edit stays O(that engagement) and a change another process made meanwhile still shows."""
        self._written.add(engagement_id)
        if self._known is None:
            self._known = _known(self.store.fingerprint())
            return
        stamp = self.store.stamp(engagement_id)
        if stamp is None:
            self._known.pop(engagement_id, None)
        else:
            self._known[engagement_id] = stamp

    # ----- edits ---------------------------------------------------------------------------
    def apply(
        self,
        engagement_id: str | None,
        change: Change,
        description_key: str,
        *,
        base: Engagement | None = None,
        choose: Chooser | None = None,
        **params: Any,
    ) -> Engagement:
        """Apply a pure change (or a whole edited engagement), validate, save, record.

        `base` is the engagement as the user saw it (a form's copy as it opened, the screen's
        copy for a key): the change is made to it, then merged with whatever a colleague saved
        since (xtalent.merge).  Fields both changed differently raise EditConflict unless
        `choose(path)` says whose value wins.  Without `base`, the session's copy is the base.
        """
        from pydantic import ValidationError

        from .models import Engagement

        with self._lock:
            if engagement_id is None:
                if not isinstance(change, Engagement):
                    raise TypeError("a new engagement must be given as an Engagement")
                return self._record_new(change, description_key, params)
            seen = base if base is not None else self.current(engagement_id)
            try:
                changed = change if isinstance(change, Engagement) else change(seen)
                data = changed.model_dump()
                data["revision"] = seen.revision
                mine = Engagement.model_validate(data)
            except ValidationError as exc:
                raise from_validation_error(exc, seen.person.name) from None
            if mine.id != engagement_id:
                raise ValueError("an edit cannot change an engagement's id")
            seen_data, mine_data = seen.model_dump(exclude={"revision"}), mine.model_dump(exclude={"revision"})
            if mine_data == seen_data:
                return seen  # nothing changed: nothing to save or undo
            for attempt in range(3):
                before, candidate = self._merged(seen, mine, choose, description_key, params)
                # Unmerged (the common case), the log's summary reuses the dumps made above.
                known = (seen_data, mine_data) if candidate is mine else None
                try:
                    saved = self._save(candidate, self.change_entry(before, candidate, description_key, params, "edit",
                                                                    known))
                    break
                except ConflictError:
                    if attempt == 2:  # someone saves as fast as we merge: let the user retry
                        raise
            self._push(Step(engagement_id, before, saved, description_key, params))
            return saved

    def _merged(
        self, seen: Engagement, mine: Engagement, choose: Chooser | None, key: str, params: dict[str, Any]
    ) -> tuple[Engagement, Engagement]:
        """(what is stored now, what to save over it): `mine` itself when nobody saved since
        `seen`, else the three-way merge of seen → mine onto the stored copy."""
        from pydantic import ValidationError

        from .models import Engagement

        # The stored copy is read whole only when someone saved since `seen` (a merge); the
        # common case reads its revision alone.  The save itself re-checks it under the lock.
        found = self.store.revision(seen.id)
        if found is None:
            raise EditConflict(seen.id, [], seen, mine, None, key, params)  # deleted meanwhile
        if found == seen.revision:
            return seen, mine
        try:
            latest = self.store.get(seen.id)
        except StoreError as exc:
            if exc.key != "store.no_such_engagement":
                raise
            raise EditConflict(seen.id, [], seen, mine, None, key, params) from None  # deleted just now
        merged, conflicts = merge(seen.model_dump(exclude={"revision"}), mine.model_dump(exclude={"revision"}),
                                  latest.model_dump(exclude={"revision"}), choose)
        if conflicts:
            self._copies[seen.id] = latest
            raise EditConflict(seen.id, conflicts, seen, mine, latest, key, params)
        try:
            candidate = Engagement.model_validate({**merged, "revision": latest.revision})
        except ValidationError as exc:
            raise from_validation_error(exc, mine.person.name) from None
        return latest, candidate

    def create(self, engagement: Engagement) -> Engagement:
        return self.apply(None, engagement, "edit.create", name=engagement.person.name)

    def delete_engagement(
        self, engagement_id: str, *, base: Engagement | None = None, confirmed_revision: int | None = None
    ) -> None:
        """Delete what the user saw.  If a colleague changed it since, EditConflict (listing what
        they changed) — unless the stored revision is `confirmed_revision`, the one the user was
        shown in that conflict and still chose to delete."""
        with self._lock:
            seen = base if base is not None else self.current(engagement_id)
            latest = self.store.get(engagement_id) if self.store.stamp(engagement_id) is not None else None
            if latest is None:
                self._copies.pop(engagement_id, None)
                return  # already gone: what the user asked for
            if latest.revision not in (seen.revision, confirmed_revision):
                paths = changed_paths(seen.model_dump(exclude={"revision"}), latest.model_dump(exclude={"revision"}))
                conflicts = [FieldConflict(p, None, None, None) for p in paths]
                raise EditConflict(engagement_id, conflicts, seen, None, latest, "edit.delete", {"name": seen.person.name})
            self._delete(latest, self.change_entry(latest, None, "edit.delete", {"name": latest.person.name}, "delete"))
            self._push(Step(engagement_id, latest, None, "edit.delete", {"name": latest.person.name}))

    def resolve(self, conflict: EditConflict, side: Side) -> Engagement | None:
        """Save again what `conflict` refused, with the user's answer: `side` wins for the fields
        they were shown.  A delete is done if "mine".  May raise a new EditConflict."""
        if conflict.mine is None:
            if side == "mine":
                self.delete_engagement(conflict.engagement_id, base=conflict.seen,
                                       confirmed_revision=conflict.latest.revision if conflict.latest else None)
            return None
        return self.apply(conflict.engagement_id, conflict.mine, conflict.description_key, base=conflict.seen,
                          choose=choice(conflict.conflicts, side), **conflict.description_params)

    def _record_new(self, engagement: Engagement, key: str, params: dict[str, Any]) -> Engagement:
        from pydantic import ValidationError

        from .models import Engagement

        try:
            candidate = Engagement.model_validate({**engagement.model_dump(), "revision": 0})
        except ValidationError as exc:
            raise from_validation_error(exc, engagement.person.name) from None
        saved = self._save(candidate, self.change_entry(None, candidate, key, params, "create"))
        self._push(Step(saved.id, None, saved, key, params))
        return saved

    # ----- undo / redo ---------------------------------------------------------------------
    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def save_receiver(self, engagement_id: str, seen: ReceivingStaff, new: ReceivingStaff, key: str, *,
                      base: Engagement, choose: Chooser | None = None, **params: Any) -> Engagement:
        """A receiver edited in an engagement's form.  The employee record is the person: their
        name, department, position and 異動予定 go to the record and every engagement naming
        them (one undoable step, logged); the rest (their role here) is this engagement's step."""
        from . import edits
        from .people import PERSONAL

        person = self._save_person(seen, new)
        if person and new.model_dump(exclude=set(PERSONAL)) == seen.model_dump(exclude=set(PERSONAL)):
            return self.current(engagement_id)  # only the person changed: their step is the one to undo
        return self.apply(engagement_id, lambda e: edits.upsert(e, "staff", new), key, base=base, choose=choose, **params)

    def _save_person(self, seen: ReceivingStaff, new: ReceivingStaff) -> bool:
        """The person's fields of an edited receiver saved to their employee record (merged with
        a colleague's change: Store.save_employee), as a step; whether anything was written."""
        from .people import person_edit

        if seen.employee_id is None:
            return False  # not a person yet: the staff screen makes the record
        with self._lock:
            current = self.store.people().by_id().get(seen.employee_id)
            edit = person_edit(seen, new, current) if current is not None else None
            if current is None or edit is None:
                return False
            base, wanted = edit
            ids = self._naming(current.id)
            saved = self.store.save_employee(wanted, base=base)
            self.wrote(ids)
            if saved == current:
                return False
            self._push(PersonStep(current, saved))
            return True

    def _naming(self, employee_id: str) -> list[str]:
        from .people import refers_to

        return [e.id for e in self.store.scan() if refers_to(e, [employee_id])]

    def merge_proposal(self, proposal: Proposal) -> Employee:
        """The user confirmed a merge proposal: one undoable step (Store.merge / Store.unmerge)."""
        with self._lock:
            record = self.store.merge(proposal)
            self.wrote(record.engagement_ids)
            self._push(PeopleStep(record))
            return record.keep

    def _move_people(self, step: PeopleStep | PersonStep, action: str) -> PeopleStep | PersonStep:
        """Undo or redo a merge or an employee record's edit; a refusal (the records changed
        since in a way that cannot be merged) drops the step."""
        try:
            if isinstance(step, PersonStep):
                wanted, base = (step.before, step.after) if action == "undo" else (step.after, step.before)
                ids = self._naming(step.after.id)
                saved = self.store.save_employee(wanted, base=base, action=action)
                self.wrote(ids)
                return PersonStep(saved, base) if action == "undo" else PersonStep(base, saved)
            if action == "undo":
                self.wrote(self.store.unmerge(step.record))
                return step
            record = self.store.merge(step.record.proposal, action="redo")
            self.wrote(record.engagement_ids)
            return PeopleStep(record)
        except (StoreError, EmployeeConflict):
            stack = self._undo if action == "undo" else self._redo
            if stack and stack[-1] is step:
                stack.pop()
            raise

    def undo(self) -> Engagement | None:
        """Undo the newest step; returns the engagement as restored (None if it is now gone)."""
        with self._lock:
            if not self._undo:
                return None
            step = self._undo[-1]
            if isinstance(step, (PeopleStep, PersonStep)):
                self._redo.append(self._move_people(step, "undo"))
                self._undo.pop()
                self._log(step, "undo")
                return None
            restored = self._move(step, step.after, step.before, "undo")
            self._undo.pop()
            self._relabel(step.engagement_id, step.before, restored)
            self._redo.append(Step(step.engagement_id, restored, step.after, step.key, step.params))
            self._log(step, "undo")
            return restored

    def redo(self) -> Engagement | None:
        with self._lock:
            if not self._redo:
                return None
            step = self._redo[-1]
            if isinstance(step, (PeopleStep, PersonStep)):
                self._undo.append(self._move_people(step, "redo"))
                self._redo.pop()
                self._log(step, "redo")
                return None
            redone = self._move(step, step.before, step.after, "redo")
            self._redo.pop()
            self._relabel(step.engagement_id, step.after, redone)
            self._undo.append(Step(step.engagement_id, step.before, redone, step.key, step.params))
            self._log(step, "redo")
            return redone

    def history(self) -> list[HistoryEntry]:
        """What changed, newest first."""
        with self._lock:
            return list(reversed(self._history))

    def undo_description(self) -> str | None:
        return t(self._undo[-1].key, None, **self._undo[-1].params) if self._undo else None

    def redo_description(self) -> str | None:
        return t(self._redo[-1].key, None, **self._redo[-1].params) if self._redo else None

    # ----- internals -----------------------------------------------------------------------
    def _move(self, step: Step, on_disk: Engagement | None, wanted: Engagement | None, action: str) -> Engagement | None:
        """Turn `on_disk` (what this session last saved) into `wanted`, revision-checked."""
        try:
            change = self.change_entry(on_disk, wanted, step.key, step.params, action)
            if wanted is None:
                assert on_disk is not None
                self._delete(on_disk, change)
                return None
            revision = on_disk.revision if on_disk is not None else 0
            return self._save(wanted.model_copy(update={"revision": revision}), change)
        except ConflictError as exc:
            # The step can never apply again: drop it so the next undo reaches older steps.
            stack = self._undo if action == "undo" else self._redo
            if stack and stack[-1] is step:
                stack.pop()
            self._copies.pop(step.engagement_id, None)
            expected = on_disk.revision if on_disk is not None else 0
            raise UndoConflict(step.engagement_id, expected, exc.params.get("found", 0), action) from None

    def _relabel(self, engagement_id: str, old: Engagement | None, new: Engagement | None) -> None:
        """A state re-written by undo/redo now has a new revision: older steps must expect it."""
        if old is None or new is None:
            return
        content = old.model_dump(exclude={"revision"})

        def fix(state: Engagement | None) -> Engagement | None:
            if state is not None and state.revision == old.revision and state.model_dump(exclude={"revision"}) == content:
                return new
            return state

        for stack in (self._undo, self._redo):
            stack[:] = [
                replace(s, before=fix(s.before), after=fix(s.after)) if isinstance(s, Step) and s.engagement_id == engagement_id else s
                for s in stack
            ]

    def change_entry(self, before: Engagement | None, after: Engagement | None, key: str, params: dict[str, Any],
                     action: str, dumped: tuple[dict[str, Any], dict[str, Any]] | None = None) -> changelog.Change:
        """The change log's entry for a step: who, when, what, and the fields it changed
        (`dumped`: the two states' model_dump() already made by the caller)."""
        state = after or before
        assert state is not None
        if dumped is None:
            dumped = (before.model_dump() if before else None, after.model_dump() if after else None)
        changes, more = changelog.summary(*dumped)
        return changelog.Change(at=self.clock().astimezone(), who=self.who, action=action, engagement=state.id,
                      subject=state.person.name, key=key, params=dict(params), changes=changes, more=more)

    def _save(self, engagement: Engagement, change: changelog.Change | None = None) -> Engagement:
        try:
            saved = self.store.save(engagement, change=change)
        except ConflictError:
            self._copies.pop(engagement.id, None)
            raise
        self._copies[saved.id] = saved
        self._wrote(saved.id)
        return saved

    def _delete(self, engagement: Engagement, change: changelog.Change | None = None) -> None:
        try:
            self.store.delete(engagement.id, engagement.revision, change=change)
        except ConflictError:
            self._copies.pop(engagement.id, None)
            raise
        self._copies.pop(engagement.id, None)
        self._wrote(engagement.id)

    def _push(self, step: Step | PeopleStep | PersonStep) -> None:
        self._undo.append(step)
        del self._undo[:-HISTORY_LIMIT]
        self._redo.clear()
        self._log(step, "do")

    def _log(self, step: Step | PeopleStep | PersonStep, action: str) -> None:
        entry = HistoryEntry(self.clock(), step.engagement_id, _subject(step), step.key, dict(step.params), action)
        self._history.append(entry)
        del self._history[:-HISTORY_LIMIT]

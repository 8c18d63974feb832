"""The redo journal: a change to several files of a database folder, all or nothing.

Every new file is staged in `journal/`, all of them synced to disk together once written (not
one atomic write each: an import of 1,000 engagements was 2,000 fsyncs), then the plan
(`journal/commit.json`) is written — the commit point — then the files are moved into place.  A crash before the commit point leaves
the old set (the staged files are dropped at the next recovery); a crash after it leaves a
plan that the next writer finishes before anything else.  Only the database folder's writer
(dbfolder.py), under the lock, applies or recovers a journal.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterable, Mapping

from .atomic import UnreadableFile, atomic_write_bytes, decode_json, dumps, fsync_dir, sync_staged, write_staged
from .permissions import make_dir

Writes = Mapping[Path, bytes | None] | Iterable[tuple[Path, bytes | None]]
"""Files to write (bytes) or remove (None)."""

_STAGED = re.compile(r"\d+\.json")


class Journal:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / "journal"

    @property
    def pending(self) -> bool:
        """A change was started here and not finished (or dropped) yet."""
        return self.folder.exists()

    def apply(self, writes: Writes) -> None:
        """Stage every new file, commit by writing the plan, then move files into place.

        `writes` may be a generator: each file is staged as it is made, never all at once."""
        if self.pending:
            self.recover()
        make_dir(self.folder)
        fsync_dir(self.root)
        plan, written = [], []
        for n, (target, content) in enumerate(writes.items() if isinstance(writes, Mapping) else writes):
            staged = None
            if content is not None:
                staged = f"{n}.json"
                write_staged(self.folder / staged, content)  # made durable all at once below
                written.append(self.folder / staged)
            plan.append({"target": Path(target).relative_to(self.root).as_posix(), "staged": staged})
        sync_staged(written, self.folder)  # every staged file on disk before the commit point
        atomic_write_bytes(self.folder / "commit.json", dumps(plan))  # the commit point
        self.recover()

    def read_plan(self, commit: Path) -> list[tuple[Path, str | None]]:
        """The committed plan: (target, staged file or None to remove); targets stay inside the
        folder.  UnreadableFile when it is not a plan this module wrote."""
        plan = decode_json(commit.read_bytes(), commit)
        steps = []
        root = self.root.resolve()
        for step in plan if isinstance(plan, list) else [None]:
            target = step.get("target") if isinstance(step, dict) else None
            staged = step.get("staged") if isinstance(step, dict) else None
            ok = isinstance(target, str) and (staged is None or (isinstance(staged, str) and _STAGED.fullmatch(staged)))
            resolved = (self.root / target).resolve() if ok and isinstance(target, str) else None
            if resolved is None or resolved == root or root not in resolved.parents:
                raise UnreadableFile(commit, "wrong shape")
            steps.append((self.root / str(target), staged))
        return steps

    def recover(self) -> None:
        """Finish a committed change; drop one that never reached its commit point."""
        commit = self.folder / "commit.json"
        if commit.exists():
            touched = set()
            for target, staged in self.read_plan(commit):
                make_dir(target.parent, exist_ok=True)
                if staged is None:
                    target.unlink(missing_ok=True)
                elif (self.folder / staged).exists():
                    os.replace(self.folder / staged, target)
                touched.add(target.parent)
            for folder in touched:
                fsync_dir(folder)
        # Without a commit file the change never happened: the staged files are dropped.
        import shutil  # by a multi-file write (or a crashed one found), never by a read

        shutil.rmtree(self.folder, ignore_errors=True)
        fsync_dir(self.root)

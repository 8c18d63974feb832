"""Concurrency: two processes editing one database lose no acknowledged edit.

Run as a script, this file is the worker the tests start:
    python tests/test_reliability_concurrency.py DB NAME MODE EDITS
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from test_store_support import engagement, open_store  # noqa: E402
from xtalent.models import LogEntry  # noqa: E402
from xtalent.store import ConflictError, Store  # noqa: E402

EDITS = int(os.environ.get("XTALENT_CONCURRENT_EDITS", "200"))


def worker(db: str, name: str, mode: str, edits: int) -> dict[str, int]:
    """Edit `edits` times; on a conflict, reload and retry the same edit, as the UI asks users to."""
    store = Store.open(Path(db), lock_timeout=60)
    target = f"en-{name}" if mode == "own" else "en-shared"
    saved = conflicts = 0
    for n in range(edits):
        while True:
            current = store.get(target)
            entry = LogEntry(id=f"lg-{name}-{n}", on=date(2026, 6, 1), topic=f"{name} の相談 {n}", minutes=n % 90)
            edited = current.model_copy(update={"log": [*current.log, entry], "notes": f"{name} {n}"})
            try:
                store.save(edited)
            except ConflictError:
                conflicts += 1
                continue
            saved += 1
            break
    return {"saved": saved, "conflicts": conflicts}


def run_pair(db: Path, mode: str, edits: int) -> list[dict[str, int]]:
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, str(db), name, mode, str(edits)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def _seed(db: Path, *ids: str) -> Store:
    store = open_store(db)
    for engagement_id in ids:
        store.save(engagement(engagement_id, log=[], items=[], targets=[]))
    return store


def test_two_processes_editing_different_records_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "db"
    _seed(db, "en-a", "en-b")
    results = run_pair(db, "own", EDITS)
    print(f"different records: {results}")
    store = open_store(db)
    for name, result in zip("ab", results):
        assert result["saved"] == EDITS
        saved = store.get(f"en-{name}")
        assert [e.id for e in saved.log] == [f"lg-{name}-{n}" for n in range(EDITS)]
        assert saved.revision == 1 + EDITS
        assert saved.notes == f"{name} {EDITS - 1}"


def test_two_processes_editing_the_same_record_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "db"
    _seed(db, "en-shared")
    results = run_pair(db, "shared", EDITS)
    conflicts = sum(r["conflicts"] for r in results)
    print(f"same record: {results}, conflicts {conflicts}")
    shared = open_store(db).get("en-shared")
    assert sum(r["saved"] for r in results) == 2 * EDITS
    # Every acknowledged edit is in the record, each exactly once and in each editor's order:
    # an edit that had gone stale was refused (ConflictError), retried on fresh data, never
    # written over the other's.
    ids = [e.id for e in shared.log]
    assert len(ids) == len(set(ids)) == 2 * EDITS
    for name in "ab":
        assert [i for i in ids if i.startswith(f"lg-{name}-")] == [f"lg-{name}-{n}" for n in range(EDITS)]
    assert shared.revision == 1 + 2 * EDITS  # one revision per acknowledged save, none skipped


# A conflict that is certain, not left to timing: B saves between A's load and A's save.
CONFLICT_CHILD = """
import sys
sys.path.insert(0, {tests!r})
from test_store_support import open_store
store = open_store({db!r})
mine = store.get("en-sato")
print("loaded", flush=True)
sys.stdin.readline()  # the other process saves now
try:
    store.save(mine.model_copy(update={{"notes": "古い版からの編集"}}))
    print("saved", flush=True)
except Exception as exc:
    print(type(exc).__name__, getattr(exc, "key", ""), flush=True)
"""


def test_a_stale_edit_from_another_process_is_a_conflict_not_an_overwrite(tmp_path: Path) -> None:
    db = tmp_path / "db"
    store = _seed(db, "en-sato")
    child = subprocess.Popen(
        [sys.executable, "-c", CONFLICT_CHILD.format(tests=str(HERE), db=str(db))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "loaded"
    store.save(store.get("en-sato").model_copy(update={"notes": "先に保存された編集"}))
    out, _ = child.communicate("go\n", timeout=60)
    assert out.strip() == "ConflictError store.conflict"
    assert open_store(db).get("en-sato").notes == "先に保存された編集"


CREATE_CHILD = """
import sys
sys.path.insert(0, {tests!r})
from test_store_support import open_store, engagement
sys.stdin.readline()  # all start together
store = open_store({db!r}, lock_timeout=60)
store.save(engagement("en-p{n}"))
print("ok", flush=True)
"""


def test_processes_creating_the_same_new_database_at_once_all_succeed(tmp_path: Path) -> None:
    db = tmp_path / "fresh" / "db"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CREATE_CHILD.format(tests=str(HERE), db=str(db), n=n)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    for child in children:
        child.stdin.write("go\n")
        child.stdin.flush()
    for child in children:
        out, err = child.communicate(timeout=120)
        assert out.strip() == "ok", err
    assert sorted(e.id for e in open_store(db).engagements()) == [f"en-p{n}" for n in range(4)]


if __name__ == "__main__":
    db_arg, name_arg, mode_arg, edits_arg = sys.argv[1:5]
    print(json.dumps(worker(db_arg, name_arg, mode_arg, int(edits_arg))))

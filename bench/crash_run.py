"""Crash run: SIGKILL a writing process at random moments; no acknowledged write may be lost.

    python bench/crash_run.py                # the full run: 200 kills
    python bench/crash_run.py --kills 500 --seed 7 --keep /tmp/crash-db

A child process opens the database and writes in a loop: single-engagement saves, multi-file
imports (through the journal), creates and deletes.  After each operation returns it
acknowledges it on a pipe, and only then.  The parent kills it at a random moment (sometimes
while it starts up or recovers, mostly while it writes), then checks a copy of the database
exactly as the kill left it: it opens, every engagement validates, and every acknowledged write
is there.  The next child then starts on the crashed original, so recovery from the crash is
exercised by the real code too.

Every write sets an engagement's notes to a counter that only grows, so "the acknowledged write
is there" means: the stored counter is at least the acknowledged one (a later, unacknowledged
write may have landed too), and an acknowledged delete is gone.

Prints kills, writes acknowledged, writes lost and how many kills interrupted a write in
progress; exits 1 if anything was lost or the database failed to open.  The test suite runs a
reduced count (tests/test_reliability_crash.py).
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xtalent.models import Engagement, InterchangeDocument  # noqa: E402
from xtalent.store import Store  # noqa: E402

MAX_ENGAGEMENTS = 8  # keeps files and backups small so kills land on writes, not on growth
COUNTER_SPAN = 1_000_000  # child k counts from (k + 1) * COUNTER_SPAN: counters only grow


def make_engagement(engagement_id: str, counter: int) -> Engagement:
    return Engagement.model_validate(
        {
            "id": engagement_id,
            "person": {"name": "試験 太郎", "email": "taro@example.jp"},
            "role": "advisor",
            "organisation": "みどり野市",
            "department": "デジタル推進課",
            "term_start": "2025-04-01",
            "term_end": "令和9年3月31日",
            "notes": f"w{counter}",
            "staff": [{"id": "st-1", "name": "田中 一郎", "department": "市民課"}],
            "log": [{"id": "lg-1", "on": "2025-05-01", "topic": "初回相談", "minutes": 30}],
        }
    )


def counter_of(engagement: Engagement) -> int:
    return int(engagement.notes.removeprefix("w"))


# ----- the child: write in a loop, acknowledge after each write returns ------------------------


def child(db: str, start: int, seed: int) -> None:
    rng = random.Random(seed)
    out = sys.stdout

    def ack(kind: str, engagement_id: str, counter: int) -> None:
        out.write(f"{kind} {engagement_id} {counter}\n")
        out.flush()

    store = Store.open(Path(db), lock_timeout=60)
    out.write("ready\n")
    out.flush()
    counter = start
    while True:
        counter += 1
        current = {e.id: e for e in store.engagements() if e.id.startswith("en-c")}
        op = rng.random()
        if op < 0.15 and len(current) < MAX_ENGAGEMENTS:
            new_id = f"en-c{counter}"
            store.save(make_engagement(new_id, counter))
            ack("save", new_id, counter)
        elif op < 0.30 and current:
            # A multi-file change: replace some engagements and add one, all or nothing.
            chosen = rng.sample(sorted(current), k=min(len(current), rng.randint(1, 3)))
            batch = [make_engagement(i, counter) for i in chosen]
            if len(current) < MAX_ENGAGEMENTS:
                batch.append(make_engagement(f"en-c{counter}", counter))
            store.import_document(InterchangeDocument(engagements=batch), replace=True)
            for item in batch:
                ack("save", item.id, counter)
        elif op < 0.40:
            doomed = f"en-d{counter}"
            saved = store.save(make_engagement(doomed, counter))
            ack("save", doomed, counter)
            store.delete(doomed, saved.revision)
            ack("delete", doomed, counter)
        elif op < 0.42:
            store.backup_now()
        elif current:
            target = current[rng.choice(sorted(current))]
            edited = target.model_copy(update={"notes": f"w{counter}", "days_per_month": rng.randint(1, 20)})
            store.save(edited)
            ack("save", target.id, counter)


# ----- the parent: kill, then check a copy of what the kill left -------------------------------


@dataclass
class Stats:
    kills: int = 0
    acknowledged: int = 0
    lost: int = 0
    interrupted: int = 0  # kills that left a temp file or a journal behind: a write in progress
    failures: list[str] = field(default_factory=list)


def _reader(stream, lines: list[str]) -> None:
    for line in stream:
        # A partial last line is a write whose acknowledgement the kill cut off: not acknowledged.
        if line.endswith("\n"):
            lines.append(line)


def _leftovers(db: Path) -> set[str]:
    """Traces of a write in progress: temp files and the journal's contents."""
    return {str(p.relative_to(db)) for p in db.rglob("*") if p.name.endswith(".tmp") or "journal" in p.parts}


def verify(db: Path, saved: dict[str, int], deleted: set[str]) -> list[str]:
    """Problems found in the database as the kill left it (checked on a copy).

    An `en-d` engagement is deleted right after it is saved, so its absence after an
    acknowledged save is that later (possibly unacknowledged) delete, not a loss.
    """
    problems = []
    with tempfile.TemporaryDirectory(prefix="xtalent-crash-check-") as scratch:
        copy = Path(scratch) / "db"
        shutil.copytree(db, copy)
        try:
            store = Store.open(copy, lock_timeout=60)
            on_disk = {e.id: e for e in store.engagements()}  # every file opens and validates
            if (copy / "journal").exists():
                problems.append("journal left after opening")
        except Exception as exc:  # any failure to open is exactly what this run looks for
            return [f"database does not open: {type(exc).__name__}: {exc}"]
        for engagement_id, counter in saved.items():
            if engagement_id in deleted:
                continue
            found = on_disk.get(engagement_id)
            if found is None and engagement_id.startswith("en-d"):
                continue
            if found is None:
                problems.append(f"lost: {engagement_id} (acknowledged w{counter}) is missing")
            elif counter_of(found) < counter:
                problems.append(f"lost: {engagement_id} holds {found.notes}, acknowledged w{counter}")
        for engagement_id in deleted:
            if engagement_id in on_disk:
                problems.append(f"lost: acknowledged delete of {engagement_id} undone")
    return problems


def run(kills: int, seed: int, workdir: Path, log=None) -> Stats:
    rng = random.Random(seed)
    db = Path(workdir) / "db"
    store = Store.open(db)
    for n in range(3):
        store.save(make_engagement(f"en-c{n}", n))
    saved: dict[str, int] = {f"en-c{n}": n for n in range(3)}
    deleted: set[str] = set()
    stats = Stats()
    seen: set[str] = set()
    for k in range(kills):
        start = (k + 1) * COUNTER_SPAN
        proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--child", str(db), str(start), str(rng.randrange(2**32))],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        before = _leftovers(db)
        lines: list[str] = []
        reader = threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True)
        reader.start()
        if rng.random() < 0.2:
            time.sleep(rng.uniform(0.0, 0.6))  # while starting, opening, recovering the last crash
        else:
            # Past "ready" to the first acknowledged write, so that every such kill lands on a
            # writer at work however slow the machine is; then a random moment of writing.
            while len(lines) < 2 and proc.poll() is None:
                time.sleep(0.002)
            time.sleep(rng.uniform(0.0, 0.3))  # while writing
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        reader.join()
        error = proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
        stats.kills += 1
        if proc.returncode != -signal.SIGKILL:
            stats.failures.append(f"kill {k}: child exited {proc.returncode} before the kill:\n{error}")
        for line in lines:
            parts = line.split()
            if len(parts) != 3:
                continue
            kind, engagement_id, counter = parts[0], parts[1], int(parts[2])
            stats.acknowledged += 1
            if kind == "save":
                saved[engagement_id] = max(saved.get(engagement_id, 0), counter)
            else:
                deleted.add(engagement_id)
        stats.interrupted += bool(_leftovers(db) - before)
        problems = verify(db, saved, deleted)
        # The check is cumulative, so a loss is reported after every later kill too: count it once.
        fresh = [p for p in problems if p not in seen]
        seen.update(problems)
        stats.lost += sum(1 for p in fresh if p.startswith("lost"))
        stats.failures += [f"kill {k}: {p}" for p in fresh]
        if log is not None and (k + 1) % 25 == 0:
            print(f"  {k + 1} kills, {stats.acknowledged} writes acknowledged, {stats.lost} lost", file=log, flush=True)
    return stats


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20260601)
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: a temporary folder)")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
        stats = run(args.kills, args.seed, Path(args.keep), log=sys.stderr)
    else:
        with tempfile.TemporaryDirectory(prefix="xtalent-crash-") as work:
            stats = run(args.kills, args.seed, Path(work), log=sys.stderr)
    elapsed = time.perf_counter() - started
    print(f"kills: {stats.kills}")
    print(f"writes acknowledged: {stats.acknowledged}")
    print(f"writes lost: {stats.lost}")
    print(f"kills that interrupted a write in progress: {stats.interrupted}")
    print(f"failures: {len(stats.failures)}")
    for failure in stats.failures[:20]:
        print("  " + failure)
    print(f"elapsed: {elapsed:.0f} s (seed {args.seed})")
    return 0 if not stats.failures and stats.lost == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())

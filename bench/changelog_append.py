"""What the change log adds to a saved edit: the same edit saved with and without its log
entry, interleaved, in one process on the real disk (medians of N).

    .venv/bin/python bench/changelog_append.py [--runs 41]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=41)
    args = parser.parse_args()
    from xtalent.editing import EditSession
    from xtalent.interchange import load_document
    from xtalent.paths import demo_file
    from xtalent.store import Store

    # On the disk the repository is on, not a tmpfs: an fsync must cost what it costs users.
    with tempfile.TemporaryDirectory(dir=ROOT, prefix=".bench-") as folder:
        store = Store.open(Path(folder) / "db")
        store.import_document(load_document(demo_file()))
        logged = EditSession(store)
        unlogged = EditSession(store)
        unlogged.change_entry = lambda *args, **kwargs: None  # type: ignore[method-assign]  # saves, logs nothing
        target = max(store.engagements(), key=lambda e: len(e.items) * 10 + len(e.log))
        with_log, without = [], []
        for n in range(args.runs):
            for session, timed in ((logged, with_log), (unlogged, without)):
                session.forget()
                note = f"{n}-{id(session)}"
                start = time.perf_counter()
                session.apply(target.id, lambda e: e.model_copy(update={"notes": note}), "edit.engagement_update", name="x")
                timed.append(time.perf_counter() - start)
        w, o = statistics.median(with_log), statistics.median(without)
        print(f"engagement {target.id}: {len(target.items)} items, {len(target.log)} log entries")
        print(f"a saved edit (session.apply) with its change-log entry: {w * 1000:.2f} ms; without: {o * 1000:.2f} ms; "
              f"the log adds {(w - o) * 1000:.2f} ms (target ≤ 5 ms), medians of {args.runs}")


if __name__ == "__main__":
    main()

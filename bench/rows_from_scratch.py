"""The dashboard's rows of every engagement computed from scratch, in-process, and the helper's start.

    python bench/rows_from_scratch.py rows DB [--out rows.json]   # build_rows of every file, then save
    python bench/rows_from_scratch.py helper DB [--files N]        # a helper process for N files

`rows` prints the CPU time (time.process_time) of computing every row with the collector frozen
as the launch leaves it, and of writing the row cache (on a copy of DB: the cache is replaced);
`--out` writes the rows as the cache holds them, to compare two versions' with `cmp`.  `helper`
starts views/rowhelper.py's process for the first N files (all by default) and prints when its
first and last rows arrived and the CPU it used.  For two versions, run each with PYTHONPATH set
to its tree, from /tmp (bench/cold_paint.py says why), alternating.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 23)


def rows(db: Path, out: Path | None) -> dict:
    import xtalent
    from xtalent.store import Store
    from xtalent.views import dashboard, rowcache

    with tempfile.TemporaryDirectory(prefix="xtalent-rows-") as tmp:
        copy = Path(tmp) / "db"
        shutil.copytree(db, copy)
        store = Store.open(copy)
        fingerprint = list(store.fingerprint())
        dashboard.build_rows(store.scan([fingerprint[0][0]]), TODAY, "ja")  # imports, validators built
        gc.freeze()
        c0 = time.process_time()
        computed = dashboard.build_rows(store.scan(), TODAY, "ja")
        c1 = time.process_time()
        rowcache.save(store.root, fingerprint, computed, TODAY, "ja")
        c2 = time.process_time()
    if out is not None:
        out.write_text(json.dumps([rowcache._row_to_json(r) for r in computed], ensure_ascii=False), encoding="utf-8")
    return {"xtalent": xtalent.__file__, "rows": len(computed), "rows_cpu_s": round(c1 - c0, 3), "save_cpu_s": round(c2 - c1, 3)}


def helper(db: Path, files: int | None) -> dict:
    from xtalent.views import rowhelper

    paths = sorted(Path(db, "engagements").glob("*.json"))[:files]
    t0 = time.perf_counter()
    running = rowhelper.Helper(paths, TODAY, "ja", None)
    first = None
    while running.reader.is_alive():
        if first is None and running.rows:
            first = time.perf_counter() - t0
        time.sleep(0.002)
    every = time.perf_counter() - t0
    running.stop()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"rows": len(running.rows), "first_row_s": None if first is None else round(first, 3),
            "every_row_s": round(every, 3), "helper_cpu_s": round(usage.ru_utime + usage.ru_stime, 3)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=("rows", "helper"))
    ap.add_argument("db", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--files", type=int)
    args = ap.parse_args()
    result = rows(args.db, args.out) if args.what == "rows" else helper(args.db, args.files)
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())

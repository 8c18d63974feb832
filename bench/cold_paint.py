"""The cold first paint (no row kept) of two or more versions, interleaved, against the floor app.

    python bench/cold_paint.py DB --runs 5 [--modes cold,warm,new-day] [TREE ...]

DB is a database folder (made by `xtalent import`; it is copied, never changed).  Each TREE is a
folder holding `xtalent` and `xtalent_screens` (a checkout with `screens/` linked under that
name), put first on PYTHONPATH; "." is the installed xtalent.  Each round launches every version
once on its own copy with the row cache deleted (bench/run.py's first-paint child: a fresh
interpreter, headless, until the frame holding every row), then the floor app (bench/run.py
CHILD_FLOOR) with as many rows.  Prints each launch, then medians: the frame with every row, the
first frame with rows, and the ratio of the former to the floor of the same rounds.  Runs from
/tmp: from the repository's folder the checkout's own xtalent would be imported before PYTHONPATH's.
`--modes` launches each version also warm (the rows kept for the day, as the launch before left
them) and on a new day (the kept rows moved to the day before: shown at once, then replaced),
each mode of each version once per round; the floor's rows are as many (with 9 footer keys).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import CHILD_APP, CHILD_FLOOR, ROOT, compile_sources  # noqa: E402


def launch(code: str, args: list[str], tree: str | None, workdir: Path) -> dict:
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = tree
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=workdir, env=env)
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("trees", nargs="*", default=["."])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--modes", default="cold", help="comma-separated: cold, warm, new-day")
    args = ap.parse_intermixed_args()  # the trees may follow the options
    modes = args.modes.split(",")
    work = Path(tempfile.mkdtemp(prefix="xtalent-coldpaint-"))
    os.environ.setdefault("XTALENT_CONFIG", str(work / "no-settings.toml"))  # a user without one
    try:
        count = len(list(Path(args.db, "engagements").glob("*.json")))
        dbs = {}
        for n, tree in enumerate(args.trees):
            dbs[tree] = work / f"db{n}"
            shutil.copytree(args.db, dbs[tree])
            os.environ["XTALENT_CACHE"] = str(work / f"user-cache{n}")
            # a first launch of each version: its catalog cache and byte code, as a user's
            compile_sources(ROOT if tree == "." else Path(tree))
            launch(CHILD_APP, [str(dbs[tree]), str(count)], None if tree == "." else tree, work)
        print(f"{count} engagements; load average before {os.getloadavg()}", flush=True)
        found: dict[tuple[str, str], list[dict]] = {(tree, mode): [] for mode in modes for tree in args.trees}
        floors = []
        for _ in range(args.runs):
            for mode in modes:
                for n, tree in enumerate(args.trees):
                    kept = dbs[tree] / "cache" / "dashboard-rows.json"
                    os.environ["XTALENT_CACHE"] = str(work / f"user-cache{n}")
                    if mode == "cold":
                        kept.unlink(missing_ok=True)
                    elif not kept.exists():  # the rows kept for the day, as a launch leaves them
                        launch(CHILD_APP, [str(dbs[tree]), str(count)], None if tree == "." else tree, work)
                    if mode == "new-day":
                        document = json.loads(kept.read_text(encoding="utf-8"))
                        document["today"] = "2026-11-22"
                        kept.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
                    found[tree, mode].append(launch(CHILD_APP, [str(dbs[tree]), str(count)], None if tree == "." else tree, work))
                    got = found[tree, mode][-1]
                    print(f"  {tree} {mode}: every row {got['seconds']:.2f} s, first rows {got['first_rows']:.2f} s", flush=True)
            floors.append(launch(CHILD_FLOOR, [str(count), "9"], None, work)["seconds"])
            print(f"  floor {floors[-1]:.2f} s", flush=True)
        floor = statistics.median(floors)
        print(f"medians of {args.runs} rounds; floor (bare Textual app, {count} rows) {floor:.2f} s")
        for (tree, mode), samples in found.items():
            every = statistics.median(s["seconds"] for s in samples)
            first = statistics.median(s["first_rows"] for s in samples)
            print(f"  {tree}: {mode} first paint {every:.2f} s = {every / floor:.2f}x the floor; first frame with rows {first:.2f} s")
        print(f"load average after {os.getloadavg()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

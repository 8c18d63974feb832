"""The launch's own work to its first paint, counted in instructions (callgrind), which the load of
a shared machine does not move, unlike wall and CPU time.

    python bench/paint_instructions.py DB [--modes cold,warm,new-day,floor] [TREE ...]

For each code tree (as in bench/cold_paint.py: a folder holding `xtalent` and `xtalent_screens`,
first on PYTHONPATH; "." is the installed xtalent) and mode, on a copy of DB, it counts the
instructions of the UI's process from its start to the frame holding every row (bench/run.py's
first-paint child, ended there with os._exit so that nothing after the paint counts, the app's
warm-up put off), under `valgrind --tool=callgrind`.  Only that process is counted: a row helper
it starts (views/rowhelper.py; forked, it runs under valgrind too, and is counted apart) is not
in the figure, and a launch that waits for one counts its own polling meanwhile.  "floor" is the bare
Textual app of bench/run.py with as many rows.  Slow: a few minutes of CPU per launch.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import CHILD_APP, CHILD_FLOOR, ROOT, compile_sources  # noqa: E402

# bench/run.py's child, ended at the frame holding every row; what a launch does after its first
# paint put off: the warm-up and the look for other writers every 2 s (Editing.start_watching),
# which valgrind's slowdown (~50x) brought before the paint, into the count of one tree and not
# another's, as the load of the machine had it.
CHILD = CHILD_APP.replace(
    "    async with app.run_test(size=(120, 40)) as pilot:",
    "    import xtalent_screens.app\n    xtalent_screens.app.WARM_UP_DELAY = 1e6\n"
    "    import xtalent_screens.editing\n    xtalent_screens.editing.Editing.start_watching = lambda editing: None\n"
    "    async with app.run_test(size=(120, 40)) as pilot:",
).replace("        seconds = time.perf_counter() - T0\n", "        import os; os._exit(0)\n", 1)
FLOOR = CHILD_FLOOR.replace("        seconds = time.perf_counter() - T0\n", "        import os; os._exit(0)\n", 1)
assert CHILD != CHILD_APP and FLOOR != CHILD_FLOOR


def counted(code: str, args: list[str], env: dict[str, str], cwd: Path) -> float:
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", code, *args],
                         capture_output=True, text=True, env=env, cwd=cwd)
    # The launched process's own count: a row helper it forks runs under valgrind too, and prints
    # its "Collected" (the launch's instructions up to the fork, and its own) first.
    first = re.search(r"^==(\d+)==", out.stderr, re.MULTILINE)
    found = first and re.search(rf"^=={first.group(1)}== Collected : (\d+)", out.stderr, re.MULTILINE)
    if not found:
        raise SystemExit(out.stderr[-2000:])
    return int(found.group(1)) / 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("trees", nargs="*", default=["."])
    ap.add_argument("--modes", default="cold,warm,new-day,floor")
    args = ap.parse_intermixed_args()  # the trees may follow the options
    count = len(list(Path(args.db, "engagements").glob("*.json")))
    with tempfile.TemporaryDirectory(prefix="xtalent-paint-ir-") as tmp:
        work = Path(tmp)
        for mode in args.modes.split(","):
            if mode == "floor":
                print(f"{counted(FLOOR, [str(count), '9'], dict(os.environ), work):9.1f} M  floor ({count} rows)", flush=True)
                continue
            for n, tree in enumerate(args.trees):
                env = dict(os.environ, XTALENT_CONFIG=str(work / "no-settings.toml"), XTALENT_CACHE=str(work / f"cache{n}"))
                if tree != ".":
                    env["PYTHONPATH"] = tree
                db = work / f"db{n}-{mode}"
                shutil.copytree(args.db, db)
                # A launch as the one before leaves it: the catalog's cache, the rows kept for the day,
                # the byte code (not written by a launch where PYTHONDONTWRITEBYTECODE is set).
                compile_sources(ROOT if tree == "." else Path(tree))
                subprocess.run([sys.executable, "-c", CHILD_APP, str(db), str(count)], env=env, cwd=work, check=True,
                               capture_output=True)
                kept = db / "cache" / "dashboard-rows.json"
                if mode == "cold":
                    kept.unlink()
                elif mode == "new-day":
                    document = json.loads(kept.read_text(encoding="utf-8"))
                    document["today"] = "2026-11-22"
                    kept.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
                print(f"{counted(CHILD, [str(db), str(count)], env, work):9.1f} M  {mode:8s} {tree}", flush=True)


if __name__ == "__main__":
    main()

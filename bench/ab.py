"""Two versions of the code side by side, interleaved in one run: whole commands, or key to screen.

    python bench/ab.py commands RUNS 'CMD A' 'CMD B' ...      # median wall and CPU of each
    python bench/ab.py keys RUNS DB COUNT ID TREE_A TREE_B ...  # bench/run.py's key-to-screen child
    python bench/ab.py views RUNS DB COUNT VIEW TREE_A TREE_B ...  # bench/run.py's view child (w, p)

`commands` runs each shell command once per round, in turn, and prints the median wall time and
CPU time (user + sys of the child) of each: a busy machine slows every command of a round alike.
`keys` runs bench/run.py's key-to-screen child (a cursor move and a stage move, five of each, in
one launch) with each code tree first on PYTHONPATH (a checkout of main, this branch; a tree is
a folder holding `xtalent` and `xtalent_screens`, which is `screens/` copied under that name),
alternating their order round by round, and prints each tree's median stage move, cursor move
and ratio.  A tree may end in `+NAME=VALUE` to set an environment variable for its runs.
Each tree keeps its own message-catalog cache (XTALENT_CACHE), so no tree invalidates another's.
`views` opens issue 16's view VIEW (attention, staff: bench/run.py VIEWS) from the dashboard the
same way, warm, each tree on its own copy of DB (the kept rows are keyed by the code version: one
tree's opening would make the other's cold), and prints each tree's medians: key → first frame
with rows, as a ratio to the dashboard's first paint of the same launches, and every row in.
`views-after-change RUNS DB COUNT VIEW ENGAGEMENT TREE_A TREE_B ...` does the same with a stage of
ENGAGEMENT moved and saved in each copy before each opening (bench/run.py change_one: HR saved an
edit, then opens the view).  `views-new-day` and `views-upgrade` (same arguments as `views`) make
each copy's kept data yesterday's (bench/run.py as_yesterday) or delete it all before each launch,
and print beside the view's figures when the dashboard showed today's rows (its own cold or new
day paint, with each tree's pass).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def commands(runs: int, cmds: list[str]) -> None:
    wall: dict[str, list[float]] = {c: [] for c in cmds}
    cpu: dict[str, list[float]] = {c: [] for c in cmds}
    for _ in range(runs):
        for c in cmds:
            t0 = time.perf_counter()
            child = subprocess.Popen(c, shell=True, stdout=subprocess.DEVNULL)
            _, _, usage = os.wait4(child.pid, 0)
            wall[c].append(time.perf_counter() - t0)
            cpu[c].append(usage.ru_utime + usage.ru_stime)
    print(f"load average {os.getloadavg()}")
    for c in cmds:
        print(f"wall {1000 * statistics.median(wall[c]):7.0f} ms  cpu {1000 * statistics.median(cpu[c]):6.0f} ms  {c}")


def keys(runs: int, db: str, count: str, eid: str, trees: list[str]) -> None:
    from bench.run import CHILD_KEYS

    found: dict[str, list[dict]] = {tree: [] for tree in trees}
    for n in range(runs):
        for tree in trees if n % 2 == 0 else list(reversed(trees)):
            path, *settings = tree.split("+")
            env = dict(os.environ, PYTHONPATH=path, XTALENT_CACHE=str(Path(path) / ".bench-cache"))
            env.update(s.split("=", 1) for s in settings)
            out = subprocess.run([sys.executable, "-c", CHILD_KEYS, db, count, eid, "5"], capture_output=True,
                                 text=True, env=env, cwd=path, check=True)
            found[tree].append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"load average {os.getloadavg()}")
    for tree, runs_of in found.items():
        stage = statistics.median(r["stage"] for r in runs_of)
        cursor = statistics.median(r["cursor"] for r in runs_of)
        first = statistics.median(r["first_save"] for r in runs_of)
        print(f"stage {stage * 1000:.0f} ms / cursor {cursor * 1000:.0f} ms = {stage / cursor:.2f}x;"
              f" first save {first * 1000:.0f} ms  {tree}")


def views(runs: int, db: str, count: str, view: str, trees: list[str], changed: str | None = None,
          before: str | None = None) -> None:
    import shutil
    import tempfile

    from bench.run import CHILD_VIEW, VIEWS, as_yesterday, change_one

    key, table, _, _ = VIEWS[view]
    found: dict[str, list[dict]] = {tree: [] for tree in trees}
    with tempfile.TemporaryDirectory(prefix="xtalent-ab-views-") as tmp:
        copies = {}
        for n, tree in enumerate(trees):
            copies[tree] = Path(tmp) / f"db{n}"
            shutil.copytree(db, copies[tree])

        def run(tree: str) -> dict:
            path, *settings = tree.split("+")
            env = dict(os.environ, PYTHONPATH=path, XTALENT_CACHE=str(Path(path) / ".bench-cache"))
            env.update(s.split("=", 1) for s in settings)
            out = subprocess.run([sys.executable, "-c", CHILD_VIEW, str(copies[tree]), count, key, table],
                                 capture_output=True, text=True, env=env, cwd=path, check=True)
            return json.loads(out.stdout.strip().splitlines()[-1])

        for tree in trees:
            run(tree)  # the view's kept data for this tree's code version, as a first opening leaves it
        for n in range(runs):
            for tree in trees if n % 2 == 0 else list(reversed(trees)):
                if changed is not None:
                    change_one(copies[tree], changed, n + 1)
                if before == "new day":
                    as_yesterday(copies[tree])
                elif before == "upgrade":
                    shutil.rmtree(copies[tree] / "cache")
                found[tree].append(run(tree))
    print(f"load average {os.getloadavg()}" + (f"; a stage of {changed} moved and saved before each opening" if changed else "")
          + (f"; {before} before each launch" if before else ""))
    for tree, got in found.items():
        paint = statistics.median(r["paint"] for r in got)
        first = statistics.median(r["first"] for r in got)
        every = statistics.median(r["every"] for r in got)
        print(f"{key} → first frame with rows {first:.3f} s = {first / paint:.2f}× the dashboard's first paint ({paint:.2f} s);"
              f" every row {every:.2f} s  {tree}")
        if before:
            today_rows = statistics.median(r["today_rows"] for r in got)
            print(f"    the dashboard's rows of today shown at {today_rows:.2f} s  {tree}")
        print("    per run (paint, today's rows, first, every): "
              + ", ".join(f"({r['paint']:.2f}, {r.get('today_rows', r['paint']):.2f}, {r['first']:.3f}, {r['every']:.2f})" for r in got))


if __name__ == "__main__":
    mode, runs = sys.argv[1], int(sys.argv[2])
    if mode == "commands":
        commands(runs, sys.argv[3:])
    elif mode == "views":
        views(runs, sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:])
    elif mode in ("views-new-day", "views-upgrade"):
        views(runs, sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:], before=mode.split("-", 1)[1].replace("-", " "))
    elif mode == "views-after-change":
        views(runs, sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[7:], changed=sys.argv[6])
    else:
        keys(runs, sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:])

"""Where a cold first paint's seconds go: a timeline of launches with no row kept.

    python bench/cold_timeline.py DB [--runs 5] [--modes cold,new-day,warm] [TREE]

DB is a database folder (copied, never changed); TREE a folder holding `xtalent` and
`xtalent_screens` put first on PYTHONPATH ("." is the installed xtalent; run from /tmp, as
bench/cold_paint.py says).  Each run is bench/run.py's first-paint child (a fresh interpreter,
headless, until the frame holding every row) with the row cache deleted, instrumented from
outside the code (its functions wrapped, nothing of xtalent changed) to note when:
  helper      the row helper was started (views/rowhelper.Helper), sent its header (its imports
              done: ready to compute), its first and its last row;
  ui          build_app returned (the UI imported) and the dashboard's load began (current_rows);
  first60     the first FIRST_ROWS rows were computed (shown meanwhile);
  met         the worker's scan stopped where the helper's rows began;
  rows        current_rows returned every row;  show: the dashboard began and ended showing
              them (show_cpu: the UI thread's CPU for it);  seconds: the frame holding them was drawn.
and how the rows were shared: computed by the worker (`worker_rows`) and delivered by the helper
(`helper_rows`), the worker thread's CPU against its wall time while it computed (`worker_cpu`,
`worker_wall`: the rest is waiting for the interpreter, which the UI thread holds), the helper's
CPU (its process, from start to end) and this process's CPU.  Prints each run and the medians.
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

from bench.run import CHILD_APP  # noqa: E402

# Wrappers installed before the launch; the notes are printed with the child's own line.
PATCH = r'''
import resource, threading
NOTES = {}
def note(name):
    NOTES.setdefault(name, time.perf_counter() - T0)
from xtalent.views import rowhelper, rowcache
import xtalent.cli.tui as _tui
_Helper_init, _Helper_read = rowhelper.Helper.__init__, rowhelper.Helper._read
def _init(self, *a, **k):
    note("helper_started")
    _Helper_init(self, *a, **k)
def _read(self, stream):
    class Noting:
        def __init__(self, s): self.s = s
        def readline(self):
            line = self.s.readline(); note("helper_ready"); return line
        def __iter__(self):
            for line in self.s:
                note("helper_first_row"); NOTES["helper_last_row"] = time.perf_counter() - T0
                yield line
    _Helper_read(self, Noting(stream))
rowhelper.Helper.__init__, rowhelper.Helper._read = _init, _read
_stop = rowhelper.Helper.stop
def _stop_noted(self):
    if "helper_rows" not in NOTES:
        NOTES["helper_rows"] = len(self.rows)
    _stop(self)
rowhelper.Helper.stop = _stop_noted
_build_app = _tui.build_app
def _build(ctx):
    app = _build_app(ctx); note("ui_imported")
    import xtalent_screens.dashboard as _dash  # imported by now: patched without moving the launch's imports
    _show = _dash.DashboardScreen.show
    def _shown(self, rows):
        note("show_began"); c0 = time.thread_time(); _show(self, rows)
        NOTES["show_cpu"] = time.thread_time() - c0; note("show_done")
    _dash.DashboardScreen.show = _shown
    return app
_tui.build_app = _build
build_app = _build
_current_rows, _build_rows, _shared = rowcache.current_rows, rowcache.build_rows, rowcache._shared
def _rows(*a, **k):
    note("load_began"); c0, w0 = time.thread_time(), time.perf_counter()
    first = k.get("first")
    if first is not None:
        def _first(rows, total):
            note("first60"); first(rows, total)
        k["first"] = _first
    out = _current_rows(*a, **k)
    NOTES["worker_cpu"], NOTES["worker_wall"] = time.thread_time() - c0, time.perf_counter() - w0
    note("rows"); return out
def _built(engagements, *a, **k):
    rows = _build_rows(engagements, *a, **k)
    NOTES["worker_rows"] = NOTES.get("worker_rows", 0) + len(rows); return rows
import contextlib
@contextlib.contextmanager
def _shared_noted(*a, **k):
    with _shared(*a, **k) as engagements:
        def scanned():
            yield from engagements
            note("met")
        yield scanned()
rowcache.current_rows, rowcache.build_rows, rowcache._shared = _rows, _built, _shared_noted
'''

CHILD = CHILD_APP.replace("from xtalent.cli.tui import build_app\n", "from xtalent.cli.tui import build_app\n" + PATCH, 1)
CHILD = CHILD.replace(
    '    print(json.dumps({"seconds": seconds,',
    '    own = resource.getrusage(resource.RUSAGE_SELF); kids = resource.getrusage(resource.RUSAGE_CHILDREN)\n'
    '    NOTES["process_cpu"] = own.ru_utime + own.ru_stime; NOTES["helper_cpu"] = kids.ru_utime + kids.ru_stime\n'
    '    print(json.dumps({"notes": NOTES, "seconds": seconds,', 1)
assert CHILD.count("NOTES") > 3

ORDER = ("helper_started", "helper_ready", "ui_imported", "load_began", "helper_first_row", "first60", "met",
         "helper_last_row", "rows", "show_began", "show_done", "seconds", "show_cpu", "worker_rows", "helper_rows", "worker_cpu", "worker_wall",
         "helper_cpu", "process_cpu")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("tree", nargs="?", default=".")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--modes", default="cold")
    args = ap.parse_intermixed_args()
    work = Path(tempfile.mkdtemp(prefix="xtalent-timeline-"))
    env = dict(os.environ, XTALENT_CONFIG=str(work / "no-settings.toml"), XTALENT_CACHE=str(work / "user-cache"))
    if args.tree != ".":
        env["PYTHONPATH"] = args.tree
    try:
        db = work / "db"
        shutil.copytree(args.db, db)
        count = len(list(Path(db, "engagements").glob("*.json")))
        kept = db / "cache" / "dashboard-rows.json"

        def launch() -> dict:
            out = subprocess.run([sys.executable, "-c", CHILD, str(db), str(count)], capture_output=True, text=True,
                                 cwd=work, env=env)
            if out.returncode:
                raise RuntimeError(out.stderr[-2000:])
            got = json.loads(out.stdout.strip().splitlines()[-1])
            return {**got["notes"], "seconds": got["seconds"]}

        launch()  # byte code and the catalog cache, as a user's second launch
        print(f"{count} engagements; load average before {os.getloadavg()}", flush=True)
        found: dict[str, list[dict]] = {mode: [] for mode in args.modes.split(",")}
        for _ in range(args.runs):
            for mode, runs in found.items():
                if mode == "cold":
                    kept.unlink(missing_ok=True)
                elif mode == "warm":  # today's rows kept, as the last launch left them
                    if not kept.exists():
                        launch()
                else:  # new-day: the kept rows moved to the day before
                    if not kept.exists():
                        launch()
                    document = json.loads(kept.read_text(encoding="utf-8"))
                    document["today"] = "2026-11-22"
                    kept.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
                runs.append(launch())
                print(f"  {mode}: " + " ".join(f"{k}={runs[-1][k]:.2f}" for k in ORDER if k in runs[-1]), flush=True)
        for mode, runs in found.items():
            print(f"medians of {args.runs}, {mode}:")
            for key in ORDER:
                values = [r[key] for r in runs if key in r]
                if values:
                    print(f"  {key:18s} {statistics.median(values):7.2f}")
        print(f"load average after {os.getloadavg()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

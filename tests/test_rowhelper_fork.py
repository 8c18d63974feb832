"""The launch's row helper as a fork (views/rowhelper.Forked): a cold launch of a few engagements
paints rows the UI's process did not compute (it imports no pydantic before its first paint), the
rows and the row cache are byte for byte those computed in one process, a damaged file is reported
as without a helper, and the forked child never outlives the launch's need of it: no process and
no zombie is left, whether the load took it, the app ended first, an exception or a Ctrl+C ended
the launch.  Each launch is a fresh interpreter (pytest's workers run threads: no fork there)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from test_store_support import run_cli
from tui_support import imported_demo
from xtalent.store import Store, StoreError
from xtalent.views import rowcache, rowhelper

pytestmark = pytest.mark.skipif(not rowhelper.FORKS, reason="the launch's helper is not a fork on this system")

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-23"

# Run before each script: the forked helpers' process ids, and what `ps` says of a process.
PRELUDE = r"""
import json, os, signal, subprocess, sys
# Ctrl+C as a terminal's launch has it: a shell's background job (a runner's `pytest &`) starts
# with SIGINT ignored, and the Ctrl+C test then waited for ever.
signal.signal(signal.SIGINT, signal.default_int_handler)
from xtalent.views import rowhelper
PIDS = []
_init = rowhelper.Forked.__init__
def _noting(self, *a, **k):
    _init(self, *a, **k)
    PIDS.append(self.pid)
rowhelper.Forked.__init__ = _noting
def ps(pid):
    # "" once the process is gone and reaped; "Z" for a zombie
    return subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True).stdout.strip()
def report(**what):
    print(json.dumps(what), flush=True)
"""

PAINT = r"""
import asyncio
from xtalent.cli import parse_args
from xtalent.cli.context import Context
from xtalent.cli.tui import build_app

async def main():
    # What the paint needs, not what follows it: the app's warm-up, and the views' data the
    # dashboard's follow-up keeps once the rows are drawn (both import the models).
    import xtalent_screens.app
    xtalent_screens.app.WARM_UP_DELAY = 3600
    import xtalent.views.rowcache
    xtalent.views.rowcache.keep_beside = lambda store, beside: {}
    app = build_app(Context.from_args(parse_args(["--db", sys.argv[1], "--today", sys.argv[2], "--lang", "ja"])))
    from textual.widgets import DataTable
    async with app.run_test(size=(120, 40)) as pilot:
        while not (app.screen.query(DataTable) and app.screen.query(DataTable).first().row_count):
            await pilot.pause()
        pydantic = "pydantic" in sys.modules  # when the rows are in
        table = app.screen.query(DataTable).first()
        await table.wait_for_refresh()
        while any(not w.is_finished for w in app.workers):  # the rows kept after the paint
            await pilot.pause()
        await pilot.pause()
    report(pydantic=pydantic, rows=table.row_count, pids=PIDS, after=[ps(p) for p in PIDS])

asyncio.run(main())
"""


def env(db: Path) -> dict[str, str]:
    return {**os.environ, "XTALENT_CONFIG": str(db.parent / "no-config.toml")}


def run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", PRELUDE + script, *args], capture_output=True, text=True,
                          cwd=ROOT, env=env(Path(args[0])), timeout=300)


def last_report(out: subprocess.CompletedProcess[str]) -> dict:
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def cold_demo(folder: Path) -> Path:
    store = imported_demo(folder)
    shutil.rmtree(store.root / "cache", ignore_errors=True)  # nothing kept: a cold launch
    return store.root


def test_a_cold_launch_of_a_few_paints_the_forks_rows_and_leaves_no_process(tmp_path: Path, capsys) -> None:
    db = cold_demo(tmp_path / "a")
    twin = tmp_path / "b" / "db"
    shutil.copytree(db, twin)  # the same files and stamps, computed in one process below
    seen = last_report(run(PAINT, str(db), TODAY))
    assert seen["rows"] > 0 and len(seen["pids"]) == 1
    assert seen["pydantic"] is False  # every row came from the fork
    assert seen["after"] == [""]  # ended and reaped while the app still ran
    # The row cache the launch kept, and `list` from it, are those of the rows computed in one
    # process (a launch in pytest's worker, which runs threads: never forked).
    rowcache.current_rows(Store.open(twin), date.fromisoformat(TODAY), "ja")
    assert rowcache.cache_path(twin).read_bytes() == rowcache.cache_path(db).read_bytes()
    for form in ("text", "json"):
        listed = [run_cli(capsys, "--db", str(d), "--today", TODAY, "list", "--format", form) for d in (twin, db)]
        assert listed[0] == listed[1] and listed[0][0] == 0


# The dashboard's first load as the launch leaves it: the fork started, then current_rows.  With
# "shared", more rows than a first screenful: the caller computes from the first while the fork
# computes from the last.
LOAD = r"""
from datetime import date
from xtalent.store import Store, StoreError
from xtalent.views import rowcache
if sys.argv[3] == "shared":
    rowcache.FIRST_ROWS = 2
store = Store.open(sys.argv[1])
today = date.fromisoformat(sys.argv[2])
rowhelper.prestart(store, today, "ja", None)
alone = [h.alone for h in rowhelper._waiting.values()]
shown = []  # the days whose rows the dashboard's `stale` was given to show meanwhile
try:
    rows = [repr(r) for r in rowcache.current_rows(store, today, "ja", stale=lambda rows, day: shown.append(day.isoformat()))]
    error = None
except StoreError as e:
    rows, error = None, str(e)
report(rows=rows, error=error, alone=alone, stale=shown, pids=PIDS, after=[ps(p) for p in PIDS])
"""


@pytest.mark.parametrize("how", ["alone", "shared"])
def test_the_rows_are_those_computed_in_one_process(tmp_path: Path, how: str) -> None:
    db = cold_demo(tmp_path)
    seen = last_report(run(LOAD, str(db), TODAY, how))
    assert seen["alone"] == [how == "alone"] and seen["after"] == [""]
    assert seen["rows"] == [repr(r) for r in rowcache.current_rows(Store.open(db), date.fromisoformat(TODAY), "ja")]


@pytest.mark.parametrize("how", ["alone", "shared"])
def test_a_damaged_file_is_reported_as_without_a_helper(tmp_path: Path, how: str) -> None:
    db = cold_demo(tmp_path)
    damaged = Store.open(db).folder.files()[3]  # the fork delivers the four after it, then stops
    damaged.write_bytes(damaged.read_bytes()[:-40])
    seen = last_report(run(LOAD, str(db), TODAY, how))
    with pytest.raises(StoreError) as here:
        rowcache.current_rows(Store.open(db), date.fromisoformat(TODAY), "ja")
    assert len(seen["pids"]) == 1 and seen["after"] == [""]
    assert seen["error"] == str(here.value)


# The first launch of a day: yesterday's rows kept.  The dashboard's `stale` is called with them
# only when the rows are shared (many to compute); a fork computing every row alone delivers
# today's about as soon, and the table is drawn once.
@pytest.mark.parametrize("how", ["alone", "shared"])
def test_a_new_day_shows_yesterdays_rows_only_while_rows_are_shared(tmp_path: Path, how: str) -> None:
    db = cold_demo(tmp_path)
    rowcache.current_rows(Store.open(db), date.fromisoformat("2026-11-22"), "ja")  # yesterday's, kept
    seen = last_report(run(LOAD, str(db), TODAY, how))
    assert seen["alone"] == [how == "alone"] and seen["after"] == [""]
    assert seen["stale"] == ([] if how == "alone" else ["2026-11-22"])
    assert seen["rows"] == [repr(r) for r in rowcache.current_rows(Store.open(db), date.fromisoformat(TODAY), "ja")]


# The launch ends before the dashboard's first load takes the helper: by an exception, or a
# Ctrl+C (SIGINT to the terminal's process group) while the UI is imported.  An exit handler
# registered before the helper's runs after the one ending it: it sees what is left.
ENDS = r"""
import atexit, signal, time
from datetime import date
from xtalent.store import Store
atexit.register(lambda: report(pids=PIDS, after=[ps(p) for p in PIDS]))
rowhelper.prestart(Store.open(sys.argv[1]), date.fromisoformat(sys.argv[2]), "ja", None)
print("started", flush=True)
if sys.argv[3] == "raise":
    raise RuntimeError("the launch failed")
# Not signal.pause(): a SIGINT landing between its check for pending signals and the pause()
# itself is never seen, and the process waits for ever (seen once at load ~20).
while True:
    time.sleep(0.05)
"""


def test_an_exception_ends_the_fork(tmp_path: Path) -> None:
    out = run(ENDS, str(cold_demo(tmp_path)), TODAY, "raise")
    assert out.returncode == 1 and "the launch failed" in out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert len(seen["pids"]) == 1 and seen["after"] == [""]


def test_ctrl_c_ends_the_launch_and_the_fork(tmp_path: Path) -> None:
    db = cold_demo(tmp_path)
    process = subprocess.Popen([sys.executable, "-c", PRELUDE + ENDS, str(db), TODAY, "wait"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env(db), start_new_session=True)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "started"
        os.killpg(process.pid, signal.SIGINT)  # as the terminal does: to every process of the group
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert "KeyboardInterrupt" in stderr
    seen = json.loads(stdout.strip().splitlines()[-1])
    assert len(seen["pids"]) == 1 and seen["after"] == [""]

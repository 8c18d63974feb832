"""The dashboard keeps the rows of the coming days once it has shown today's (rowcache.keep_ahead,
in rowhelper.AheadPass's process): started after the rows are on screen, not on a launch that
finds them kept, and ended with the app."""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable

from xtalent.views import rowcache, rowhelper
from xtalent.views.dashboard import build_rows
from xtalent_screens.app import XtalentApp

from tui_support import SIZE, TODAY, demo_store, settle

TOMORROW = TODAY + timedelta(days=1)  # TODAY is a Monday


def recording_passes(monkeypatch, apps: list) -> list[dict]:
    """Each pass run: what the dashboard of the app last launched (`apps[-1]`) showed as it started."""
    runs: list[dict] = []
    run = rowhelper.AheadPass.run

    def recorded(self):
        screen = apps[-1].screen
        table = screen.query_one("#engagements", DataTable)
        runs.append({"loaded": screen.loaded, "rows": len(screen.rows), "stale_day": screen.stale_day,
                     "in the table": table.row_count == len(screen.shown) > 0})
        return run(self)

    monkeypatch.setattr(rowhelper.AheadPass, "run", recorded)
    return runs


async def test_the_dashboard_keeps_tomorrows_rows_after_showing_todays_and_not_again(tmp_path: Path, monkeypatch) -> None:
    store = demo_store(tmp_path)
    monkeypatch.setattr(rowcache, "AHEAD_MIN", 1)  # the demo is smaller than a pass is worth
    apps: list[XtalentApp] = []
    runs = recording_passes(monkeypatch, apps)
    count = len(store.fingerprint())
    apps.append(XtalentApp(store=store, today=TODAY, lang="ja"))
    async with apps[-1].run_test(size=SIZE) as pilot:
        await settle(apps[-1], pilot)
        assert apps[-1].screen.ahead_days == [TOMORROW]
    assert runs == [{"loaded": True, "rows": count, "stale_day": None, "in the table": True}]  # after today's rows were shown
    assert rowcache.load(store.root, store.fingerprint(), TOMORROW, "ja") == build_rows(store.scan(), TOMORROW, "ja")

    apps.append(XtalentApp(store=store, today=TODAY, lang="ja"))  # the same day again
    async with apps[-1].run_test(size=SIZE) as pilot:
        await settle(apps[-1], pilot)
        assert apps[-1].screen.loaded and apps[-1].screen.ahead_days == []
    assert len(runs) == 1  # found kept for these files: no pass

    computed: list = []
    monkeypatch.setattr(rowcache, "build_rows", lambda *a, **k: computed.append(a) or [])
    apps.append(XtalentApp(store=store, today=TOMORROW, lang="ja"))  # the next day: its rows kept already
    async with apps[-1].run_test(size=SIZE) as pilot:
        await settle(apps[-1], pilot)
        screen = apps[-1].screen
        assert screen.stale_day is None and computed == []
        assert screen.rows == rowcache.load(store.root, store.fingerprint(), TOMORROW, "ja")
    assert sorted(screen.rows, key=lambda r: r.id) == sorted(build_rows(store.scan(), TOMORROW, "ja"), key=lambda r: r.id)
    assert not rowcache.ahead_path(store.root, TOMORROW).exists()  # they are the day's kept rows now


@pytest.mark.parametrize("on_top", [False, True])
async def test_quitting_ends_the_pass_and_leaves_no_process(tmp_path: Path, monkeypatch, on_top: bool) -> None:
    store = demo_store(tmp_path)
    monkeypatch.setattr(rowcache, "AHEAD_MIN", 1)
    started: list[subprocess.Popen] = []
    popen = subprocess.Popen

    def lasting(args, **kwargs):  # the pass's process made to outlast the app
        if list(args[-2:]) == ["-m", rowhelper.__name__]:
            args = [sys.executable, "-c", "import sys, time; sys.stdin.read(); time.sleep(120)"]
        started.append(popen(args, **kwargs))
        return started[-1]

    monkeypatch.setattr(rowhelper.subprocess, "Popen", lasting)
    app = XtalentApp(store=store, today=TODAY, lang="ja")
    async with app.run_test(size=SIZE) as pilot:
        dashboard = app.screen
        while not started:
            await pilot.pause(0.01)
        assert started[0].poll() is None
        if on_top:  # quitting from an engagement's screen, the dashboard under it
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is not dashboard
        await pilot.press("q")
    assert started[0].wait() == -signal.SIGKILL  # killed by the quit, not ended by itself


async def test_the_first_launch_after_the_year_end_closure_paints_the_rows_kept_before_it(tmp_path: Path, monkeypatch) -> None:
    store = demo_store(tmp_path)
    monkeypatch.setattr(rowcache, "AHEAD_MIN", 1)
    year_end, first_day_back = date(2026, 12, 28), date(2027, 1, 4)  # Mondays: 年末年始 between
    apps = [XtalentApp(store=store, today=year_end, lang="ja")]
    async with apps[-1].run_test(size=SIZE) as pilot:
        await settle(apps[-1], pilot)
        kept = apps[-1].screen.ahead_days
    assert kept == [year_end + timedelta(days=n) for n in range(1, 8)] and kept[-1] == first_day_back

    computed: list = []
    monkeypatch.setattr(rowcache, "build_rows", lambda *a, **k: computed.append(a) or [])
    apps.append(XtalentApp(store=store, today=first_day_back, lang="ja"))
    async with apps[-1].run_test(size=SIZE) as pilot:
        await settle(apps[-1], pilot)
        screen = apps[-1].screen
        assert screen.stale_day is None and computed == []  # not 12-28's rows meanwhile, none computed
        assert screen.rows == rowcache.load(store.root, store.fingerprint(), first_day_back, "ja")
        assert screen.ahead_days == [first_day_back + timedelta(days=1)]  # its own pass, which prunes
    assert sorted(screen.rows, key=lambda r: r.id) == sorted(build_rows(store.scan(), first_day_back, "ja"), key=lambda r: r.id)
    assert not list((store.root / "cache").glob("dashboard-rows-2026-*.json"))  # the closure's days pruned

"""The first launch of a day paints yesterday's rows at once, marked, then today's."""

import threading
from datetime import timedelta

from xtalent_screens.app import XtalentApp
from tui_support import SIZE, TODAY, demo_store, settle, text_of
from xtalent.views import dashboard as dash
from xtalent.views import rowcache


async def rows_on_screen(app, pilot) -> None:
    """Wait (up to 2 s) for the dashboard's first rows, whichever they are: the launch shows
    rows meanwhile while the worker computes today's."""
    for _ in range(100):
        await pilot.pause(0.02)
        if app.screen.rows:
            return


async def test_yesterdays_rows_show_at_once_marked_then_todays(tmp_path, monkeypatch) -> None:
    store = demo_store(tmp_path)
    yesterday = TODAY - timedelta(days=1)
    rowcache.save(store.root, store.fingerprint(), dash.build_rows(store.engagements(), yesterday, "ja"), yesterday, "ja")

    release = threading.Event()
    real_build = dash.build_rows

    def slow_build(*args, **kwargs):
        release.wait(120)  # today's rows take a while at a prefecture's size (a bound, not a timing: set below)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(dash, "build_rows", slow_build)
    app = XtalentApp(store=store, today=TODAY, lang="ja")
    async with app.run_test(size=SIZE) as pilot:
        await rows_on_screen(app, pilot)
        screen = app.screen
        assert len(screen.rows) == 8 and screen.rows[0].today == yesterday
        assert yesterday.isoformat() in text_of(screen.query_one("#dashboard-summary"))
        release.set()
        await settle(app, pilot)
        assert all(row.today == TODAY for row in screen.rows)
        assert yesterday.isoformat() not in text_of(screen.query_one("#dashboard-summary"))
    # and today's rows are cached for the next launch
    assert rowcache.load(store.root, store.fingerprint(), TODAY, "ja") is not None


async def test_with_no_rows_kept_the_first_computed_show_marked_then_all(tmp_path, monkeypatch) -> None:
    store = demo_store(tmp_path)
    rowcache.cache_path(store.root).unlink(missing_ok=True)  # another code version's, or deleted
    monkeypatch.setattr(rowcache, "FIRST_ROWS", 3)
    release = threading.Event()
    real_build = rowcache.build_rows
    calls = []

    def build(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            release.wait(120)  # the rest take a while at a prefecture's size (a bound: set below)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(rowcache, "build_rows", build)
    app = XtalentApp(store=store, today=TODAY, lang="ja")
    async with app.run_test(size=SIZE) as pilot:
        await rows_on_screen(app, pilot)
        screen = app.screen
        assert len(screen.rows) == 3 and not screen.loaded
        assert "8件中3件を表示中" in text_of(screen.query_one("#dashboard-summary"))
        release.set()
        await settle(app, pilot)
        assert len(screen.rows) == 8 and screen.loaded
        assert "件中" not in text_of(screen.query_one("#dashboard-summary"))
    assert rowcache.load(store.root, store.fingerprint(), TODAY, "ja") is not None


async def test_the_rows_computed_are_written_once_shown_and_kept_rows_are_not_rewritten(tmp_path, monkeypatch) -> None:
    store = demo_store(tmp_path)
    rowcache.cache_path(store.root).unlink(missing_ok=True)
    real_save, written = rowcache.save, []
    app = XtalentApp(store=store, today=TODAY, lang="ja")

    def save(*args, **kwargs):
        screen = app.screen
        written.append(getattr(screen, "loaded", None) and len(screen.rows))  # on screen by then, every row
        real_save(*args, **kwargs)

    monkeypatch.setattr(rowcache, "save", save)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
    assert written == [8]
    assert rowcache.load(store.root, store.fingerprint(), TODAY, "ja") is not None
    written.clear()
    app = XtalentApp(store=store, today=TODAY, lang="ja")  # the next launch: every row kept
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert len(app.screen.rows) == 8
    assert written == []

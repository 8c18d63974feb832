"""The day's first `w` and an upgrade's first `p`: once the dashboard has shown the rows it computed
(a new day, no kept data at all), the attention view and the staff screen open from what its pass
kept (views/rowcache.Beside, keep_beside): their first screenful found kept, no engagement read,
and the rows those of the new day."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from xtalent.store import Store
from xtalent.views import firstscreen, rowcache
from xtalent.views.attention import attention_rows
from xtalent.views.staff import rows_from, receptions
from xtalent_screens.app import XtalentApp
from xtalent_screens.attention import AttentionScreen
from xtalent_screens.staff import StaffScreen

from tui_support import SIZE, TODAY, demo_store, every_row_in, recording_kept, settle

A_YEAR_ON = date(2027, 11, 24)  # items due then are overdue, terms have ended: the rows say so


def reads(monkeypatch, store: Store) -> list:
    """Every engagement the store reads from now on."""
    read: list = []
    scan, get = store.scan, store.get
    monkeypatch.setattr(store, "scan", lambda *a, **k: (read.append(a), scan(*a, **k))[1])
    monkeypatch.setattr(store, "get", lambda *a, **k: (read.append(a), get(*a, **k))[1])
    return read


async def launched(store: Store, today: date, pilot_of) -> None:
    app = XtalentApp(store=store, today=today, lang="ja")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the rows shown, and what their pass computed beside them kept
        assert app.screen.loaded and app.screen.stale_day is None
        await pilot_of(app, pilot)


async def test_the_days_first_w_opens_from_what_the_dashboards_pass_kept(tmp_path: Path, monkeypatch) -> None:
    store = demo_store(tmp_path)

    async def nothing(app, pilot) -> None:
        return None

    await launched(store, TODAY, nothing)  # yesterday, as far as the next launch is concerned
    assert firstscreen.kept(store.root, firstscreen.ATTENTION, firstscreen.attention_key(TODAY, "ja"),
                            store.fingerprint(), *_kinds())[0] is not None
    found = recording_kept(monkeypatch, "attention", rows=60)
    expected = [r.to_list() for r in attention_rows(store.engagements(), A_YEAR_ON, None, "ja")]
    assert expected != [r.to_list() for r in attention_rows(store.engagements(), TODAY, None, "ja")]

    async def press_w(app, pilot) -> None:
        read = reads(monkeypatch, app.store)
        await pilot.press("w")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AttentionScreen)
        await every_row_in(pilot, screen, "#attention-table")
        assert found[0] is not None  # the first screenful kept for the new day
        assert read == []  # every row from kept files
        assert [r.to_list() for r in screen.rows] == expected  # the new day's rows
        assert [r.to_list() for r in found[0].rows] == expected[:60]

    await launched(store, A_YEAR_ON, press_w)


async def test_an_upgrades_first_p_opens_from_what_the_dashboards_pass_kept(tmp_path: Path, monkeypatch) -> None:
    store = demo_store(tmp_path)
    shutil.rmtree(store.root / "cache", ignore_errors=True)  # nothing kept: a first launch, a new code version
    found = recording_kept(monkeypatch, "staff", rows=60)
    expected = rows_from(store.people(), [receptions(e) for e in store.engagements()], "ja")

    async def press_p(app, pilot) -> None:
        assert rowcache.staff_path(store.root).exists()
        read = reads(monkeypatch, app.store)
        await pilot.press("p")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, StaffScreen)
        await every_row_in(pilot, screen, "#staff-table")
        assert found[0] is not None and read == []
        assert [(r.employee.id, r.load) for r in screen.rows] == [(r.employee.id, r.load) for r in expected]
        assert [line.id for line in found[0].lines] == [r.employee.id for r in expected[:60]]

    await launched(store, TODAY, press_p)


def _kinds():
    from xtalent.views.attention import Head, Opening

    return Opening, Head

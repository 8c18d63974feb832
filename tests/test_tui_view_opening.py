"""Opening the attention view (w) and the staff screen (p) from what they kept: the frames of the
opening are drawn before every row is computed, and nothing is laid out twice for nothing
(issue 16: each opens in <= 0.3 s at 1,000 engagements; bench/staff_screen.py measures it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from xtalent_screens.attention import AttentionScreen
from xtalent_screens.staff import StaffScreen
from xtalent_screens.usertext import TextTable

from tui_support import every_row_in, running, settle

VIEWS = [("w", AttentionScreen, "#attention-table"), ("p", StaffScreen, "#staff-table")]


def footer_keys_drawn(screen) -> bool:
    """The screen's footer holds its keys, each laid out (a region: drawn in a frame)."""
    from xtalent_screens.footer import XFooter

    keys = XFooter.keys(screen.query_one(XFooter))
    return bool(keys) and all(key.region.area for key in keys if key.display)


@pytest.mark.parametrize(("key", "kind", "table_id"), VIEWS)
async def test_every_row_is_computed_once_the_opening_and_the_footer_are_drawn(tmp_path: Path, monkeypatch, key, kind,
                                                                            table_id) -> None:
    # Every row computed in a worker started beside the footer's first layout held the
    # interpreter while that frame was drawn: the opening's second frame took twice as long.
    seen: list[tuple[bool, bool]] = []  # at each start of every row's computing: (the kept rows in, the footer drawn)
    real = kind.compute

    def compute(self, first: bool = False):
        if not first:
            seen.append((self.query_one(table_id).row_count > 0, footer_keys_drawn(self)))
        return real(self, first)

    monkeypatch.setattr(kind, "compute", compute)
    async with running(tmp_path) as (app, pilot):
        for _ in range(2):  # the first opening keeps its first screenful; the second opens from it
            seen.clear()
            await pilot.press(key)
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, kind)
            await every_row_in(pilot, screen, table_id)
            assert seen and all(drawn for _, drawn in seen), seen
            await pilot.press("escape")
            await settle(app, pilot)
        assert seen[0][0]  # the second opening showed the kept rows first


async def test_the_staff_detail_is_laid_out_once_for_the_first_row_of_an_opening(tmp_path: Path, monkeypatch) -> None:
    # The first row's detail is drawn with the kept screenful; the table's first highlight of
    # that row, and every row computed after, show the same: laid out again, it cost the
    # opening a frame.
    cleared: list[str] = []
    real = TextTable.clear

    def clear(self, columns: bool = False):
        if self.id == "staff-received":
            cleared.append(self.id)
        return real(self, columns)

    monkeypatch.setattr(TextTable, "clear", clear)
    async with running(tmp_path) as (app, pilot):
        for _ in range(2):
            await pilot.press("p")
            await settle(app, pilot)
            screen = app.screen
            await every_row_in(pilot, screen, "#staff-table")
            await pilot.press("escape")
            await settle(app, pilot)
        cleared.clear()
        await pilot.press("p")
        await settle(app, pilot)
        screen = app.screen
        await every_row_in(pilot, screen, "#staff-table")
        assert screen.kept is None and screen.loaded  # opened from the kept screenful, then every row
        assert cleared == ["staff-received"]
        first = screen.shown_rows[0]
        assert screen.query_one("#staff-received").row_count == len(first.received) > 0
        # Another row still shows its own detail, and back on the first its own again.
        await pilot.press("down")
        await settle(app, pilot)
        assert len(cleared) == 2
        await pilot.press("up")
        await settle(app, pilot)
        assert len(cleared) == 3 and screen.query_one("#staff-received").row_count == len(first.received)


async def test_the_launchs_heap_is_collected_and_frozen_once_its_follow_up_is_done(tmp_path: Path, monkeypatch) -> None:
    # A full collection left due by the launch fell on the first opening of a view (20–60 ms
    # walking the dashboard's objects at a thousand engagements): it is done beforehand, once.
    import gc

    from xtalent.views import firstscreen, rowcache
    from xtalent_screens import dashboard

    done: list[tuple[str, bool]] = []  # (what, the views' kept data written by then)
    real_keep = rowcache.keep_beside

    def keep_beside(store, beside):
        done.append(("keep", False))
        return real_keep(store, beside)

    def kept(root: Path) -> bool:
        return firstscreen.path(root, firstscreen.STAFF).exists() and firstscreen.path(root, firstscreen.ATTENTION).exists()

    monkeypatch.setattr(dashboard, "_heap_settled", False)
    monkeypatch.setattr(rowcache, "keep_beside", keep_beside)
    monkeypatch.setattr(gc, "collect", lambda *a: done.append(("collect", kept(tmp_path / "db"))) or 0)
    monkeypatch.setattr(gc, "freeze", lambda: done.append(("freeze", kept(tmp_path / "db"))))
    async with running(tmp_path) as (app, pilot):
        assert done == [("keep", False), ("collect", True), ("freeze", True)]
        await pilot.press("r")  # a reload's follow-up: the heap is settled already
        await settle(app, pilot)
        assert done == [("keep", False), ("collect", True), ("freeze", True), ("keep", False)]

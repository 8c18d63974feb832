"""Snapshots of the staff screen (p), in Japanese and English, at 120×40 and 80×24: the list
with the selected employee's record and what they receive (one employee receiving in two
engagements; one 異動済み, struck through, stages kept)."""

from __future__ import annotations

from pathlib import Path

import pytest

from xtalent_screens.app import XtalentApp
from tui_support import TODAY, demo_store, settle

SIZES = [(120, 40), (80, 24)]
size_id = lambda s: f"{s[0]}x{s[1]}"  # noqa: E731


@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_staff_screen(snap_compare, tmp_path: Path, lang: str, size: tuple[int, int]) -> None:
    app = XtalentApp(store=demo_store(tmp_path), today=TODAY, lang=lang)

    async def run_before(pilot) -> None:
        app.sub_title = "snapshot"
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        screen = app.screen
        rows = [r.employee.name for r in screen.shown_rows]
        screen.query_one("#staff-table").move_cursor(row=rows.index("中村 美咲"))
        await settle(app, pilot)
        for _ in range(3):  # the detail follows the cursor after a refresh: wait for them, not for time
            await screen.wait_for_refresh()
            await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)

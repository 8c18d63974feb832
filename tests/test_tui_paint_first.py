"""The dashboard's follow-up (rowcache.keep_beside: what the attention view and the staff screen keep)
starts once the frame holding the rows is drawn, not before it.

The screen's own call_after_refresh ran before that frame: the table takes in new rows at its own
idle, which can come after the screen has run its callbacks, so the follow-up (its imports, the
kept files read) competed with the first paint of a cold launch (seen with bench/generate.py's 20
engagements; the demo's 7 happened to come in order).  Not a timing test: it checks the order.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from textual.widgets import DataTable

from xtalent.interchange import load_document
from xtalent.store import Store
from xtalent.views import rowcache
from xtalent_screens.app import XtalentApp

from tui_support import TODAY, settle

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.generate import dataset  # noqa: E402


@pytest.mark.parametrize("kept", [False, True], ids=["cold", "warm"])
async def test_the_follow_up_starts_after_the_frame_with_the_rows(tmp_path: Path, monkeypatch, kept: bool) -> None:
    document = tmp_path / "municipal.json"
    document.write_text(json.dumps(dataset("municipal"), ensure_ascii=False), encoding="utf-8")
    store = Store.open(tmp_path / "db")
    store.import_document(load_document(document))
    shutil.rmtree(store.root / "cache", ignore_errors=True)  # no rows kept: every row computed
    if kept:
        rowcache.current_rows(store, TODAY, "ja")  # today's rows kept: painted at once
    drawn: list[int] = []  # row lines the dashboard's table has drawn
    seen: list[int] = []  # at each start of the follow-up: how many row lines had been drawn
    render_line = DataTable.render_line

    def drawing(table: DataTable, y: int):
        strip = render_line(table, y)
        if table.id == "engagements" and table.row_count and y >= table.header_height:
            drawn.append(y)
        return strip

    follow_up = rowcache.keep_beside

    def recorded(store, beside):
        seen.append(len(drawn))
        return follow_up(store, beside)

    monkeypatch.setattr(DataTable, "render_line", drawing)
    monkeypatch.setattr(rowcache, "keep_beside", recorded)
    app = XtalentApp(store=store, today=TODAY, lang="ja")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.screen.loaded and app.screen.query_one("#engagements", DataTable).row_count == 20
    assert len(seen) == 1 and seen[0] > 0

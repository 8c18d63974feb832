"""Enter on a know-how cell: the receiver's stage history with who moved it, and the item's
evidence — added, edited, removed (undoable) and opened."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from xtalent_screens.engagement.cell import CellScreen
from xtalent_screens.forms import EvidenceForm

from forms_support import fill, make_app, reopen, settle
from tui_support import SIZE, engagement, open_engagement


def table_rows(screen, selector: str) -> list[list[str]]:
    table = screen.query_one(selector)
    return [[str(c) for c in table.get_row_at(n)] for n in range(table.row_count)]


async def test_a_cell_shows_its_history_and_evidence_can_be_kept_current(tmp_path: Path, monkeypatch) -> None:
    app = make_app(tmp_path, "ja", engagement())
    app.session.who = "tanaka"
    opened: list[str] = []
    monkeypatch.setattr("xtalent.opener.open_link", lambda link: opened.append(link))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        eng = await open_engagement(app, pilot, "en-test", "items")
        eng.pane("items").select_cell("kh-1", "st-2")
        await pilot.press("]")  # 鈴木: shadowing → together, recorded by tanaka
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        cell = app.screen
        assert isinstance(cell, CellScreen)
        assert "鈴木 花子" in str(cell.query_one("#cell-title").render())
        [move] = table_rows(cell, "#cell-moves")
        assert move == ["2026-11-23", "鈴木 花子", "協働", "tanaka"]
        assert table_rows(cell, "#cell-evidence") == []

        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, EvidenceForm)
        fill(app.screen, note="フロー図の演習記録", link="https://example.jp/flow")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert table_rows(cell, "#cell-evidence") == [["2026-11-23", "フロー図の演習記録", "https://example.jp/flow"]]

        await pilot.press("e")
        await settle(app, pilot)
        fill(app.screen, note="フロー図の演習記録（第2回）")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert table_rows(cell, "#cell-evidence")[0][1] == "フロー図の演習記録（第2回）"

        await pilot.press("o")
        await settle(app, pilot)
        assert opened == ["https://example.jp/flow"]

        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert table_rows(cell, "#cell-evidence") == []
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("ctrl+z")  # the removal is undone
        await settle(app, pilot)
    [evidence] = reopen(app).get("en-test").items[0].evidence
    assert (evidence.note, evidence.link) == ("フロー図の演習記録（第2回）", "https://example.jp/flow")

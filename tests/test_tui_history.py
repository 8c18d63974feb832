"""The history screen (h): the change log survives a restart, names who changed what, opens on
the engagement it was called from (f: the whole database), filters with /, details on the row."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from xtalent_screens.app import XtalentApp
from xtalent_screens.history import HistoryScreen
from xtalent.store import Store

from forms_support import TODAY, settle
from tui_support import SIZE, engagement, open_engagement


def app_as(folder: Path, who: str) -> XtalentApp:
    app = XtalentApp(store=Store.open(folder / "db"), today=TODAY, lang="ja")
    app.session.clock = lambda: datetime(2026, 11, 23, 10, 0)
    app.session.who = who
    return app


def rows(screen: HistoryScreen) -> list[list[str]]:
    table = screen.query_one("#history")
    return [[str(c) for c in table.get_row_at(n)] for n in range(table.row_count)]


async def test_the_log_survives_a_restart_and_says_who(tmp_path: Path) -> None:
    Store.open(tmp_path / "db").save(engagement())
    Store.open(tmp_path / "db").save(engagement(id="en-other", person={"name": "別の 人"}))
    first = app_as(tmp_path, "tanaka")
    async with first.run_test(size=SIZE) as pilot:
        await settle(first, pilot)
        await open_engagement(first, pilot, "en-test", "items")
        first.screen.pane("items").select_cell("kh-1", "st-2")
        await pilot.press("]")
        await settle(first, pilot)
    second = app_as(tmp_path, "suzuki")  # another day, another person: a new process
    async with second.run_test(size=SIZE) as pilot:
        await settle(second, pilot)
        await open_engagement(second, pilot, "en-other", "overview")
        await pilot.press("h")
        await settle(second, pilot)
        history = second.screen
        assert isinstance(history, HistoryScreen)
        assert rows(history) == []  # this engagement: nothing changed yet
        await pilot.press("f")  # the whole database
        await settle(second, pilot)
        [row] = rows(history)
        assert row[0] == "2026-11-23 10:00" and row[1] == "tanaka" and row[2] == "山田 太郎"
        assert row[3].startswith("段階を進める: 業務フロー図の作り方 / 鈴木 花子")
        assert "段階: 見学 → 協働" in row[4]  # the field and its values in the catalog's words
        detail = str(history.query_one("#history-detail").render())
        assert "ノウハウ項目 / 「業務フロー図の作り方」 / 受け手 / 「鈴木 花子」 / 段階: 見学 → 協働" in detail
        assert "items[" not in detail and "shadowing" not in detail
        await pilot.press("slash")
        await pilot.press(*"suzuki")
        await settle(second, pilot)
        assert rows(history) == []  # nobody named suzuki changed anything
        await pilot.press("escape")
        await settle(second, pilot)
        assert not isinstance(second.screen, HistoryScreen)

"""Undo/redo and history through the UI, and noticing another process's changes."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from forms_support import fill, make_app, new_engagement_form, open_form, reopen, settle, submit
from xtalent_screens.forms import EngagementForm, StaffForm
from xtalent_screens.history import HistoryScreen
from tui_support import SIZE, engagement, notices
from xtalent.store import Store


async def create_through_the_form(app, pilot) -> str:
    await new_engagement_form(app, pilot)
    await submit(app, pilot, person__name="山田 太郎", role="cdo", organisation="みどり野市",
                 term_start="R8.4.1", term_end="R9.3.31")
    [created] = reopen(app).engagements()
    return created.id


async def test_undo_and_redo_several_steps_then_history(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        eid = await create_through_the_form(app, pilot)
        for name in ("佐藤 一郎", "鈴木 花子"):
            await open_form(app, pilot, eid, "staff")
            await submit(app, pilot, name=name)
        assert [s.name for s in reopen(app).get(eid).staff] == ["佐藤 一郎", "鈴木 花子"]

        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert [s.name for s in reopen(app).get(eid).staff] == ["佐藤 一郎"]
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert reopen(app).get(eid).staff == []
        await pilot.press("ctrl+z")  # undoing the creation deletes it
        await settle(app, pilot)
        assert reopen(app).engagements() == []
        assert app.screen.query_one("#engagements", DataTable).row_count == 0  # the dashboard reloaded

        await pilot.press("ctrl+y", "ctrl+y")
        await settle(app, pilot)
        assert [s.name for s in reopen(app).get(eid).staff] == ["佐藤 一郎"]

        await pilot.press("h")
        await settle(app, pilot)
        history = app.screen
        assert isinstance(history, HistoryScreen)
        table = history.query_one("#history", DataTable)
        texts = [str(table.get_row_at(n)[3]) for n in range(table.row_count)]
        assert texts[0] == "やり直し: 受入れ職員を追加: 佐藤 一郎"  # newest first
        assert texts[-1] == "契約を登録: 山田 太郎"
        assert len(texts) == 8
        # undo works from the history screen too, and the list follows
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert table.row_count == 9
        assert reopen(app).get(eid).staff == []
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, HistoryScreen)


async def test_nothing_to_undo_says_so(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await app.run_action("undo")
        await settle(app, pilot)
        assert any("元に戻せる変更はありません" in n.message for n in notices(app))


async def test_ctrl_z_in_a_form_does_not_undo_stored_data(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        eid = await create_through_the_form(app, pilot)
        await open_form(app, pilot, eid, "staff")
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert isinstance(app.screen, StaffForm)
        assert [e.id for e in reopen(app).engagements()] == [eid]


async def test_an_undo_over_someone_elses_change_is_refused_and_reloads(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        eid = await create_through_the_form(app, pilot)
        other = Store.open(tmp_path / "db")
        other.save(other.get(eid).model_copy(update={"notes": "人事課で追記"}))
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert any("元に戻せません" in n.message for n in notices(app))
        assert reopen(app).get(eid).notes == "人事課で追記"


async def test_another_process_changing_the_files_reloads_the_screens(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#engagements", DataTable)
        assert table.row_count == 0
        Store.open(tmp_path / "db").save(engagement())
        app.check_files()  # what the 2-second timer does
        await settle(app, pilot)
        assert table.row_count == 1
        assert any("別の利用者がデータを変更" in n.message for n in notices(app))
        # our own saves are not reported as someone else's
        count = len(notices(app))
        await open_form(app, pilot, "en-test", "staff")
        await submit(app, pilot, name="新井 一子")
        app.check_files()
        await settle(app, pilot)
        assert not any("別の利用者" in n.message for n in notices(app)[count:])


async def test_cancel_leaves_no_trace(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_engagement_form(app, pilot)
        assert isinstance(app.screen, EngagementForm)
        fill(app.screen, person__name="途中まで")
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, EngagementForm)
        assert reopen(app).engagements() == [] and not app.session.can_undo()

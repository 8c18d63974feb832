"""The engagement screen on the demo: every tab, the fast paths, jumping to a warning's subject,
export, language — asserting on what was STORED afterwards."""

from __future__ import annotations

import csv
import io
import json

from textual.widgets import DataTable, Input, Select, Static, TabbedContent

from tui_support import TODAY, notices, on_a_together_cell, open_engagement, reception_in, running, settle, stored, text_of
from xtalent_screens.dashboard import DashboardScreen
from xtalent_screens.export_dialog import ExportDialog
from xtalent import metrics
from xtalent.models import Stage

HAYASE = "en-2025-cdo-hayase"  # the model engagement: 8 items, 6 staff, 39 log entries
KURODA = "en-2026-ria-kuroda"  # warnings about targets and stalled items


def table(screen, name: str) -> DataTable:
    return screen.query_one(f"#{name}-table", DataTable)


def cursor_key(t: DataTable) -> str:
    return str(t.coordinate_to_cell_key(t.cursor_coordinate).row_key.value)


async def test_every_tab_shows_its_content(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = await open_engagement(app, pilot, HAYASE)
        e = stored(tmp_path, HAYASE)
        facts = text_of(screen.query_one("#overview-facts", Static))
        assert "早瀬 誠司" in facts and "あと128日" in facts and "令和8年度" in facts
        assert "連絡先（メール）" in facts and "hayase@example.jp" in facts  # typed at registration, shown here
        readiness = text_of(screen.query_one("#overview-readiness", Static))
        score = metrics.readiness(e, TODAY, "ja")
        assert "引継ぎ準備度" in readiness and f"{int(score.value)} / 100" in readiness
        assert all(part in readiness for part, _ in score.why)
        await pilot.press("2")
        assert screen.active_tab() == "targets" and table(screen, "targets").row_count == len(e.targets)
        await pilot.press("3")
        items = table(screen, "items")
        assert items.row_count == len(e.items) and len(items.columns) == 1 + len(e.staff) + 2
        assert "0 未着手" in text_of(screen.query_one("#items-legend", Static))
        await pilot.press("4")
        structure = table(screen, "structure")
        assert structure.row_count == len(e.staff)
        first = [str(getattr(c, "plain", c)) for c in structure.get_row_at(0)]
        assert first[0] == "★" and first[2] == "受入れリーダー"
        await pilot.press("5")
        assert table(screen, "log").row_count == len(e.log)
        chart = text_of(screen.query_one("#log-chart", Static))
        assert "2026-11" in chart and "契約 46.5時間" in chart  # 6 days of 7h45m
        await pilot.press("6")
        assert table(screen, "warnings").row_count == 0
        assert "警告はありません" in text_of(screen.query_one("#warnings-detail", Static))


async def test_advance_and_regress_a_stage_with_one_key(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen, _, item, reception = await on_a_together_cell(app, pilot, tmp_path, HAYASE)
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        after = stored(tmp_path, HAYASE)
        got = reception_in(after, item.id, reception.staff_id)
        assert got.stage is Stage.SUPPORTED
        assert got.history[-1].on == TODAY and got.history[-1].stage is Stage.SUPPORTED
        assert len(got.history) == len(reception.history) + 1
        # the cursor stays on the cell, which shows the new stage
        items = table(screen, "items")
        assert cursor_key(items) == item.id and "4 自走" in str(items.get_cell_at(items.cursor_coordinate))
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        again = reception_in(stored(tmp_path, HAYASE), item.id, reception.staff_id)
        assert again.stage is Stage.TOGETHER and len(again.history) == len(reception.history) + 2
        await pilot.press("ctrl+z")  # undo goes through the same session
        await settle(app, pilot)
        undone = reception_in(stored(tmp_path, HAYASE), item.id, reception.staff_id)
        assert undone.stage is Stage.SUPPORTED


async def test_a_refused_step_is_a_notification_not_a_crash(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = await open_engagement(app, pilot, HAYASE, tab="items")
        before = stored(tmp_path, HAYASE)
        item = next(i for i in before.items if any(r.stage is Stage.VERIFIED for r in i.receivers))
        staff = next(r.staff_id for r in item.receivers if r.stage is Stage.VERIFIED)
        screen.pane("items").select_cell(item.id, staff)
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert stored(tmp_path, HAYASE).revision == before.revision
        assert any("最後の段階" in n.message for n in notices(app))
        assert app.screen is screen


async def test_log_a_consultation_in_a_few_keystrokes(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = await open_engagement(app, pilot, HAYASE)
        before = len(stored(tmp_path, HAYASE).log)
        await pilot.press("l")
        await settle(app, pilot)
        await pilot.press(*"予算要求の相談", "enter")
        await settle(app, pilot)
        log = stored(tmp_path, HAYASE).log
        assert len(log) == before + 1
        entry = next(e for e in log if e.topic == "予算要求の相談")
        assert entry.on == TODAY and entry.minutes == 30 and entry.in_scope
        assert app.screen is screen and screen.active_tab() == "log"
        assert cursor_key(table(screen, "log")) == entry.id


async def test_add_evidence_to_the_selected_item(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = await open_engagement(app, pilot, HAYASE, tab="items")
        item_id = cursor_key(table(screen, "items"))
        before = len(next(i for i in stored(tmp_path, HAYASE).items if i.id == item_id).evidence)
        await pilot.press("v")
        await settle(app, pilot)
        await pilot.press("tab", *"手順書を職員が改訂", "ctrl+s")
        await settle(app, pilot)
        evidence = next(i for i in stored(tmp_path, HAYASE).items if i.id == item_id).evidence
        assert len(evidence) == before + 1 and evidence[-1].note == "手順書を職員が改訂" and evidence[-1].on == TODAY


async def test_enter_on_a_warning_jumps_to_its_subject(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = await open_engagement(app, pilot, KURODA, tab="warnings")
        warnings = table(screen, "warnings")
        assert warnings.row_count == 9
        assert "理由" in text_of(screen.query_one("#warnings-detail", Static))
        rows = screen.pane("warnings").rows
        stalled = next(n for n, r in enumerate(rows) if r.code == "transfer-stalled")
        warnings.move_cursor(row=stalled)
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.active_tab() == "items" and cursor_key(table(screen, "items")) == rows[stalled].subject_id
        await pilot.press("6")
        target = next(n for n, r in enumerate(rows) if r.tab == "targets")
        warnings.move_cursor(row=target)
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.active_tab() == "targets" and cursor_key(table(screen, "targets")) == rows[target].subject_id


async def test_export_the_checklist_and_confirm_before_overwriting(tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    async with running(tmp_path) as (app, pilot):
        await open_engagement(app, pilot, HAYASE)
        for fmt in ("csv", "json", "xlsx"):
            await pilot.press("x")
            await settle(app, pilot)
            dialog = app.screen
            assert isinstance(dialog, ExportDialog)
            dialog.query_one("#export-format", Select).value = fmt
            dialog.query_one("#export-folder", Input).value = str(out)
            await pilot.pause()
            name = dialog.query_one("#export-name", Input).value
            assert name.endswith(f".{fmt}") and "早瀬" in name
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert not isinstance(app.screen, ExportDialog)
            assert (out / name).is_file()
        files = {p.suffix: p for p in out.iterdir()}
        rows = list(csv.reader(io.StringIO(files[".csv"].read_text(encoding="utf-8-sig"))))
        assert len(rows) > 5 and any("早瀬 誠司" in cell for row in rows for cell in row)
        assert json.loads(files[".json"].read_text(encoding="utf-8"))["engagements"][0]["id"] == HAYASE
        # The interchange document carries its receivers' employee records, and no one else's.
        document = json.loads(files[".json"].read_text(encoding="utf-8"))
        named = {s["employee_id"] for s in document["engagements"][0]["staff"] if s.get("employee_id")}
        assert named and {p["id"] for p in document["people"]} == named
        import openpyxl

        assert openpyxl.load_workbook(files[".xlsx"]).sheetnames
        # again: the file exists, so the dialog asks first; "n" keeps it, "y" overwrites it
        files[".json"].write_text("old", encoding="utf-8")
        await pilot.press("x")
        await settle(app, pilot)
        app.screen.query_one("#export-format", Select).value = "json"
        app.screen.query_one("#export-folder", Input).value = str(out)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportDialog) and files[".json"].read_text(encoding="utf-8") == "old"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert json.loads(files[".json"].read_text(encoding="utf-8"))["engagements"][0]["id"] == HAYASE


async def test_export_to_a_missing_folder_says_so_beside_the_field(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        await open_engagement(app, pilot, HAYASE)
        await pilot.press("x")
        await settle(app, pilot)
        app.screen.query_one("#export-folder", Input).value = str(tmp_path / "nowhere")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportDialog)
        error = app.screen.query_one("#export-folder-error", Static)
        assert error.display and "ありません" in text_of(error)


async def test_f2_relabels_the_tabs_and_escape_goes_back(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = await open_engagement(app, pilot, KURODA)
        await pilot.press("f2")
        await settle(app, pilot)
        tabs = screen.query_one("#eng-tabs", TabbedContent)
        assert tabs.get_tab("tab-items").label.plain == "3 Know-how"
        assert tabs.get_tab("tab-warnings").label.plain == "6 Warnings (9)"
        assert "Person" in text_of(screen.query_one("#overview-facts", Static))
        await pilot.press("f2")
        await settle(app, pilot)
        assert tabs.get_tab("tab-items").label.plain == "3 ノウハウ"
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)


async def test_a_change_made_elsewhere_shows_after_refresh(tmp_path) -> None:
    from xtalent.store import Store

    async with running(tmp_path) as (app, pilot):
        screen = await open_engagement(app, pilot, HAYASE, tab="targets")
        other = Store.open(tmp_path / "db")  # another xtalent on the same database
        e = other.get(HAYASE)
        first = e.targets[0].model_copy(update={"title": "別の端末で変えた目標"})
        other.save(e.model_copy(update={"targets": [first, *e.targets[1:]]}))
        app.data_changed()  # what the file watcher calls when the fingerprint changes
        await settle(app, pilot)
        assert str(table(screen, "targets").get_cell_at((0, 0))) == "別の端末で変えた目標"
        await pilot.press("escape")
        await settle(app, pilot)
        dash_table = app.screen.query_one("#engagements", DataTable)
        assert dash_table.row_count == 7


async def test_export_from_the_dashboard_row(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        table_ = app.screen.query_one("#engagements", DataTable)
        table_.move_cursor(row=table_.get_row_index(KURODA))
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportDialog) and app.screen.engagement.id == KURODA
        assert "黒田" in app.screen.query_one("#export-name", Input).value
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)


async def test_delete_the_engagement_from_its_overview_after_confirming(tmp_path) -> None:
    from xtalent.store import Store

    async with running(tmp_path) as (app, pilot):
        await open_engagement(app, pilot, KURODA)
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("n")  # not yet
        await settle(app, pilot)
        assert KURODA in {e.id for e in Store.open(tmp_path / "db").engagements()}
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert KURODA not in {e.id for e in Store.open(tmp_path / "db").engagements()}
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.query_one("#engagements", DataTable).row_count == 6
        assert not any(n.severity == "error" for n in notices(app))


async def test_add_a_target_through_the_form(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = await open_engagement(app, pilot, KURODA, tab="targets")
        before = len(stored(tmp_path, KURODA).targets)
        await pilot.press("a")
        await settle(app, pilot)
        await pilot.press(*"オープンデータ研修の内製化", "ctrl+s")
        await settle(app, pilot)
        targets = stored(tmp_path, KURODA).targets
        assert len(targets) == before + 1 and targets[-1].title == "オープンデータ研修の内製化"
        assert cursor_key(table(screen, "targets")) == targets[-1].id


async def test_add_and_edit_are_not_offered_where_they_do_nothing(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = await open_engagement(app, pilot, "en-2025-sanyo-mochizuki", tab="warnings")
        keys = {b.binding.action for b in screen.active_bindings.values() if b.enabled}
        shown = {b.binding.action for b in screen.active_bindings.values()}
        assert "add_record" not in shown and "edit_record" not in shown and "add_record" not in keys
        await pilot.press("1")  # the overview: e edits the engagement, there is nothing to add
        await settle(app, pilot)
        shown = {b.binding.action for b in app.screen.active_bindings.values()}
        assert "add_record" not in shown and "edit_record" in shown

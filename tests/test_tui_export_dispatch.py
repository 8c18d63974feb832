"""The 実施報告書 from the TUI: x on the log tab of a dispatched advisor preselects the report of
the selected entry's day; the dialog offers one dispatch or all, and only for a dispatch scheme."""

from __future__ import annotations

import openpyxl
from textual.widgets import DataTable, Input, Select, Static

from tui_support import open_engagement, running, settle, text_of
from xtalent_screens.export_dialog import ExportDialog

KURODA = "en-2026-ria-kuroda"


async def test_x_on_the_log_tab_exports_the_selected_days_report(tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    async with running(tmp_path) as (app, pilot):
        screen = await open_engagement(app, pilot, KURODA, "log")
        table = screen.query_one("#log-table", DataTable)
        table.move_cursor(row=table.get_row_index("lg-kuroda-002"))
        await settle(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#export-record", Select).value == "dispatch"
        assert dialog.query_one("#export-dispatch-row").display
        days = dialog.query_one("#export-dispatch", Select)
        assert days.value == "2026-05-27"
        assert [label for label, value in days._options if value != Select.NULL] == [
            "すべての派遣（3回）", "令和8年4月15日（記録1件）", "令和8年5月27日（記録1件）", "令和8年6月24日（記録1件）"]
        assert "実施報告書を書き出す — 黒田 智明" in text_of(dialog.query_one("#export-title", Static))
        dialog.query_one("#export-folder", Input).value = str(out)
        await pilot.pause()
        name = dialog.query_one("#export-name", Input).value
        assert name == "実施報告書_黒田_智明_20260527.xlsx"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ExportDialog)
        book = openpyxl.load_workbook(out / name)
        assert book.sheetnames == ["実施報告書 2026-05-27"]

        # Every dispatch, as Markdown, from the same dialog.
        await pilot.press("x")
        await settle(app, pilot)
        dialog = app.screen
        dialog.query_one("#export-dispatch", Select).value = "all"
        dialog.query_one("#export-format", Select).value = "md"
        dialog.query_one("#export-folder", Input).value = str(out)
        await pilot.pause()
        name = dialog.query_one("#export-name", Input).value
        assert name == "実施報告書_黒田_智明_20261123.md"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert (out / name).read_text(encoding="utf-8").count("# 実施報告書 — 黒田 智明") == 3


async def test_no_dispatch_report_for_other_schemes(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        await open_engagement(app, pilot, "en-2025-cdo-hayase", "log")
        await pilot.press("x")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        record = dialog.query_one("#export-record", Select)
        assert record.value == "checklist"
        assert [value for _, value in record._options if value != Select.NULL] == ["checklist", "handover"]
        assert not dialog.query_one("#export-dispatch-row").display

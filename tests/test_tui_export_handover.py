"""The export dialog's choice between the working checklist and the 事務引継書."""

from __future__ import annotations

import openpyxl
from textual.widgets import Input, Select, Static

from tui_support import SIZE, open_engagement, running, settle, text_of
from xtalent_screens.export_dialog import ExportDialog

SAKURABA = "en-2024-cdoh-sakuraba"  # the demo's closed engagement, its record signed


async def test_export_the_handover_record_from_the_engagement_screen(tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    async with running(tmp_path) as (app, pilot):
        for _ in range(6):  # the filter that shows every engagement, the closed one with them
            await pilot.press("f")
        await settle(app, pilot)
        await open_engagement(app, pilot, SAKURABA)
        await pilot.press("x")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        # The checklist stays the default; the record offers only the formats it has.
        assert dialog.query_one("#export-record", Select).value == "checklist"
        dialog.query_one("#export-format", Select).value = "ics"
        await pilot.pause()
        dialog.query_one("#export-record", Select).value = "handover"
        await pilot.pause()
        fmt = dialog.query_one("#export-format", Select)
        assert fmt.value == "xlsx"
        assert [value for _, value in fmt._options if value != Select.NULL] == ["md", "csv", "xlsx", "html"]
        assert "事務引継書を書き出す" in text_of(dialog.query_one("#export-title", Static))
        dialog.query_one("#export-folder", Input).value = str(out)
        await pilot.pause()
        name = dialog.query_one("#export-name", Input).value
        assert name.startswith("事務引継書_") and name.endswith(".xlsx") and "桜庭" in name
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ExportDialog)
        book = openpyxl.load_workbook(out / name)
        assert book.sheetnames == ["事務引継書", "移転項目"]
        cells = [str(c.value) for row in book.worksheets[0].iter_rows() for c in row if c.value is not None]
        assert "市民課長 小林 正" in cells and "令和8年3月19日" in cells


async def test_closing_with_the_signers_records_the_sign_off(tmp_path) -> None:
    from datetime import date

    from test_tui_lifecycle import MOCHIZUKI, fill_plans
    from tui_support import stored
    from xtalent_screens.engagement.closing import CloseDialog

    async with running(tmp_path) as (app, pilot):
        await open_engagement(app, pilot, MOCHIZUKI)
        await pilot.press("c")
        await settle(app, pilot)
        dialog = await fill_plans(app, pilot)
        assert isinstance(dialog, CloseDialog)
        # The external person and the lead come from the record.
        assert dialog.query_one("#sign-external", Input).value == stored(tmp_path, MOCHIZUKI).person.name
        assert dialog.query_one("#sign-lead", Input).value
        dialog.query_one("#sign-head", Input).value = "総務課長 森 一"
        await pilot.press("ctrl+s")
        await pilot.pause()
        # The 所属長 without the 人事課 is not a sign-off: the dialog says what is missing.
        assert isinstance(app.screen, CloseDialog)
        assert "人事課の担当者の氏名" in str(dialog.query_one("#form-error").content)
        dialog.query_one("#sign-hr", Input).value = "佐々木 智子"
        dialog.query_one("#sign-handover_on", Input).value = "R8.11.20"
        dialog.query_one("#sign-scan", Input).value = "/scans/望月.pdf"
        dialog.query_one("#sign-remarks", Input).value = "文書規程の改正は次年度に"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, CloseDialog)
        e = stored(tmp_path, MOCHIZUKI)
        assert e.closure is not None and e.closure.on == date(2026, 11, 23)
        h = e.handover
        assert h is not None and h.signed_on == date(2026, 11, 23) and h.on == date(2026, 11, 20)
        assert (h.head.name, h.hr.name, h.scan, h.remarks) == ("総務課長 森 一", "佐々木 智子", "/scans/望月.pdf", "文書規程の改正は次年度に")
        assert h.external.signed_on == date(2026, 11, 23) and h.witness is None


async def test_the_record_data_is_typed_in_a_dialog(tmp_path) -> None:
    from datetime import date

    from textual.widgets import TextArea

    from tui_support import stored
    from xtalent_screens.engagement.handover import HandoverDialog

    hayase = "en-2025-cdo-hayase"
    async with running(tmp_path) as (app, pilot):
        await open_engagement(app, pilot, hayase)
        await pilot.press("j")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, HandoverDialog)
        assert dialog.query_one("#handover-external", Input).value == "早瀬 誠司"
        dialog.query_one("#handover-on", Input).value = "R9.3.19"
        dialog.query_one("#handover-head", Input).value = "情報政策課長 田中 守"
        dialog.query_one("#handover-remarks", TextArea).text = "次年度は内製化を。\n二行目"
        dialog.query_one("#handover-files", TextArea).text = "手順書 | 共有/手順 | 最新版\n\n=HYPERLINK(1) | 書庫"
        dialog.query_one("#handover-equipment", TextArea).text = "貸与PC | 物品 | 2027-03-31\nVPN | アカウント"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, HandoverDialog)
        h = stored(tmp_path, hayase).handover
        assert h is not None and h.on == date(2027, 3, 19) and h.signed_on is None
        assert h.head.name == "情報政策課長 田中 守" and h.remarks == "次年度は内製化を。\n二行目"
        assert [(f.title, f.location, f.note) for f in h.files] == [("手順書", "共有/手順", "最新版"), ("=HYPERLINK(1)", "書庫", "")]
        assert [(x.name, x.account, x.returned_on) for x in h.equipment] == [("貸与PC", False, date(2027, 3, 31)), ("VPN", True, None)]
        # A wrong date in a line is said beside the form, nothing is saved.
        await pilot.press("j")
        await settle(app, pilot)
        app.screen.query_one("#handover-equipment", TextArea).text = "PC | 物品 | 32/13"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HandoverDialog)
        assert "1行目" in str(app.screen.query_one("#form-error").content)
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert stored(tmp_path, hayase).handover is None


async def test_the_fiscal_year_report_from_the_dashboard(tmp_path) -> None:
    from xtalent_screens.report_dialog import ReportDialog

    out = tmp_path / "out"
    out.mkdir()
    async with running(tmp_path) as (app, pilot):
        await pilot.press("R")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ReportDialog)
        assert dialog.query_one("#report-fy", Input).value == "令和8年度"  # the current 年度
        dialog.query_one("#report-fy", Input).value = "R8"
        dialog.query_one("#report-folder", Input).value = str(out)
        await pilot.pause()
        assert dialog.query_one("#report-name", Input).value == "実績報告_FY2026.xlsx"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ReportDialog)
        book = openpyxl.load_workbook(out / "実績報告_FY2026.xlsx")
        assert book.sheetnames[0] == "集計" and book["集計"]["A1"].value == "令和8年度 外部デジタル人材 実績報告"


async def test_the_report_of_a_dashboard_filtered_to_one_organisation_is_that_organisations(tmp_path) -> None:
    from tui_support import TODAY, demo_store

    from xtalent_screens.app import XtalentApp
    from xtalent_screens.report_dialog import ReportDialog

    store = demo_store(tmp_path)
    other = store.get("en-2025-adv-okochi")
    store.save(other.model_copy(update={"id": "en-2026-adv-sakura", "organisation": "さくら台町", "revision": 0}))
    out = tmp_path / "out"
    out.mkdir()
    app = XtalentApp(store=store, today=TODAY, lang="ja")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("o")  # the dashboard shows one organisation's engagements
        await settle(app, pilot)
        assert app.screen.organisation == "さくら台町"
        await pilot.press("R")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ReportDialog)
        assert dialog.query_one("#report-org", Input).value == "さくら台町"  # as the CLI's --org
        dialog.query_one("#report-folder", Input).value = str(out)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ReportDialog)
        book = openpyxl.load_workbook(out / "実績報告_FY2026.xlsx")
        assert book["集計"]["A1"].value.startswith("さくら台町 ")

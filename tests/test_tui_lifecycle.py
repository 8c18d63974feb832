"""An engagement's whole life through the TUI: closing with support plans (c), undoing and
reopening it, the status on the dashboard and the overview, the closed and 年度 filters, the
appointment type chosen at registration with its rules at entry."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import DataTable, Input, Static

from forms_support import error_beside, fill, make_app, new_engagement_form, reopen, settle
from xtalent_screens.dashboard import DashboardScreen
from xtalent_screens.engagement import EngagementScreen
from xtalent_screens.engagement.closing import CloseDialog
from xtalent_screens.forms import ConfirmDialog, EngagementForm
from xtalent_screens.help import HelpScreen
from tui_support import SIZE, open_engagement, running, stored, text_of
from tui_support import settle as settle_demo

MOCHIZUKI = "en-2025-sanyo-mochizuki"
SAKURABA = "en-2024-cdoh-sakuraba"  # the demo's closed engagement


def ids(app) -> list[str]:
    table = app.screen.query_one("#engagements", DataTable)
    return [str(table.coordinate_to_cell_key((n, 0)).row_key.value) for n in range(table.row_count)]


def status(app) -> str:
    return str(app.screen.query_one("#dashboard-summary", Static).render())


async def fill_plans(app, pilot, by: str = "人事課 佐々木") -> CloseDialog:
    dialog = app.screen
    assert isinstance(dialog, CloseDialog)
    dialog.query_one("#close-by", Input).value = by
    for n in range(len(dialog.open)):
        dialog.query_one(f"#plan-{n}-who", Input).value = "藤田 和也（総務課 係長）"
        dialog.query_one(f"#plan-{n}-how", Input).value = "月1回、望月氏にオンラインで確認"
        dialog.query_one(f"#plan-{n}-until", Input).value = "R9.3.31"
    return dialog


async def test_closing_with_support_plans_then_undo_and_reopen(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = await open_engagement(app, pilot, MOCHIZUKI)
        assert "在任" in text_of(screen.query_one("#eng-heading", Static))
        await pilot.press("c")
        await settle_demo(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, CloseDialog) and len(dialog.open) == 4

        # Without a plan for every open item, nothing is recorded and the dialog says which.
        dialog.query_one("#close-by", Input).value = "人事課 佐々木"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CloseDialog)
        assert "電子決裁に合わせた文書規程" in str(dialog.query_one("#form-error").content)
        assert stored(tmp_path, MOCHIZUKI).closure is None

        await fill_plans(app, pilot)
        await pilot.press("ctrl+s")
        await settle_demo(app, pilot)
        assert isinstance(app.screen, EngagementScreen)
        closed = stored(tmp_path, MOCHIZUKI)
        assert closed.closure is not None and closed.closure.by == "人事課 佐々木"
        assert closed.closure.on == date(2026, 11, 23) and closed.closure.outcome.value == "open_items"
        assert [p.until for p in closed.closure.support] == [date(2027, 3, 31)] * 4
        heading = text_of(app.screen.query_one("#eng-heading", Static))
        assert "終了（未了あり）" in heading and "●" not in heading  # no warnings on a closed engagement
        assert "藤田 和也" in text_of(app.screen.query_one("#overview-facts", Static))

        await pilot.press("ctrl+z")  # closing is undoable
        await settle_demo(app, pilot)
        assert stored(tmp_path, MOCHIZUKI).closure is None
        await pilot.press("ctrl+y")
        await settle_demo(app, pilot)
        assert stored(tmp_path, MOCHIZUKI).closure is not None

        await pilot.press("c")  # on a closed engagement: reopen, after asking
        await settle_demo(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle_demo(app, pilot)
        assert stored(tmp_path, MOCHIZUKI).closure is None
        assert "●" in text_of(app.screen.query_one("#eng-heading", Static))  # its warnings are back


async def test_close_is_a_footer_key_and_a_palette_command(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await open_engagement(app, pilot, MOCHIZUKI)
        shown = {b.binding.id for b in app.screen.active_bindings.values() if b.binding.show}
        assert "eng_close" in shown
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "終了・再開" in titles


async def test_a_closed_engagement_leaves_the_default_dashboard_and_a_filter_shows_it(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        assert isinstance(app.screen, DashboardScreen)
        assert SAKURABA not in ids(app) and len(ids(app)) == 7 and "7/8件" in status(app)
        table = app.screen.query_one("#engagements", DataTable)
        row = [str(getattr(c, "plain", c)) for c in table.get_row(MOCHIZUKI)]
        assert "在任" in row
        for _ in range(6):  # 完了・終了以外 → 任期中 → 90日以内 → 任期終了 → 警告あり → 重大 → 完了・終了
            await pilot.press("f")
        assert "完了・終了" in status(app) and ids(app) == [SAKURABA]
        row = [str(getattr(c, "plain", c)) for c in table.get_row(SAKURABA)]
        assert "終了・未了" in row
        await pilot.press("f")  # すべて: the closed one last
        assert len(ids(app)) == 8 and ids(app)[-1] == SAKURABA


async def test_the_fiscal_year_filter(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await pilot.press("y")  # the current 年度 first
        assert "年度(y): 令和8年度" in status(app)
        assert "en-2025-cdo-hayase" in ids(app)
        await pilot.press("y")  # 令和9年度: only the term reaching into it
        assert "令和9年度" in status(app) and ids(app) == ["en-2026-cdoh-ishiguro"]
        await pilot.press("y")  # then the earlier 年度 (令和7年度)
        assert "令和7年度" in status(app) and MOCHIZUKI in ids(app) and "en-2026-cdoh-ishiguro" not in ids(app)
        await pilot.press("y")  # and every 年度 again
        assert "年度(y)" not in status(app) and len(ids(app)) == 7


async def test_help_explains_the_lifecycle(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(s.content) for s in app.screen.query(Static))  # a str or a cells.Wrapped
        assert "予定 → 在任 → 任期終了・引継ぎ中 → 完了 / 終了（未了あり）" in text and "予算要求" in text


# ----- registration: the appointment type ----------------------------------------------------------

async def test_registration_with_a_type_suggests_its_contract_and_refuses_a_term_crossing_3_31(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        form = await new_engagement_form(app, pilot)
        assert isinstance(form, EngagementForm)
        fill(form, person__name="青山 恵", organisation="みどり野市", appointment_type="fiscal_year_appointee")
        await pilot.pause()
        assert form.query_one("#f-contract-form").value == "fiscal_year_appointee"  # suggested by the type
        fill(form, term_start="2026-10-01", term_end="2027-09-30")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, EngagementForm)  # refused, the rule quoted beside the term end
        beside = error_beside(form, "term_end")
        assert "年度末（2027-03-31）" in beside and "3月31日" in beside
        assert reopen(app).engagements() == []
        fill(form, term_end="2027-03-31")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        [saved] = reopen(app).engagements()
        assert saved.appointment_type == "fiscal_year_appointee" and saved.term_end == date(2027, 3, 31)


async def test_registration_warns_about_a_term_outside_the_type_range_and_saves(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    notes: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        original = app.notify
        app.notify = lambda message, **kw: (notes.append(str(message)), original(message, **kw))[1]  # type: ignore[method-assign]
        form = await new_engagement_form(app, pilot)
        fill(form, person__name="石田 諒", organisation="みどり野市", appointment_type="kigyo_side_job")
        await pilot.pause()
        assert form.query_one("#f-days-per-month", Input).value == "4"  # the type's minimum, suggested
        fill(form, term_start="2026-04-01", term_end="2031-03-31")  # five years
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, EngagementForm)
        [saved] = reopen(app).engagements()
        assert saved.appointment_type == "kigyo_side_job" and saved.contract_form.value == "side_job"
        warned = [n for n in notes if "60か月" in n]
        assert warned and "6か月以上3年以内" in warned[0]  # the rule quoted


async def test_the_after_term_decision_is_recorded_in_the_engagement_form(tmp_path: Path) -> None:
    from tui_support import engagement

    app = make_app(tmp_path, "ja", engagement())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        from xtalent_screens.forms import open_engagement_form

        open_engagement_form(app, app.session.current("en-test"))
        await settle(app, pilot)
        form = app.screen
        fill(form, after_term__decision="successor", after_term__note="公募で後任を探す")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        saved = reopen(app).get("en-test")
        assert saved.after_term is not None and saved.after_term.decision.value == "successor"
        assert saved.after_term.decided_on == date(2026, 11, 23)  # today, when no date is typed


async def test_extending_the_term_in_the_form_keeps_the_earlier_term_and_shows_the_total(tmp_path: Path) -> None:
    from tui_support import engagement

    app = make_app(tmp_path, "ja", engagement())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        from xtalent_screens.forms import open_engagement_form

        open_engagement_form(app, app.session.current("en-test"))
        await settle(app, pilot)
        fill(app.screen, term_end="2028-03-31")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        saved = reopen(app).get("en-test")
        assert saved.term_end == date(2028, 3, 31)
        assert [(c.kind.value, c.end) for c in saved.term_history] == [("extension", date(2027, 3, 31))]
        from xtalent.views.engagement import term_history_text

        assert "通算3年" in term_history_text(saved, "ja")


async def test_the_closing_dialogs_problems_keep_their_mark_on_their_line_at_80_columns(tmp_path: Path) -> None:
    import io

    from rich.console import Console

    async with running(tmp_path, size=(80, 24)) as (app, pilot):
        await open_engagement(app, pilot, MOCHIZUKI)
        await pilot.press("c")
        await settle_demo(app, pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        box = app.screen.query_one("#form-error", Static)
        width = box.content_region.width
        console = Console(width=width, file=io.StringIO(), record=True, legacy_windows=False)
        console.print(box.content)
        lines = console.export_text().rstrip("\n").split("\n")
        assert len([line for line in lines if line.startswith("✗ ")]) == 5  # the recorder and the 4 open items
        assert all(line.strip() != "✗" for line in lines), lines
        assert all(line.startswith(("✗ ", "  ")) for line in lines)  # a problem's further lines under its text

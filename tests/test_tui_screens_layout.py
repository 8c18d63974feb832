"""Screens as people read them: sort wording, onboarding shows the new engagement,
warnings jump to their tab, empty-tab hints, footers at 80 columns, the palette in Japanese."""

from __future__ import annotations

from textual.command import CommandInput, CommandPalette
from textual.widgets import DataTable, Input, Static

from tui_support import engagement, open_engagement, running, settle, text_of
from xtalent_screens.engagement import EngagementScreen
from xtalent.i18n import t

MIYOSHI = "en-2025-kigyo-miyoshi"  # no receiving staff; every consultation in scope


def row_ids(app) -> list[str]:
    table = app.screen.query_one("#engagements", DataTable)
    return [str(table.coordinate_to_cell_key((n, 0)).row_key.value) for n in range(table.row_count)]


async def test_reversing_the_sort_starts_again_from_the_top(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        await pilot.press("s")
        table = app.screen.query_one("#engagements", DataTable)
        table.move_cursor(row=3)
        await pilot.press("S")
        assert table.cursor_row == 0
        status = str(app.screen.query_one("#dashboard-summary", Static).render())
        assert "並べ替え(s/S): 氏名 ん→あ" in status


async def test_a_new_engagement_is_shown_even_under_a_search(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        dashboard = app.screen
        await pilot.press("slash", *"大河内")
        await pilot.press("enter", "f")
        await settle(app, pilot)
        assert len(row_ids(app)) == 1
        new = app.session.create(engagement(id="en-new", person={"name": "山田 花子", "name_kana": "やまだ はなこ"}))
        dashboard.created(new)
        await settle(app, pilot)
        assert isinstance(app.screen, EngagementScreen) and app.screen.engagement_id == "en-new"
        assert app.screen.active_tab() == "overview"
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is dashboard and dashboard.query_one("#dashboard-search", Input).value == ""
        assert "en-new" in row_ids(app) and dashboard.selected_id() == "en-new"


async def test_a_warning_about_the_whole_engagement_opens_the_tab_it_is_about(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = await open_engagement(app, pilot, MIYOSHI, tab="warnings")
        rows = screen.pane("warnings").rows
        n = next(n for n, r in enumerate(rows) if r.code == "no-receiving-structure")
        screen.query_one("#warnings-table", DataTable).move_cursor(row=n)
        await pilot.pause()
        detail = text_of(screen.query_one("#warnings-detail", Static))
        assert "受入れ体制" in detail and detail.index("no-receiving-structure") > detail.index("理由")
        assert all("no-receiving-structure" not in r.message for r in rows)
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.active_tab() == "structure"
        assert screen.query_one("#structure-empty", Static).display
        assert "まだいません" in text_of(screen.query_one("#structure-empty", Static))


async def test_the_load_chart_marks_nothing_out_of_scope_when_all_is_in_scope(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = await open_engagement(app, pilot, MIYOSHI, tab="log")
        assert all(r.in_scope for r in screen.view.log)
        chart = text_of(screen.query_one("#log-chart", Static)).split("\n", 1)[1]
        assert "█" in chart and "▒" not in chart
        assert not screen.query_one("#log-empty", Static).display


async def test_help_and_quit_come_first_in_every_footer_and_the_palette_is_japanese(tmp_path) -> None:
    async with running(tmp_path, size=(80, 24)) as (app, pilot):
        shown = [b.binding for b in app.screen.active_bindings.values() if b.binding.show]
        assert [b.id for b in shown[:2]] == ["help", "quit"]
        palette = app.screen.active_bindings["ctrl+p"].binding
        assert palette.description == "コマンド"
        await open_engagement(app, pilot, MIYOSHI, tab="items")
        shown = [b.binding for b in app.screen.active_bindings.values() if b.binding.show]
        assert [b.id for b in shown[:2]] == ["help", "quit"]
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(CommandInput).placeholder == t("ui.palette.placeholder")


async def test_the_term_end_drops_its_fiscal_year_when_narrow(tmp_path) -> None:
    async with running(tmp_path, size=(80, 24)) as (app, pilot):
        table = app.screen.query_one("#engagements", DataTable)
        labels = [c.label.plain for c in table.ordered_columns]
        assert "任期終了" in labels
        cells = [str(table.get_cell_at((0, n))) for n in range(len(labels))]
        assert not any("令和" in c for c in cells)
        # The legend's marks and labels are said once, by the summary band's one line.
        assert not app.screen.query_one("#dashboard-legend", Static).display
        assert text_of(app.screen.query_one("#dashboard-band-line", Static)).startswith("●重大")
    async with running(tmp_path / "wide", size=(140, 30)) as (app, pilot):
        table = app.screen.query_one("#engagements", DataTable)
        assert "任期終了（年度）" in [c.label.plain for c in table.ordered_columns]


async def test_the_footer_shows_whole_keys_that_never_run_under_the_palette_key(tmp_path) -> None:
    """On the know-how tab at 80–112 columns the keys ran on under the docked ^p key and its label
    came out garbled (▏^p コマ  ド); now a key is shown whole or not at all, in its order."""
    from xtalent_screens.footer import XFooter

    async with running(tmp_path, size=(80, 24)) as (app, pilot):
        await open_engagement(app, pilot, MIYOSHI, tab="items")
        seen: dict[int, list[str]] = {}
        for width in (*range(80, 113, 4), 140, 86):
            await pilot.resize_terminal(width, 24)
            await settle(app, pilot)
            footer = app.screen.query_one(XFooter)
            [palette] = [k for k in footer.children if k.has_class("-command-palette")]
            keys = [k for k in footer.children if not k.has_class("-command-palette")]
            shown = [k for k in keys if k.display]
            assert palette.display and palette.region.right == width
            assert all(k.region.right <= palette.region.x for k in shown), width
            assert shown == keys[:len(shown)]  # the first ones, none skipped
            seen[width] = [k.key for k in shown]
        assert seen[80][:2] == ["question_mark", "q"] and len(seen[140]) > len(seen[112]) > len(seen[80])
        assert seen[86] == seen[84] or len(seen[86]) >= len(seen[84])  # narrowing again gives them back

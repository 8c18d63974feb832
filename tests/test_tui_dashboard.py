"""The dashboard driven through the keyboard on the demo data (みどり野市, 7 engagements)."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from tui_support import open_engagement, running, settle
from xtalent_screens.dashboard import DashboardScreen
from xtalent_screens.engagement import EngagementScreen

ALL = 7  # the demo's eight engagements but the closed one, which the default filter leaves out


def ids(app) -> list[str]:
    table = app.screen.query_one("#engagements", DataTable)
    return [str(table.coordinate_to_cell_key((n, 0)).row_key.value) for n in range(table.row_count)]


def status(app) -> str:
    return str(app.screen.query_one("#dashboard-summary", Static).render())


def headers(app) -> list[str]:
    table = app.screen.query_one("#engagements", DataTable)
    return [column.label.plain for column in table.ordered_columns]


async def test_lists_every_engagement_by_urgency(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        assert isinstance(app.screen, DashboardScreen)
        shown = ids(app)
        assert len(shown) == ALL
        # critical and open first, the nearest end first (望月: 38 days, about 2.4 contracted days),
        # the ended one (藤堂) last; the closed one (桜庭) is not in the default list
        assert shown[0] == "en-2025-sanyo-mochizuki" and shown[-1] == "en-2026-adv-todo"
        assert set(shown[1:3]) == {"en-2025-kigyo-miyoshi", "en-2026-ria-kuroda"}  # critical, 128 days
        assert "en-2024-cdoh-sakuraba" not in shown
        assert "7/8件" in status(app) and "みどり野市" in status(app) and "緊急度" in status(app)
        table = app.screen.query_one("#engagements", DataTable)
        row = [str(getattr(c, "plain", c)) for c in table.get_row("en-2025-cdo-hayase")]
        assert row[0] == "早瀬 誠司" and "あと128日" in row and "████░ 7/8" in row and "CDO" in row and "在任" in row
        assert "引継ぎ中" in [str(getattr(c, "plain", c)) for c in table.get_row("en-2026-adv-todo")]


async def test_search_narrows_as_you_type_and_escape_clears(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        await pilot.press("slash")
        assert app.screen.query_one("#dashboard-search", Input).has_focus
        await pilot.press(*"はやせ")
        assert ids(app) == ["en-2025-cdo-hayase"]
        app.screen.query_one("#dashboard-search", Input).value = "ｃｄｏ"  # full-width, as an IME types it
        await pilot.pause()
        assert sorted(ids(app)) == ["en-2025-cdo-hayase", "en-2026-cdoh-ishiguro"]
        app.screen.query_one("#dashboard-search", Input).value = "返礼品"  # an item title
        await pilot.pause()
        assert ids(app) == ["en-2025-kigyo-miyoshi"]
        await pilot.press("escape")
        assert len(ids(app)) == ALL
        assert app.screen.query_one("#engagements", DataTable).has_focus


async def test_filter_cycles_and_is_shown_in_the_status_line(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        await pilot.press("f")
        assert "任期中" in status(app) and "en-2026-adv-todo" not in ids(app) and len(ids(app)) == ALL - 1
        await pilot.press("f")
        assert "90日以内に終了" in status(app) and ids(app) == ["en-2025-sanyo-mochizuki"]
        await pilot.press("f")
        assert ids(app) == ["en-2026-adv-todo"]
        await pilot.press("f")
        assert "警告あり（重大を含む）" in status(app)  # everyone open but the CDO, whose handover is on track
        assert "en-2025-cdo-hayase" not in ids(app) and len(ids(app)) == ALL - 1
        await pilot.press("f")
        assert "重大な警告あり" in status(app)
        assert sorted(ids(app)) == ["en-2025-kigyo-miyoshi", "en-2025-sanyo-mochizuki", "en-2026-ria-kuroda"]
        await pilot.press("f")
        assert "完了・終了" in status(app) and ids(app) == ["en-2024-cdoh-sakuraba"]
        await pilot.press("f")
        assert len(ids(app)) == ALL + 1
        await pilot.press("f")
        assert len(ids(app)) == ALL


async def test_sort_by_key_and_by_clicking_a_header(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        await pilot.press("s")  # person, by kana
        assert ids(app)[0] == "en-2026-cdoh-ishiguro"  # いしぐろ
        assert headers(app)[0].endswith("▲") and "氏名 あ→ん" in status(app)
        await pilot.press("S")
        assert ids(app)[-1] == "en-2026-cdoh-ishiguro" and headers(app)[0].endswith("▼") and "ん→あ" in status(app)
        table = app.screen.query_one("#engagements", DataTable)
        index = [c.key.value for c in table.ordered_columns].index("readiness")
        table.post_message(DataTable.HeaderSelected(table, table.ordered_columns[index].key, index, table.ordered_columns[index].label))
        await pilot.pause()
        assert ids(app)[0] == "en-2025-kigyo-miyoshi"  # readiness 15: the lowest first
        assert "準備度" in status(app)
        await pilot.press("s", "s", "s", "s")  # 分身, warnings, status, then back to urgency
        assert "緊急度" in status(app) and ids(app)[0] == "en-2025-sanyo-mochizuki" and ids(app)[-1] == "en-2026-adv-todo"


async def test_enter_opens_the_engagement(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = await open_engagement(app, pilot, "en-2025-cdo-hayase")
        assert isinstance(screen, EngagementScreen) and screen.engagement_id == "en-2025-cdo-hayase"
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)


async def test_f2_switches_to_english_and_back(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        await pilot.press("f2")
        await settle(app, pilot)
        assert headers(app)[0] == "Person" and "of 8" in status(app) and "urgency" in status(app)
        table = app.screen.query_one("#engagements", DataTable)
        assert "Regional revitalization entrepreneur" in [str(getattr(c, "plain", c)) for c in table.get_row("en-2025-kigyo-miyoshi")]
        await pilot.press("f2")
        await settle(app, pilot)
        assert headers(app)[0] == "氏名" and "7/8件" in status(app)


async def test_a_narrow_terminal_keeps_who_days_and_transfer_visible(tmp_path) -> None:
    async with running(tmp_path, size=(80, 24)) as (app, pilot):
        table = app.screen.query_one("#engagements", DataTable)
        first = [c.key.value for c in table.ordered_columns][:3]
        assert first == ["person", "days", "transfer"]
        assert table.fixed_columns == 1


async def test_full_width_keys_from_a_japanese_ime_work_too(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        await pilot.press("ｆ")
        assert "任期中" in status(app)
        await pilot.press("ｓ")
        assert "氏名" in status(app)
        await pilot.press("fullwidth_solidus")
        assert app.screen.query_one("#dashboard-search", Input).has_focus


async def test_d_deletes_the_selected_engagement_after_the_same_confirmation_as_its_overview(tmp_path) -> None:
    from xtalent_screens.forms import ConfirmDialog

    async with running(tmp_path) as (app, pilot):
        table = app.screen.query_one("#engagements", DataTable)
        table.move_cursor(row=table.get_row_index("en-2025-cdo-hayase"))
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        message = str(app.screen.query_one("#confirm-message", Static).content)
        assert "早瀬 誠司" in message and "ノウハウ項目8件" in message
        await pilot.press("escape")  # kept
        await settle(app, pilot)
        assert "en-2025-cdo-hayase" in ids(app) and app.store.get("en-2025-cdo-hayase")
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert "en-2025-cdo-hayase" not in ids(app) and len(ids(app)) == ALL - 1
        assert "en-2025-cdo-hayase" not in {e.id for e in app.store.engagements()}
        await pilot.press("ctrl+z")  # and undone like every delete
        await settle(app, pilot)
        assert "en-2025-cdo-hayase" in ids(app)


async def test_the_written_toast_keeps_the_path_or_at_least_the_file_name_on_one_line(tmp_path) -> None:
    """Rich's own wrap split "….xls⏎x" and "浩二⏎_20261123.xlsx"; at 80–140 columns the toast now
    shows the whole path on one line where it fits, else the file name whole."""
    from pathlib import Path

    short = Path("/tmp/out/引継ぎチェックリスト_望月_浩二_20261123.xlsx")
    long = Path("/home/jinji/共有/令和8年度/デジタル政策参与/引継ぎ資料/引継ぎチェックリスト_望月_浩二_20261123.xlsx")
    from tui_support import TODAY, demo_store
    from xtalent_screens.app import XtalentApp

    app = XtalentApp(store=demo_store(tmp_path), today=TODAY, lang="ja")
    async with app.run_test(size=(80, 40), notifications=True) as pilot:  # toasts are drawn
        for width in (80, 96, 112, 120, 140):
            await pilot.resize_terminal(width, 40)
            await settle(app, pilot)
            for path, whole in ((short, str(short)), (long, long.name)):
                app.clear_notifications()
                app.notify_written(path)
                await settle(app, pilot)
                [toast] = app.screen.query("Toast")
                lines = ["".join(s.text for s in line).strip(" ▌") for line in toast.render_lines(toast.region.reset_offset)]
                assert any(whole in line for line in lines), (width, lines)
                assert "".join(lines).replace(" ", "").endswith(path.name.replace(" ", "")), (width, lines)


async def test_the_no_match_hint_is_whole_at_every_width(tmp_path) -> None:
    """At 140 columns the hint was appended to the status line and cut at the edge; it has a line
    of its own now, wrapped where it must be."""
    async with running(tmp_path, size=(140, 40)) as (app, pilot):
        hint = app.screen.query_one("#dashboard-hint", Static)
        assert not hint.display
        for width in (80, 100, 120, 140, 160):
            await pilot.resize_terminal(width, 40)
            app.screen.query_one("#dashboard-search", Input).value = "該当する人のいない検索語"
            await settle(app, pilot)
            assert hint.display and ids(app) == []
            lines = ["".join(s.text for s in line).strip() for line in hint.render_lines(hint.region.reset_offset)]
            assert "".join(lines) == "条件に合う契約はありません（Esc で検索を消す、f で絞り込みを切り替え）", (width, lines)
            assert "「該当する人のいない検索語」" in status(app)
            await pilot.press("escape")
            await settle(app, pilot)
            assert not hint.display and len(ids(app)) == ALL


async def test_an_empty_database_says_how_to_add_the_first_engagement(tmp_path) -> None:
    from forms_support import make_app

    app = make_app(tmp_path)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(app, pilot)
        hint = app.screen.query_one("#dashboard-hint", Static)
        assert hint.display and str(hint.content) == "契約はまだありません。n で新しい契約を登録できます。"

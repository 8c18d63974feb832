"""The dashboard's summary band driven through the keyboard on the demo: what it shows is the
core's band of the rows the list shows, recomputed from the stored files; it follows the filters
and is fresh after a stage move and after a delete."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tui_support import TODAY, open_engagement, running, settle, text_of
from xtalent.store import Store
from xtalent.views import band
from xtalent.views import dashboard as dash
from xtalent_screens.dashboard import BAND_TILES, DashboardScreen

OKOCHI = "en-2025-adv-okochi"
KURODA = "en-2026-ria-kuroda"


def expected(folder: Path, screen: DashboardScreen, lang: str = "ja") -> band.Band:
    """The core's band of the stored engagements, under the screen's filter, 年度 and search."""
    rows = dash.build_rows(Store.open(folder / "db").engagements(), TODAY, lang)
    shown = dash.view(rows, screen.query_text, screen.filter, None, False, screen.fiscal_year).rows
    return band.band(shown, TODAY, screen.fiscal_year)


def tiles_shown(screen: DashboardScreen) -> list[str]:
    return [text_of(screen.query_one(f"#band-{key}", Static)).rstrip("\n") for key in BAND_TILES]


def tiles_of(b: band.Band, lang: str = "ja") -> list[str]:
    return ["\n".join([tile.title, *tile.texts()]) for tile in band.tiles(b, lang)]


async def test_the_tiles_show_the_cores_band_and_follow_the_filters(tmp_path: Path) -> None:
    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert screen.query_one("#dashboard-band").display
        assert not screen.query_one("#dashboard-band-line").display
        assert screen.band == expected(tmp_path, screen)
        assert tiles_shown(screen) == tiles_of(screen.band)
        assert screen.band.by_severity["critical"] == 3 and screen.band.bunshin == 6
        assert "望月 浩二  あと38日" in tiles_shown(screen)[2]

        await pilot.press("f")  # in term: the ended one (藤堂) leaves the list and the band
        await settle(app, pilot)
        assert screen.filter is dash.Filter.IN_TERM
        assert screen.band == expected(tmp_path, screen)
        assert screen.band.by_status["ended"] == 0 and screen.band.engagements == 6
        assert screen.band.overdue_items == 1  # 藤堂's three overdue items went with her row
        assert tiles_shown(screen) == tiles_of(screen.band)

        for _ in range(len(dash.Filter) - 1):  # round to the default again
            await pilot.press("f")
        await settle(app, pilot)
        await pilot.press("y")  # the current 年度: the change of 分身 is this 年度's
        await settle(app, pilot)
        assert screen.fiscal_year == 2026 and screen.band == expected(tmp_path, screen)
        assert "令和8年度の増減  +6人" in tiles_shown(screen)[-1]

        await pilot.press("slash", *"はやせ", "enter")  # the search narrows the band too
        await settle(app, pilot)
        assert screen.band == expected(tmp_path, screen) and screen.band.engagements == 1
        assert screen.band.by_severity == {"critical": 0, "warning": 0, "info": 0, "none": 1}
        assert tiles_shown(screen) == tiles_of(screen.band)


async def test_the_band_is_fresh_after_a_stage_move(tmp_path: Path) -> None:
    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        dashboard = app.screen
        before = dashboard.band
        eng = await open_engagement(app, pilot, OKOCHI, tab="items")
        eng.pane("items").select_cell("kh-keikaku-kaitei", "st-kimura")  # 協働: two steps from 自立
        await pilot.press("]", "]")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is dashboard
        assert dashboard.band == expected(tmp_path, dashboard)
        assert dashboard.band.bunshin == before.bunshin + 1  # 木村 became a 分身 this 年度
        assert dashboard.band.bunshin_change == before.bunshin_change + 1
        assert tiles_shown(dashboard) == tiles_of(dashboard.band)


async def test_the_band_is_fresh_after_a_delete_and_on_one_line_when_small(tmp_path: Path) -> None:
    async with running(tmp_path, size=(80, 24)) as (app, pilot):
        dashboard = app.screen
        assert not dashboard.query_one("#dashboard-band").display
        line = dashboard.query_one("#dashboard-band-line", Static)
        assert line.display
        assert text_of(line).rstrip("\n") == "●重大3 ▲警告3 ·情報0  90日以内に終了1件  期限超過4項目  分身6人（年度内+6）"
        await open_engagement(app, pilot, KURODA)  # two critical warnings
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen is dashboard and dashboard.band == expected(tmp_path, dashboard)
        assert dashboard.band.engagements == 6 and dashboard.band.by_severity["critical"] == 2
        assert text_of(line).startswith("●重大2 ▲警告3")


async def test_english_through_the_catalog(tmp_path: Path) -> None:
    async with running(tmp_path, lang="en", size=(120, 40)) as (app, pilot):
        screen = app.screen
        assert screen.band == expected(tmp_path, screen, "en")
        shown = tiles_shown(screen)
        assert shown == tiles_of(screen.band, "en")
        assert shown[0].startswith("Status") and shown[-1].startswith("Selves (carry on alone)")

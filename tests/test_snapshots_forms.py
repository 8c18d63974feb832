"""Snapshots of a form showing validation errors beside its fields, ja and en, 120x40 and 80x24."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.screen import Screen

from forms_support import fill, make_app, settle
from xtalent_screens.forms import open_engagement_form, open_record_form
from tui_support import engagement

SIZES = [(120, 40), (80, 24)]


async def steady_cursor(app, pilot) -> None:
    """The text cursor drawn always: a blinking one made the picture depend on the load."""
    for widget in app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    # The form scrolls to its first problem after two refreshes (fit, then scroll): let them run
    # however slow the machine is, so the picture never catches it halfway.
    # Waited for by refresh, not by time: a refresh comes with the screen's timer, which a
    # loaded machine delays past any number of plain pauses.
    for _ in range(4):
        await app.screen.wait_for_refresh()
        await pilot.pause()


async def over_a_blank_screen(app, pilot) -> None:
    """The forms are shown over a blank screen: their snapshots do not change with the dashboard's."""
    app.sub_title = "snapshot"  # not the temporary folder's name
    await settle(app, pilot)
    app.push_screen(Screen())
    await settle(app, pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_onboarding_form_with_errors(snap_compare, tmp_path: Path, lang: str, size: tuple[int, int]) -> None:
    app = make_app(tmp_path, lang)

    async def run_before(pilot) -> None:
        await over_a_blank_screen(app, pilot)
        open_engagement_form(app)
        await settle(app, pilot)
        fill(app.screen, person__name="山田 太郎", person__name_kana="やまだ たろう", organisation="みどり野市",
             term_start="令和9年4月1日", term_end="R9.3.31")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        # The role is missing and the term ends before it starts: both are explained.
        fill(app.screen, role="cdo_deputy")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await steady_cursor(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_log_form_with_a_bad_date(snap_compare, tmp_path: Path, lang: str, size: tuple[int, int]) -> None:
    app = make_app(tmp_path, lang, engagement())

    async def run_before(pilot) -> None:
        await over_a_blank_screen(app, pilot)
        open_record_form(app, app.session.current("en-test"), "log")
        await settle(app, pilot)
        fill(app.screen, on="令和8年2月30日", topic="議会答弁の相談", minutes="九十")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await steady_cursor(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)

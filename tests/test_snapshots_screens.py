"""Snapshots of the dashboard and every engagement tab, in Japanese and English, at 120×40 and 80×24.

Review an updated SVG before accepting it (rsvg-convert x.svg -o x.png): Japanese must line up in
every table, and nothing important may be cut at 80×24.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from xtalent_screens.app import XtalentApp
from tui_support import TODAY, demo_store, open_engagement, settle

SIZES = [(120, 40), (80, 24)]
size_id = lambda s: f"{s[0]}x{s[1]}"  # noqa: E731

# The tab, and the engagement that shows it best: the model engagement has the fullest matrix
# and log; the ministry advisor nobody consults has the warnings.
TABS = [
    ("overview", "en-2025-kigyo-miyoshi"),
    ("targets", "en-2025-cdo-hayase"),
    ("items", "en-2025-cdo-hayase"),
    ("structure", "en-2025-cdo-hayase"),
    ("log", "en-2025-adv-okochi"),
    ("warnings", "en-2026-ria-kuroda"),
]


def make_app(folder: Path, lang: str) -> XtalentApp:
    return XtalentApp(store=demo_store(folder), today=TODAY, lang=lang)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_dashboard(snap_compare, tmp_path: Path, lang: str, size: tuple[int, int]) -> None:
    app = make_app(tmp_path, lang)

    async def run_before(pilot) -> None:
        app.sub_title = "snapshot"  # not the temporary folder's name
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize(("tab", "engagement_id"), TABS, ids=[tab for tab, _ in TABS])
def test_engagement_tab(snap_compare, tmp_path: Path, tab: str, engagement_id: str, lang: str, size: tuple[int, int]) -> None:
    app = make_app(tmp_path, lang)

    async def run_before(pilot) -> None:
        app.sub_title = "snapshot"
        await settle(app, pilot)
        await open_engagement(app, pilot, engagement_id, tab=tab)
        if tab == "items":
            await pilot.press("right")  # a staff member's cell: the line below explains it
            await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_export_dialog(snap_compare, tmp_path: Path, lang: str) -> None:
    app = make_app(tmp_path, lang)

    async def run_before(pilot) -> None:
        app.sub_title = "snapshot"
        await settle(app, pilot)
        await open_engagement(app, pilot, "en-2025-cdo-hayase")
        await pilot.press("x")
        await settle(app, pilot)
        app.screen.query_one("#export-folder").value = "/home/jinji/Documents"  # not the test's cwd
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

"""Snapshots of the DX lead's views, in Japanese and English, at 120×40 and 80×24: the attention
view (w), the history screen (h) and the cell view (Enter on a know-how cell).  The dashboard
with its summary band is in test_snapshots_screens.py.

Review an updated SVG before accepting it (chromium --headless --screenshot on it): Japanese must
line up, and nothing important may be cut at 80×24.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from xtalent_screens.app import XtalentApp
from tui_support import TODAY, demo_store, open_engagement, settle

SIZES = [(120, 40), (80, 24)]
size_id = lambda s: f"{s[0]}x{s[1]}"  # noqa: E731
LANGS = ["ja", "en"]


def make_app(folder: Path, lang: str) -> XtalentApp:
    """The demo, its import logged by 人事 at a fixed time, and edits made by tanaka at another."""
    store = demo_store(folder)
    log = store.root / "changes.jsonl"
    lines = []
    for line in log.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        entry.update({"at": "2026-11-20T09:00:00+09:00", "who": "jinji"})
        lines.append(json.dumps(entry, ensure_ascii=False))
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    app = XtalentApp(store=store, today=TODAY, lang=lang)
    app.session.clock = lambda: datetime(2026, 11, 23, 10, 30)
    app.session.who = "tanaka"
    return app


@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("lang", LANGS)
def test_attention_view(snap_compare, tmp_path: Path, lang: str, size: tuple[int, int]) -> None:
    app = make_app(tmp_path, lang)

    async def run_before(pilot) -> None:
        app.sub_title = "snapshot"
        await settle(app, pilot)
        await pilot.press("w")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("lang", LANGS)
def test_history_screen(snap_compare, tmp_path: Path, lang: str, size: tuple[int, int]) -> None:
    app = make_app(tmp_path, lang)

    async def run_before(pilot) -> None:
        app.sub_title = "snapshot"
        await settle(app, pilot)
        eng = await open_engagement(app, pilot, "en-2025-adv-okochi", tab="items")
        eng.pane("items").select_cell("kh-keikaku-kaitei", "st-kimura")
        await pilot.press("]")  # 木村: 協働 → 自走・支援あり, by tanaka
        await settle(app, pilot)
        app.clear_notifications()  # the move's toast would cover the detail
        await pilot.press("h")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("lang", LANGS)
def test_cell_view(snap_compare, tmp_path: Path, lang: str, size: tuple[int, int]) -> None:
    app = make_app(tmp_path, lang)

    async def run_before(pilot) -> None:
        app.sub_title = "snapshot"
        await settle(app, pilot)
        eng = await open_engagement(app, pilot, "en-2025-cdo-hayase", tab="items")
        eng.pane("items").select_cell("kh-gyomu-flow", "st-kato")  # six moves, four pieces of evidence
        await pilot.press("enter")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)

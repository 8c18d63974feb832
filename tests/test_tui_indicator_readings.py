"""Indicator readings through the UI: the targets form stores a reading when the current value
changes (on the day typed, or today), refuses a day it cannot read beside the field, and the
targets tab lists the readings."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable
from tui_support import open_engagement, running, settle, stored, text_of

from xtalent_screens.forms import TargetForm

HAYASE = "en-2025-cdo-hayase"
MADOGUCHI = "tg-kakanai-madoguchi"


async def test_the_targets_form_adds_a_reading_and_the_tab_shows_them(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = await open_engagement(app, pilot, HAYASE, "targets")
        table = screen.query_one("#targets-table", DataTable)
        table.move_cursor(row=table.get_row_index(MADOGUCHI))
        await settle(app, pilot)
        detail = text_of(screen.query_one("#targets-detail"))
        assert "計測値の推移: 2025-09-30 41分 → 2026-03-31 33分 → 2026-07-31 28分 → 2026-10-30 24分" in detail

        await pilot.press("e")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, TargetForm)
        form.query_one("#f-indicator-current").value = "22"
        form.query_one("#f-indicator-readings").value = "あした"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form  # not saved: the day is explained beside its field
        assert str(form.query_one("#e-indicator-readings").content).startswith("✗")  # a cells.Marked

        form.query_one("#f-indicator-readings").value = "令和8年11月20日"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        detail = text_of(screen.query_one("#targets-detail"))
        assert "2026-10-30 24分 → 2026-11-20 22分" in detail

        # Blank day: today's reading; the value unchanged: no reading at all.
        await pilot.press("e")
        await settle(app, pilot)
        app.screen.query_one("#f-indicator-current").value = "21"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        app.screen.query_one("#f-title").value = "「書かない窓口」の導入（転入・転居・転出）"
        await pilot.press("ctrl+s")
        await settle(app, pilot)

    [target] = [tg for tg in stored(tmp_path, HAYASE).targets if tg.id == MADOGUCHI]
    assert [(r.on, r.value) for r in target.indicator.readings][-2:] == [(date(2026, 11, 20), 22.0), (date(2026, 11, 23), 21.0)]
    assert len(target.indicator.readings) == 6 and target.indicator.current == 21.0
    # Who and when, as for every edit: the change log names the readings among the fields changed.
    from xtalent.changelog import ChangeLog

    edits = [c for c in ChangeLog(tmp_path / "db").entries(HAYASE) if c.action == "edit"]
    assert len(edits) == 3
    assert any("readings" in str(change.get("field", change)) for c in edits[:2] for change in c.changes)

"""The attention view (w): every warning and overdue / due-soon item across engagements, most
serious first; filters; Enter opens the subject; x / c write xlsx / CSV."""

from __future__ import annotations

from pathlib import Path

from xtalent.views import firstscreen
from xtalent_screens.attention import AttentionScreen
from xtalent_screens.engagement.screen import EngagementScreen

from tui_support import every_row_in, recording_kept, running, settle


def rows(screen: AttentionScreen) -> list[list[str]]:
    table = screen.query_one("#attention-table")
    return [[str(c) for c in table.get_row_at(n)] for n in range(table.row_count)]


async def test_the_list_filters_and_opens_the_subject(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # exports land in the test's folder
    async with running(tmp_path) as (app, pilot):
        await pilot.press("w")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AttentionScreen)
        listed = rows(screen)
        assert listed and listed[0][0].endswith("重大")
        severities = [r.severity for r in screen.shown_rows]
        assert severities == sorted(severities, key=["critical", "warning", "info"].index)
        # An overdue item in term is the item-overdue rule's line (one line per cause, not two).
        assert any(r.code == "item-overdue" for r in screen.shown_rows)
        assert not any(r.code == "item.overdue" for r in screen.shown_rows)

        screen.query_one("#filter-rule").value = "期限超過"  # the kinds as HR names them
        await settle(app, pilot)
        assert {r.code for r in screen.shown_rows} == {"item-overdue"}
        first = screen.shown_rows[0]

        await pilot.press("x")
        await settle(app, pilot)
        written = list(tmp_path.rglob("要対応一覧-*.xlsx"))
        assert len(written) == 1
        from openpyxl import load_workbook

        sheet = load_workbook(written[0]).active
        assert sheet.cell(row=3, column=9).value == first.subject  # the filtered rows, as shown

        await pilot.press("enter")
        await settle(app, pilot)
        engagement = app.screen
        assert isinstance(engagement, EngagementScreen) and engagement.engagement_id == first.engagement_id
        assert engagement.active_tab() == "items"
        assert engagement.pane("items").selected_id() == first.subject_id


async def test_a_long_list_goes_in_a_screenful_first_then_in_batches_and_all_of_it_in_order(tmp_path: Path, monkeypatch) -> None:
    import xtalent_screens.usertext as usertext

    monkeypatch.setattr(usertext, "FIRST_ROWS", 3)
    monkeypatch.setattr(usertext, "BATCH_ROWS", 4)
    async with running(tmp_path) as (app, pilot):
        await pilot.press("w")
        await settle(app, pilot)
        screen = app.screen
        table = screen.query_one("#attention-table")
        for _ in range(100):
            if table.row_count == len(screen.shown_rows):
                break
            await pilot.pause()
        assert len(screen.shown_rows) > 10
        assert table.row_count == len(screen.shown_rows)
        message = screen.shown_columns.index("message")
        assert [row[message] for row in rows(screen)] == [r.message for r in screen.shown_rows]  # each row once, in order
        # A filter chosen while batches are still going in starts the list again: no batch of the
        # earlier list lands in it.
        screen.query_one("#filter-rule").value = "期限超過"
        await settle(app, pilot)
        for _ in range(20):
            await pilot.pause()
        assert table.row_count == len(screen.shown_rows) and {r.code for r in screen.shown_rows} == {"item-overdue"}


async def all_rows(app, pilot, screen: AttentionScreen) -> list[list[str]]:
    await every_row_in(pilot, screen, "#attention-table")
    return rows(screen)


async def test_reopened_unchanged_it_shows_the_kept_screenful_then_every_row_once_in_order(tmp_path: Path, monkeypatch) -> None:
    found = recording_kept(monkeypatch, "attention")
    async with running(tmp_path) as (app, pilot):
        # The launch kept one (views/rowcache.keep_beside): gone, as after an edit elsewhere.
        firstscreen.path(app.store.root, firstscreen.ATTENTION).unlink()
        await pilot.press("w")
        await settle(app, pilot)
        first = await all_rows(app, pilot, app.screen)
        assert found == [None]  # nothing kept yet: every row computed, the first screenful kept
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("w")
        await settle(app, pilot)
        screen = app.screen
        assert found[-1] is not None and [r.message for r in found[-1].rows] == [r.message for r in screen.shown_rows[:5]]
        assert await all_rows(app, pilot, screen) == first  # the rest went in after it: each row once, in order
        assert len(first) > 5


async def test_a_saved_stage_move_shows_right_after_reopening_the_view(tmp_path: Path, monkeypatch) -> None:
    from tui_support import open_engagement

    found = recording_kept(monkeypatch, "attention", rows=20)  # the moved stage's rows are 16th and 17th
    async with running(tmp_path) as (app, pilot):
        await pilot.press("w")
        await settle(app, pilot)
        before = await all_rows(app, pilot, app.screen)
        shown_before = list(app.screen.shown_rows)
        await pilot.press("escape")
        await settle(app, pilot)
        engagement = await open_engagement(app, pilot, "en-2025-adv-okochi", tab="items")
        engagement.pane("items").select_cell("kh-keikaku-kaitei", "st-kimura")
        await pilot.press("]")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("w")
        await settle(app, pilot)
        screen = app.screen
        after = await all_rows(app, pilot, screen)
        from xtalent.views.attention import attention_rows

        store = app.store
        expected = attention_rows(store.engagements(), app.today, app.settings, app.lang)
        assert [r.message for r in screen.shown_rows] == [r.message for r in expected]
        assert after != before  # the move changed what the view says
        # The first frame already said it: the kept head with the moved engagement's rows
        # computed again (views/firstscreen.py), not the screenful from before the move.
        first = found[-1]
        assert first is not None and first.rows == expected[:20]
        moved = {r.message for r in expected[:20]} - {r.message for r in shown_before}
        assert moved and all(r.engagement_id == "en-2025-adv-okochi" for r in first.rows if r.message in moved)

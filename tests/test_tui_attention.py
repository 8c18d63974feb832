"""The attention view (w): every warning and overdue / due-soon item across engagements, most
serious first; filters; Enter opens the subject; x / c write xlsx / CSV."""

from __future__ import annotations

from pathlib import Path

from xtalent_screens.attention import AttentionScreen
from xtalent_screens.engagement.screen import EngagementScreen

from tui_support import running, settle


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

"""A stage move redraws what it changed: the cell, its row, the cell's detail line — not the
heading, the legend or the tab labels when they read the same (each Static.update lays the
whole screen out again; see docs/performance.md)."""

from __future__ import annotations

from textual.widgets import Static

from tui_support import on_a_together_cell, reception_in, running, settle, stored, text_of
from xtalent.models import Stage
from xtalent_screens.engagement import screen as engagement_screen

HAYASE = "en-2025-cdo-hayase"


async def test_a_stage_move_sets_only_the_texts_that_changed(tmp_path, monkeypatch) -> None:
    async with running(tmp_path) as (app, pilot):
        screen, before, item, reception = await on_a_together_cell(app, pilot, tmp_path, HAYASE)
        await settle(app, pilot)
        heading = text_of(screen.query_one("#eng-heading", Static))
        detail = text_of(screen.query_one("#items-detail", Static))
        updated: list[str] = []
        original = Static.update

        def spy(self: Static, *args, **kwargs) -> None:
            updated.append(type(self).__name__ if self.id is None else self.id)
            original(self, *args, **kwargs)

        monkeypatch.setattr(Static, "update", spy)
        # The saving worker built the new view (keep_view): the screen builds none of its own.
        rebuilt: list[str] = []
        original_build = engagement_screen.build_view
        monkeypatch.setattr(engagement_screen, "build_view", lambda *a, **k: rebuilt.append("x") or original_build(*a, **k))
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert screen.view.engagement.revision == before.revision + 1
        assert screen.view.engagement == stored(tmp_path, HAYASE) and not rebuilt
        # The detail names the new stage; heading and tabs said the same and were left alone.
        assert text_of(screen.query_one("#items-detail", Static)) != detail
        assert "items-detail" in updated
        if text_of(screen.query_one("#eng-heading", Static)) == heading:
            assert "eng-heading" not in updated
        assert "items-legend" not in updated
        assert not [name for name in updated if name.startswith("--content-tab")]


async def test_two_quick_stage_moves_are_two_steps(tmp_path, monkeypatch) -> None:
    """`]` `]` pressed before the first save is on screen: the second starts from the first's save
    (the user's own), not from the frame it was pressed on, which would make it the same step
    again and lose it (seen under load: 協働 → 支援, not 自立)."""
    import threading

    async with running(tmp_path) as (app, pilot):
        screen, before, item, reception = await on_a_together_cell(app, pilot, tmp_path, HAYASE)
        await settle(app, pilot)
        # The first save waits until the second key has been pressed (a busy machine's order).
        both_pressed = threading.Event()
        session = app.session
        apply = session.apply
        calls: list[int] = []

        def slow_first(*args, **kwargs):
            calls.append(1)
            if len(calls) == 1:
                both_pressed.wait(120)
            return apply(*args, **kwargs)

        monkeypatch.setattr(session, "apply", slow_first)
        await pilot.press("right_square_bracket", "right_square_bracket")
        both_pressed.set()
        await settle(app, pilot)
        after = stored(tmp_path, HAYASE)
        assert reception_in(after, item.id, reception.staff_id).stage is Stage.TOGETHER.step(2)
        assert after.revision == before.revision + 2
        assert screen.view.engagement == after

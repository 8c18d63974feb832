"""The overview's readiness lines: each part's points signed once."""

from __future__ import annotations

from textual.widgets import Static

from tui_support import TODAY, open_engagement, running, stored, text_of
from xtalent import metrics

MOCHIZUKI = "en-2025-sanyo-mochizuki"  # nothing transferred: the cap takes points away


async def test_the_caps_negative_points_are_not_shown_as_plus_minus(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = await open_engagement(app, pilot, MOCHIZUKI)
        readiness = text_of(screen.query_one("#overview-readiness", Static))
        cap = [p for _, p in metrics.readiness(stored(tmp_path, MOCHIZUKI), TODAY, "ja").why if p < 0]
        assert cap, "the demo's 望月 should be capped"
        assert "+-" not in readiness and f"{cap[0]:g}点" in readiness
        assert "+10点" in readiness  # the others keep their plus

"""The handover and closing dialogs: every label has room before its field (受入れリーダー（引受者）
is 24 cells, the forms' label column was 24: the lead's name ran on from the label)."""

from __future__ import annotations

from textual.widgets import Label

from tui_support import open_engagement, running, settle
from xtalent.textwidth import cell_len

TODO = "en-2026-adv-todo"  # 任期終了・引継ぎ中


def cramped(screen) -> list[str]:
    return [str(label.content) for label in screen.query(".form-label").results(Label)
            if label.region.width <= cell_len(str(label.content))]


async def test_the_signers_labels_leave_a_gap_before_their_fields(tmp_path) -> None:
    from xtalent_screens.engagement.closing import CloseDialog
    from xtalent_screens.engagement.handover import HandoverDialog

    async with running(tmp_path) as (app, pilot):
        await open_engagement(app, pilot, TODO)
        await pilot.press("j")
        await settle(app, pilot)
        assert isinstance(app.screen, HandoverDialog)
        assert "受入れリーダー（引受者）" in [str(x.content) for x in app.screen.query(".form-label").results(Label)]
        assert cramped(app.screen) == []
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, CloseDialog)
        assert cramped(app.screen) == []

"""The help screen (?): what the product is for, the stage ladder, and the keys of the screen below."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from xtalent.i18n import t
from xtalent.labels import label
from xtalent.models import STAGE_ORDER

from .base import XModal


class HelpScreen(XModal[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "bind.close", id="close")]

    def compose(self) -> ComposeResult:
        below = self.app.screen_stack[-1] if self.app.screen_stack else None
        keys = []
        if below is not None:
            for key, active in below.active_bindings.items():
                if active.binding.show:
                    keys.append(f"  {self.app.get_key_display(active.binding):>8}  {active.binding.description}")
        ladder = " → ".join(label(stage) for stage in STAGE_ORDER)
        with VerticalScroll(id="help-body"):
            yield Static(t("ui.help_title"), id="help-title")
            yield Static(t("ui.help_intro"))
            yield Static(t("ui.help_ladder", ladder=ladder))
            yield Static(t("ui.help_keys") + "\n" + "\n".join(keys))
        yield Footer()

    def action_dismiss(self) -> None:
        self.dismiss(None)

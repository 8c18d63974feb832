"""The help screen (?): what the product is for, the stage ladder, and the keys of the screen below."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from xtalent.i18n import t
from xtalent.labels import label
from xtalent.vocabulary import STAGE_ORDER, Lifecycle
from xtalent.textwidth import cell_width, pad

from .base import XModal, own_bindings
from .cells import Wrapped
from .footer import XFooter


LIFE = (Lifecycle.PLANNED, Lifecycle.IN_TERM, Lifecycle.ENDED)


class HelpScreen(XModal[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "bind.close", id="close")]

    def __init__(self, below: Screen[Any]) -> None:
        super().__init__()
        self.below = below  # the screen whose keys are listed; captured before this one is pushed
        # Read now, while `below` is on top: once help is, the app's undo/redo/history are off
        # (a modal's ctrl+z belongs to its text), and they would be missing from the list.
        self.entries = [(" / ".join(b.keys), b.description_key) for b in own_bindings(below)]

    def compose(self) -> ComposeResult:
        entries = [(keys, t(key)) for keys, key in self.entries]
        width = max((cell_width(k) for k, _ in entries), default=0)
        keys = [f"  {pad(k, width)}  {description}" for k, description in entries]
        ladder = " → ".join(label(stage) for stage in STAGE_ORDER)
        with VerticalScroll(id="help-body"):
            yield Static(t("ui.help_title"), id="help-title", markup=False)
            # Wrapped by the core (Japanese breaks between characters): Rich alone left a key
            # such as "y" alone on a line before the sentence that followed it.
            yield Static(Wrapped(t("ui.help_intro")), markup=False)
            yield Static(Wrapped(t("ui.help_ladder", ladder=ladder)), markup=False)
            yield Static(Wrapped(t("ui.help_lifecycle", life=" → ".join(label(s) for s in LIFE))), markup=False)
            yield Static(t("ui.help_keys") + "\n" + "\n".join(keys), markup=False)
            yield Static(t("ui.help_palette"), markup=False)
        yield XFooter()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)

"""A yes/no question before anything is deleted (a typed modal: True means go ahead)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from xtalent.i18n import t
from xtalent.usertext import shown

from ..base import XModal
from ..cells import Wrapped
from ..footer import XFooter


class ConfirmDialog(XModal[bool]):
    CSS_PATH = "forms.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", "bind.confirm_yes", id="yes"),
        Binding("n,escape", "answer(False)", "bind.confirm_no", id="no"),
        Binding("left,right", "app.focus_next", show=False),
    ]

    def __init__(
        self,
        title_key: str,
        message_key: str,
        yes_key: str = "confirm.delete",
        *,
        keys_key: str = "confirm.keys",
        **params: object,
    ) -> None:
        super().__init__()
        self.keys_key = keys_key
        self.title_key = title_key
        self.message_key = message_key
        self.params = params
        self.yes_key = yes_key

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(t(self.title_key), id="confirm-title", markup=False)
            yield Static(self.message(), id="confirm-message", markup=False)
            yield Static(t(self.keys_key), id="confirm-keys", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(t(self.yes_key), id="confirm-yes", variant="error", compact=True)
                yield Button(t("confirm.keep"), id="confirm-no", compact=True)
        yield XFooter()

    def message(self) -> Wrapped:
        """The question, wrapped to the dialog's width without breaking a name at its space."""
        names = [shown(v) for v in self.params.values() if isinstance(v, str)]
        return Wrapped(t(self.message_key, **self.params), keep=names)

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()  # the safe answer is the default

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def refresh_language(self) -> None:
        self.query_one("#confirm-title", Static).update(t(self.title_key))
        self.query_one("#confirm-message", Static).update(self.message())
        self.query_one("#confirm-keys", Static).update(t(self.keys_key))
        self.query_one("#confirm-yes", Button).label = t(self.yes_key)
        self.query_one("#confirm-no", Button).label = t("confirm.keep")

"""The conflict dialog: a colleague saved the same engagement and changed the same fields.

Shows each field with both values and returns the user's choice: "mine" (save my values over
theirs for these fields), "theirs" (keep theirs, save my other changes), or None (go back; for
a form, everything typed stays).  Nothing is overwritten without this choice.
"""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from xtalent.editing import EditConflict
from xtalent.i18n import t
from xtalent.views.conflict import conflict_rows

from ..base import XModal
from ..footer import XFooter
from ..usertext import TextTable

Choice = Literal["mine", "theirs"]


class ConflictDialog(XModal[Choice | None]):
    CSS_PATH = "forms.tcss"
    BINDINGS = [
        Binding("m", "choose('mine')", "bind.conflict_mine", id="conflict_mine"),
        Binding("t", "choose('theirs')", "bind.conflict_theirs", id="conflict_theirs"),
        Binding("escape", "choose('')", "bind.conflict_back", id="conflict_back"),
    ]

    def __init__(self, error: EditConflict) -> None:
        super().__init__()
        self.error = error
        self.deleting = error.mine is None

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict-box"):
            yield Static(t("conflict.title"), id="conflict-title", markup=False)
            yield Static(self.message_text(), id="conflict-message", markup=False)
            yield TextTable(id="conflict-table", cursor_type="row", zebra_stripes=True)
            yield Static(t("conflict.hint") if not self.deleting else "", id="conflict-hint", markup=False)
            with Horizontal(id="conflict-buttons"):
                yield Button(t("conflict.delete_anyway" if self.deleting else "conflict.keep_mine"),
                             id="conflict-mine", variant="warning", compact=True)
                if not self.deleting:
                    yield Button(t("conflict.keep_theirs"), id="conflict-theirs", variant="primary", compact=True)
                yield Button(t("conflict.keep" if self.deleting else "conflict.back"), id="conflict-back", compact=True)
        yield XFooter()

    def message_text(self) -> str:
        if self.deleting:
            return t("conflict.delete_message", name=self.error.seen.person.name, count=len(self.error.conflicts))
        return self.error.message()

    def on_mount(self) -> None:
        self.fill()
        self.query_one("#conflict-back", Button).focus()  # the safe answer is the default

    def fill(self) -> None:
        table = self.query_one("#conflict-table", TextTable)
        table.clear(columns=True)
        rows = conflict_rows(self.error)
        if self.deleting:
            table.add_column(t("conflict.col_field"), key="field")
            table.add_column(t("conflict.col_changed"), key="theirs")
            for n, row in enumerate(rows):
                table.add_row(row.field, row.theirs, key=str(n))
        else:
            for key in ("field", "mine", "theirs"):
                table.add_column(t(f"conflict.col_{key}"), key=key)
            for n, row in enumerate(rows):
                table.add_row(row.field, row.mine, row.theirs, key=str(n))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters and parameters[0] == "theirs" and self.deleting:
            return False
        return super().check_action(action, parameters)

    def action_choose(self, side: str) -> None:
        self.dismiss("mine" if side == "mine" else "theirs" if side == "theirs" else None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        side = {"conflict-mine": "mine", "conflict-theirs": "theirs"}.get(event.button.id or "", "")
        self.action_choose(side)

    def refresh_language(self) -> None:
        self.query_one("#conflict-title", Static).update(t("conflict.title"))
        self.query_one("#conflict-message", Static).update(self.message_text())
        self.query_one("#conflict-hint", Static).update(t("conflict.hint") if not self.deleting else "")
        self.query_one("#conflict-mine", Button).label = t("conflict.delete_anyway" if self.deleting else "conflict.keep_mine")
        if not self.deleting:
            self.query_one("#conflict-theirs", Button).label = t("conflict.keep_theirs")
        self.query_one("#conflict-back", Button).label = t("conflict.keep" if self.deleting else "conflict.back")
        self.fill()

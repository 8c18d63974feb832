"""History (h): what changed in this session, when, newest first; ctrl+z / ctrl+y work here too."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from xtalent.i18n import t

from .base import XScreen
from .footer import XFooter
from .usertext import TextTable


COLUMNS = ("when", "subject", "what")


class HistoryScreen(XScreen):
    CSS_PATH = "history.tcss"
    SHOWS_HISTORY = True  # h does not open a second one over it (app's check_action)
    BINDINGS = [Binding("escape", "close", "bind.close", id="close")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="history-summary", markup=False)
        yield TextTable(id="history", cursor_type="row", zebra_stripes=True)
        yield XFooter()

    def on_mount(self) -> None:
        self.render_history()

    def render_history(self) -> None:
        session = self.app.session
        entries = session.history()
        table = self.query_one("#history", DataTable)
        table.clear(columns=True)
        for column in COLUMNS:
            table.add_column(t(f"form.history.col_{column}"), key=column)
        for n, entry in enumerate(entries):
            table.add_row(entry.when.strftime("%Y-%m-%d %H:%M:%S"), entry.subject, entry.description(), key=str(n))
        summary = self.query_one("#history-summary", Static)
        if not entries:
            summary.update(t("form.history.empty"))
        else:
            undo, redo = session.undo_description(), session.redo_description()
            lines = [t("form.history.summary", count=len(entries))]
            lines += [t("form.history.next_undo", what=undo)] if undo else []
            lines += [t("form.history.next_redo", what=redo)] if redo else []
            summary.update("\n".join(lines))

    def action_close(self) -> None:
        self.dismiss()

    def refresh_data(self, changed: set[str] | None = None) -> None:
        self.render_history()

    def refresh_language(self) -> None:
        self.render_history()

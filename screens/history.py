"""History (h): the change log — who changed what, when — newest first, kept in the database.

Opened from an engagement it shows that engagement's changes (f: the whole database); `/`
filters by any word (a name, who, what).  Enter shows every field the change touched.  ctrl+z /
ctrl+y work here too; their next step is named above the list.  The log is read by a worker
that belongs to this screen and reports by message, so closing the screen drops the load.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Header, Input, Static

from xtalent.changelog import Change
from xtalent.i18n import t
from xtalent.views.history import HistoryRow, history_rows, matching

from .base import XScreen
from .footer import XFooter
from .usertext import TextTable

COLUMNS = ("when", "who", "subject", "what", "fields")
LIMIT = 2000  # newest entries shown; the file keeps them all


class HistoryScreen(XScreen):
    CSS_PATH = "history.tcss"
    SHOWS_HISTORY = True  # h does not open a second one over it (app's check_action)
    BINDINGS = [
        Binding("escape", "close", "bind.close", id="close"),
        Binding("f", "toggle_scope", "bind.history_scope", id="history_scope"),
        Binding("slash", "focus_filter", "bind.history_filter", id="history_filter"),
    ]

    @dataclass
    class Loaded(Message):
        entries: list[Change]
        known: dict[str, str]  # the opened engagement's records by id, for entries that do not name them

    def __init__(self, engagement_id: str | None = None) -> None:
        super().__init__()
        self.engagement_id = engagement_id
        self.whole_database = engagement_id is None
        self.rows: list[HistoryRow] = []
        self.known: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="history-summary", markup=False)
        yield Input(placeholder=t("form.history.filter_placeholder"), id="history-filter", compact=True)
        yield TextTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Static(id="history-detail", markup=False)
        yield XFooter()

    def on_mount(self) -> None:
        self.query_one("#history", TextTable).focus()
        self.refresh_data()

    # ----- loading ---------------------------------------------------------------------------
    def refresh_data(self, changed: set[str] | None = None) -> None:
        self.load(None if self.whole_database else self.engagement_id)

    @work(thread=True, exclusive=True, group="history-load")
    def load(self, engagement_id: str | None) -> None:
        entries = self.app.store.changelog.newest(engagement_id, limit=LIMIT)
        known: dict[str, str] = {}
        if self.engagement_id is not None and any("names" not in c for e in entries for c in e.changes):
            from xtalent.changelog import record_names
            from xtalent.errors import XtalentError

            try:
                known = record_names(self.app.session.current(self.engagement_id).model_dump())
            except XtalentError:  # deleted since, or unreadable: the entries' own names and ids
                pass
        self.post_message(self.Loaded(entries, known))

    @on(Loaded)
    def show_loaded(self, message: Loaded) -> None:
        self.known = message.known
        self.rows = history_rows(message.entries, known=message.known)
        self.render_history()

    # ----- showing ---------------------------------------------------------------------------
    def render_history(self) -> None:
        query = self.query_one("#history-filter", Input).value
        rows = [r for r in self.rows if matching(r, query)]
        table = self.query_one("#history", TextTable)
        table.clear(columns=True)
        for column in COLUMNS:
            table.add_column(t(f"form.history.col_{column}"), key=column)
        for n, row in enumerate(rows):
            table.add_row(row.when, row.who, row.subject, row.what, row.fields, key=str(n))
        self.shown_rows = rows
        self.render_summary(len(rows))
        self.render_detail()

    def render_summary(self, count: int) -> None:
        session = self.app.session
        scope = "form.history.scope_all" if self.whole_database else "form.history.scope_one"
        lines = [t("form.history.summary", count=count, scope=t(scope))]
        if not self.rows:
            lines = [t("form.history.empty")]
        undo, redo = session.undo_description(), session.redo_description()
        lines += [t("form.history.next_undo", what=undo)] if undo else []
        lines += [t("form.history.next_redo", what=redo)] if redo else []
        if self.engagement_id is not None:
            lines.append(t("form.history.scope_hint"))
        self.query_one("#history-summary", Static).update("\n".join(lines))

    def render_detail(self) -> None:
        table = self.query_one("#history", TextTable)
        rows = getattr(self, "shown_rows", [])
        detail = self.query_one("#history-detail", Static)
        if not rows or table.cursor_row >= len(rows):
            detail.update("")
            return
        detail.update("\n".join(rows[table.cursor_row].details))

    def on_data_table_row_highlighted(self, event: TextTable.RowHighlighted) -> None:
        self.render_detail()

    @on(Input.Changed, "#history-filter")
    def filter_changed(self) -> None:
        self.render_history()

    @on(Input.Submitted, "#history-filter")
    def filter_done(self) -> None:
        self.query_one("#history", TextTable).focus()

    # ----- actions -----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_scope" and self.engagement_id is None:
            return None  # opened from the dashboard: it already shows everything
        return super().check_action(action, parameters)

    def action_toggle_scope(self) -> None:
        self.whole_database = not self.whole_database
        self.refresh_data()

    def action_focus_filter(self) -> None:
        self.query_one("#history-filter", Input).focus()

    def action_close(self) -> None:
        self.dismiss()

    def refresh_language(self) -> None:
        self.query_one("#history-filter", Input).placeholder = t("form.history.filter_placeholder")
        self.rows = history_rows([r.change for r in self.rows], known=self.known)
        self.render_history()

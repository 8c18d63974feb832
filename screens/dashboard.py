"""The dashboard: every engagement, how far its know-how has been handed over, and its term."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from xtalent.i18n import t
from xtalent.models import Engagement
from xtalent.overview import EngagementRow, rows

from .base import XScreen

COLUMNS = ("person", "role", "organisation", "term_end", "days_left", "transferred")


class DashboardScreen(XScreen):
    CSS_PATH = "dashboard.tcss"
    BINDINGS = [
        Binding("r", "reload", "bind.reload", id="reload"),
        Binding("n", "new_engagement", "bind.new_engagement", id="new_engagement"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.engagements: list[Engagement] = []
        self.table_rows: list[EngagementRow] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="dashboard-summary")
        yield DataTable(id="engagements", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def action_new_engagement(self) -> None:
        from .forms import open_engagement_form

        open_engagement_form(self.app)

    def action_reload(self) -> None:
        self.run_io(self.app.store.engagements, self.show, name="load-engagements")

    def refresh_data(self) -> None:
        self.action_reload()

    def show(self, engagements: list[Engagement]) -> None:
        self.engagements = engagements
        self.table_rows = rows(engagements, self.app.today, self.app.lang)
        self.render_table()

    def render_table(self) -> None:
        table = self.query_one("#engagements", DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        for column in COLUMNS:
            table.add_column(t(f"ui.col.{column}"), key=column)
        for row in self.table_rows:
            table.add_row(
                row.person,
                row.role,
                row.organisation,
                f"{row.term_end.isoformat()} {row.fiscal_year}",
                t("cli.days_left", n=row.days_left) if row.days_left >= 0 else t("cli.days_ago", n=-row.days_left),
                row.transfer_text,
                key=row.id,
            )
        if self.table_rows:
            table.move_cursor(row=min(cursor, len(self.table_rows) - 1))
        summary = self.query_one("#dashboard-summary", Static)
        if self.table_rows:
            summary.update(t("ui.dashboard_summary", count=len(self.table_rows), today=self.app.today.isoformat()))
        else:
            summary.update(t("ui.dashboard_empty"))

    def refresh_language(self) -> None:
        self.show(self.engagements)

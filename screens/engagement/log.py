"""The log tab: consultations and check-ins, and a small chart of monthly load vs contracted time."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from xtalent.i18n import t
from xtalent.usertext import shown
from xtalent.views.engagement import EngagementView
from xtalent.views.load import chart

from ..cells import chart_line, plain
from ..usertext import TextTable
from .pane import Pane, fill, move_to, row_key

COLUMNS = ("on", "kind", "from_department", "topic", "in_scope", "target", "minutes")
CHART_WIDTH = 24


class LogPane(Pane):
    tab = "log"

    def compose(self) -> ComposeResult:
        yield TextTable(id="log-table", cursor_type="row", zebra_stripes=True)
        yield Static(t("eng.empty.log"), id="log-empty", classes="empty-hint", markup=False)
        yield Static(id="log-detail", markup=False)
        yield Static(id="log-chart", markup=False)

    def show(self, view: EngagementView) -> None:
        self.rows = view.log
        self.dispatched = view.dispatched
        table = self.query_one("#log-table", DataTable)
        columns = [(c, t(f"eng.log.{c}")) for c in COLUMNS]
        rows = []
        for r in view.log:
            scope = Text("✓", style="green", end="") if r.in_scope else Text(t("eng.log.out_of_scope"), style="yellow", end="")
            rows.append((r.id, [plain(r.on.isoformat()), plain(r.kind), plain(r.from_department), plain(r.topic),
                                scope, plain(r.target), plain(r.minutes)]))
        fill(table, columns, rows)
        empty = self.query_one("#log-empty", Static)
        empty.update(t("eng.empty.log"))
        empty.display = not rows
        lines = Text(t("eng.log.chart_title"), style="bold", end="")
        lines.append("  ")
        lines.append("█ " + t("eng.log.legend_in") + "  ", style="green")
        lines.append("▒ " + t("eng.log.legend_out") + "  ", style="yellow")
        lines.append("│ " + t("eng.log.legend_contracted"), style="dim")
        rows_ = chart(view.loads[-6:], CHART_WIDTH)
        if not rows_:
            lines.append("\n" + t("eng.log.no_months"), style="dim")
        for row in rows_:
            lines.append("\n")
            lines.append_text(chart_line(row))
        self.query_one("#log-chart", Static).update(lines)
        self.update_detail()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.update_detail()

    def update_detail(self) -> None:
        """The selected entry whole: who attended, the advice and the next steps (what a
        dispatch's 実施報告書 prints), and for a dispatch scheme the key that writes it."""
        detail = self.query_one("#log-detail", Static)
        key = self.selected_id()
        row = next((r for r in getattr(self, "rows", []) if r.id == key), None)
        detail.display = row is not None
        if row is None:
            return
        text = Text(shown(row.topic or row.on.isoformat()), style="bold", end="")
        for label_key, value in (("attendees", row.attendees), ("advice", row.advice), ("next_steps", row.next_steps)):
            if value:
                text.append("\n" + t(f"eng.log.{label_key}") + ": ", style="bold")
                text.append(shown(value, multiline=True))
        if getattr(self, "dispatched", False):
            text.append("\n" + t("eng.log.dispatch_hint", date=row.on.isoformat()), style="dim")
        detail.update(text)

    def select(self, record_id: str) -> bool:
        return move_to(self.query_one("#log-table", DataTable), record_id)

    def selected_id(self) -> str | None:
        return row_key(self.query_one("#log-table", DataTable))

"""The change targets tab: what the external person was agreed to transform, and how far it is."""

from __future__ import annotations

from textual.app import ComposeResult
from rich.text import Text
from textual.widgets import DataTable, Static

from xtalent.i18n import t
from xtalent.textwidth import column_width
from xtalent.views.engagement import EngagementView
from xtalent.usertext import shown

from ..cells import plain
from ..usertext import TextTable
from .pane import Pane, column_widths, fill, move_to, row_key

COLUMNS = ("title", "status", "fiscal_year", "items", "indicator", "scope", "owner", "agreed", "department", "staff")
WIDTHS = {"title": 30, "agreed": 24, "indicator": 30}  # longer text ends in "…"; the line below shows it whole
MINIMUM = {"title": 12, "indicator": 10, "agreed": 10, "department": 8, "staff": 8, "scope": 6, "owner": 6,
           "fiscal_year": 6}


class TargetsPane(Pane):
    tab = "targets"

    def compose(self) -> ComposeResult:
        yield TextTable(id="targets-table", cursor_type="row", zebra_stripes=True, fixed_columns=1)
        yield Static(id="targets-detail", markup=False)

    def show(self, view: EngagementView) -> None:
        table = self.query_one("#targets-table", DataTable)
        columns = [(c, t(f"eng.targets.{c}")) for c in COLUMNS]
        self.rows = view.targets
        cells = {r.id: {c: plain(getattr(r, c)) for c in COLUMNS} for r in view.targets}
        natural = {c: column_width(t(f"eng.targets.{c}"), (getattr(r, c) for r in view.targets))
                   for c in COLUMNS}
        natural = {c: min(w, WIDTHS.get(c, w)) for c, w in natural.items()}
        # Every column within the screen (the line below shows the whole text of the row).
        widths = column_widths(natural, MINIMUM, self.available() - 2)
        fill(table, columns, ((r.id, [cells[r.id][c] for c in COLUMNS]) for r in view.targets), widths)
        self.update_detail()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.update_detail()

    def update_detail(self) -> None:
        detail = self.query_one("#targets-detail", Static)
        key = self.selected_id()
        row = next((r for r in getattr(self, "rows", []) if r.id == key), None)
        if row is None:
            detail.update(Text(t("eng.targets.empty"), style="dim"))
            return
        text = Text(shown(row.title), style="bold", end="")
        text.append(f"  {row.status} · {row.scope} · {row.owner}")
        for label_key, value in (("goal", row.goal), ("fiscal_year", row.fiscal_year), ("indicator", row.indicator),
                                 ("readings", row.readings), ("agreed", row.agreed),
                                 ("department", row.department), ("staff", row.staff), ("items", row.items)):
            if value:
                text.append("\n" + t(f"eng.targets.{label_key}") + ": ", style="bold")
                text.append(shown(value, multiline=True))
        detail.update(text)

    def select(self, record_id: str) -> bool:
        return move_to(self.query_one("#targets-table", DataTable), record_id)

    def selected_id(self) -> str | None:
        return row_key(self.query_one("#targets-table", DataTable))

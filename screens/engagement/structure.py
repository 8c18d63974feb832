"""The receiving structure tab: staff by role and department, the lead, rotation dates."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from xtalent.i18n import t
from xtalent.views.engagement import EngagementView

from ..cells import plain
from ..usertext import TextTable
from .pane import Pane, fill, move_to, row_key

COLUMNS = ("lead", "name", "role", "department", "position", "rotation", "items")


class StructurePane(Pane):
    tab = "structure"

    def compose(self) -> ComposeResult:
        yield TextTable(id="structure-table", cursor_type="row", zebra_stripes=True)
        yield Static(t("eng.empty.structure"), id="structure-empty", classes="empty-hint", markup=False)

    def show(self, view: EngagementView) -> None:
        table = self.query_one("#structure-table", DataTable)
        columns = [(c, t(f"eng.structure.{c}")) for c in COLUMNS]
        rows = []
        for r in view.staff:
            lead = Text("★", style="bold yellow", end="") if r.lead else Text("")
            rotation = Text(r.rotation_text(), style="yellow" if r.rotation_before_end else "", end="")
            items = t("eng.structure.items_value", done=r.transferred, total=r.receiving)
            rows.append((r.id, [lead, plain(r.name), plain(r.role), plain(r.department), plain(r.position),
                                rotation, plain(items)]))
        fill(table, columns, rows)
        empty = self.query_one("#structure-empty", Static)
        empty.update(t("eng.empty.structure"))
        empty.display = not rows

    def select(self, record_id: str) -> bool:
        return move_to(self.query_one("#structure-table", DataTable), record_id)

    def selected_id(self) -> str | None:
        return row_key(self.query_one("#structure-table", DataTable))

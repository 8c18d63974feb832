"""The change targets tab: what the external person was agreed to transform, and how far it is."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable

from xtalent.i18n import t
from xtalent.views.engagement import EngagementView

from ..cells import plain
from .pane import Pane, fill, move_to, row_key

COLUMNS = ("title", "status", "scope", "owner", "agreed", "indicator", "department", "staff", "items")


class TargetsPane(Pane):
    tab = "targets"

    def compose(self) -> ComposeResult:
        yield DataTable(id="targets-table", cursor_type="row", zebra_stripes=True, fixed_columns=1)

    def show(self, view: EngagementView) -> None:
        table = self.query_one("#targets-table", DataTable)
        columns = [(c, t(f"eng.targets.{c}")) for c in COLUMNS]
        fill(table, columns, (
            (r.id, [plain(r.title), plain(r.status), plain(r.scope), plain(r.owner), plain(r.agreed),
                    plain(r.indicator), plain(r.department), plain(r.staff), plain(r.items)])
            for r in view.targets
        ))

    def select(self, record_id: str) -> bool:
        return move_to(self.query_one("#targets-table", DataTable), record_id)

    def selected_id(self) -> str | None:
        return row_key(self.query_one("#targets-table", DataTable))

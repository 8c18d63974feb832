"""The warnings tab: each pitfall with its reason and the action to take; Enter jumps to its subject."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Static

from xtalent.i18n import t
from xtalent.textwidth import column_width
from xtalent.views.engagement import EngagementView, WarningRow
from xtalent.usertext import shown

from ..cells import labelled, plain, severity_text
from ..usertext import TextTable
from .pane import Pane, column_widths, fill, row_key

COLUMNS = ("severity", "aspect", "subject", "message")


class WarningsPane(Pane):
    tab = "warnings"
    BINDINGS = [Binding("enter", "jump", "bind.eng_jump", id="eng_jump")]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[WarningRow] = []

    def compose(self) -> ComposeResult:
        yield TextTable(id="warnings-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="warnings-detail", markup=False)

    def show(self, view: EngagementView) -> None:
        self.rows = view.warnings
        table = self.query_one("#warnings-table", DataTable)
        # Severity has one name everywhere (TUI, check, exports).
        columns = [(c, t("pitfall.severity.name") if c == "severity" else t(f"eng.warnings.{c}")) for c in COLUMNS]
        fill(table, columns, (
            (f"w{r.n}", [severity_text(r.severity, r.severity_label), plain(r.aspect), plain(r.subject), plain(r.message)])
            for r in self.rows
        ), self.widths(columns))
        self.update_detail()

    def widths(self, columns: list[tuple[str, str]]) -> dict[str, int]:
        """The warning's text gets most of the width; aspect and subject are shortened first."""
        values = {
            "severity": [f"● {r.severity_label}" for r in self.rows],
            "aspect": [r.aspect for r in self.rows],
            "subject": [r.subject for r in self.rows],
            "message": [r.message for r in self.rows],
        }
        natural = {key: column_width(header, values[key]) for key, header in columns}
        available = self.available() - 2  # the table's scrollbar
        minimum = {"aspect": 8, "subject": 8, "message": max(20, available // 2)}
        return column_widths(natural, minimum, available)

    def current(self) -> WarningRow | None:
        key = row_key(self.query_one("#warnings-table", DataTable))
        return next((r for r in self.rows if f"w{r.n}" == key), None)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.update_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_jump()

    def update_detail(self) -> None:
        detail = self.query_one("#warnings-detail", Static)
        row = self.current()
        if row is None:
            detail.update(Text(t("eng.warnings.none"), style="green"))
            return
        text = Text(end="")
        text.append_text(severity_text(row.severity, row.severity_label))
        text.append(f"  {row.aspect}", style="dim")
        if row.subject:
            text.append("  " + shown(row.subject))
        width = self.available() - 2  # the detail's padding
        text.append("\n")
        text.append_text(labelled(t("eng.warnings.reason"), row.message, width))
        text.append("\n")
        text.append_text(labelled(t("eng.warnings.action"), row.action, width))
        text.append("\n")
        if row.tab != "overview":
            text.append(t("eng.warnings.jump_hint", tab=t(f"eng.tab.{row.tab}")) + "  ", style="dim")
        # The rule's code is for scripts (xtalent check --format json); last, dim.
        text.append(t("eng.warnings.rule", code=row.code), style="dim italic")
        detail.update(text)

    class JumpTo(Message):
        """Show a warning's subject: its tab, the cursor on its row (the screen does)."""

        def __init__(self, tab: str, subject_id: str | None) -> None:
            super().__init__()
            self.tab = tab
            self.subject_id = subject_id

    def action_jump(self) -> None:
        row = self.current()
        if row is not None:
            self.post_message(self.JumpTo(row.tab, row.subject_id))

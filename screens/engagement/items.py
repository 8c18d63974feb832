"""The know-how tab: items × receiving staff, each cell the stage; the stage ladder as a legend.

`]` / `+` advances the selected cell's stage, `[` / `-` regresses it (on the item's title: the
receiver furthest behind / ahead, see xtalent/edits.py), `v` adds evidence to the item.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from xtalent.i18n import t
from xtalent.labels import label
from xtalent.textwidth import column_width
from xtalent.vocabulary import STAGE_ORDER
from xtalent.views.engagement import EngagementView
from xtalent.views.matrix import Matrix
from xtalent.usertext import shown

from ..keys import with_fullwidth
from ..cells import STAGE_STYLE, flow, plain, stage_cell, stage_text, wrapped
from ..usertext import TextTable, show_in
from .pane import Pane, column_widths, fill, move_to, row_key

FIRST_STAFF_COLUMN = 1  # column 0 is the item's title
TITLE_MIN = 16  # a narrow terminal shortens titles this far ("…"; the line below shows them whole)


class ItemsTable(TextTable):
    """The matrix; Enter (a cell's stage history and evidence) is shown in the footer."""

    BINDINGS = [Binding("enter", "select_cursor", "bind.cell_detail", id="eng_cell")]


class ItemsPane(Pane):
    tab = "items"
    BINDINGS = with_fullwidth([
        Binding("right_square_bracket,plus", "screen.step_stage(1)", "bind.eng_advance", id="eng_advance"),
        Binding("left_square_bracket,minus", "screen.step_stage(-1)", "bind.eng_regress", id="eng_regress"),
        Binding("v", "screen.add_evidence", "bind.eng_evidence", id="eng_evidence"),
    ])

    def __init__(self) -> None:
        super().__init__()
        self.matrix: Matrix | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="items-legend", markup=False)
        yield ItemsTable(id="items-table", cursor_type="cell", zebra_stripes=True, fixed_columns=1)
        yield Static(id="items-detail", markup=False)

    def show(self, view: EngagementView) -> None:
        self.matrix = view.matrix
        pieces = [Text(stage_text(stage, full=True), style=STAGE_STYLE[stage], end="") for stage in STAGE_ORDER]
        pieces[0] = Text(t("eng.items.legend") + " ", style="bold", end="").append_text(pieces[0])
        show_in(self.query_one("#items-legend", Static), flow(pieces, Text(" → ", style="dim", end=""), self.available() - 2))
        table = self.query_one("#items-table", DataTable)
        columns = [("title", t("eng.items.title"))]
        columns += [(f"staff:{c.id}", c.name) for c in view.matrix.columns]
        columns += [("due", t("eng.items.due")), ("evidence", t("eng.items.evidence"))]
        full, widths = self.widths(view, columns)
        rows = []
        for r in view.matrix.rows:
            title = plain(r.title, "green" if r.transferred else "")
            cells = [title, *(stage_cell(s, full) for s in r.cells)]
            cells += [plain(r.due.isoformat() if r.due else "—"), plain(r.evidence)]
            rows.append((r.item_id, cells))
        fill(table, columns, rows, widths)
        self.update_detail()

    def widths(self, view: EngagementView, columns: list[tuple[str, str]]) -> tuple[bool, dict[str, int]]:
        """The stages in the ladder's own words where they fit beside the titles (else "4 自走");
        titles get the rest of the width."""
        matrix = view.matrix
        texts: dict[str, list[object]] = {"title": [r.title for r in matrix.rows], "due": [r.due.isoformat() if r.due else "—" for r in matrix.rows],
                 "evidence": [r.evidence for r in matrix.rows]}
        for full in (True, False):
            natural = {}
            for n, (key, header) in enumerate(columns):
                if key.startswith("staff:"):
                    values = [stage_text(r.cells[n - FIRST_STAFF_COLUMN], full) for r in matrix.rows]
                else:
                    values = texts[key]
                natural[key] = column_width(header, (str(v) for v in values))
            widths = column_widths(natural, {"title": TITLE_MIN}, self.available())
            if widths["title"] >= min(natural["title"], TITLE_MIN) and sum(widths.values()) + 2 * len(widths) <= self.available():
                return full, widths
        return False, widths

    # ----- the selection ------------------------------------------------------------------------
    def selected_id(self) -> str | None:
        return row_key(self.query_one("#items-table", DataTable))

    def selected_staff(self) -> str | None:
        """The staff member of the selected column; None on the title or the other columns."""
        table = self.query_one("#items-table", DataTable)
        if self.matrix is None or not table.row_count:
            return None
        index = table.cursor_column - FIRST_STAFF_COLUMN
        if 0 <= index < len(self.matrix.columns):
            return self.matrix.columns[index].id
        return None

    def select(self, record_id: str) -> bool:
        return move_to(self.query_one("#items-table", DataTable), record_id, column=0)

    def select_cell(self, item_id: str, staff_id: str | None) -> bool:
        column = 0
        if staff_id and self.matrix is not None:
            ids = [c.id for c in self.matrix.columns]
            if staff_id in ids:
                column = FIRST_STAFF_COLUMN + ids.index(staff_id)
        return move_to(self.query_one("#items-table", DataTable), item_id, column=column)

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        """Enter on a cell: that receiver's stage history and the item's evidence (on the title
        or another column: every receiver's)."""
        event.stop()
        item_id, view = self.selected_id(), getattr(self.screen, "view", None)
        if item_id is None or view is None:
            return
        from .cell import CellScreen

        self.app.push_screen(CellScreen(view.engagement, item_id, self.selected_staff()))

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self.update_detail()

    def update_detail(self) -> None:
        detail = self.query_one("#items-detail", Static)
        item_id, staff_id = self.selected_id(), self.selected_staff()
        if self.matrix is None or item_id is None:
            detail.update(t("eng.items.empty"))
            return
        row = next((r for r in self.matrix.rows if r.item_id == item_id), None)
        if row is None:
            detail.update("")
            return
        text = Text(shown(row.title), style="bold", end="")
        text.append(f"  {row.kind}")
        if row.target:
            text.append("  " + t("eng.items.for_target", target=row.target))
        if staff_id is not None:
            name = next(c.name for c in self.matrix.columns if c.id == staff_id)
            stage = self.matrix.cell(item_id, staff_id)
            text.append("\n")
            if stage is None:
                text.append(t("eng.items.not_receiver", name=name), style="dim")
            else:
                text.append(t("eng.items.cell", name=name, stage=label(stage)))
                text.append("  " + t("eng.items.keys_hint"), style="dim")
        elif not self.matrix.columns:
            text.append("\n")
            text.append_text(wrapped(t("eng.items.no_staff"), self.available() - 2, "yellow"))
        else:
            text.append("\n")
            text.append_text(wrapped(t("eng.items.pick_hint"), self.available() - 2, "dim"))
        show_in(detail, text)

    def focus_content(self) -> None:
        self.query_one("#items-table", DataTable).focus()


__all__ = ["ItemsPane", "plain"]

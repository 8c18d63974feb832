"""What every tab of the engagement screen shares: a table that keeps its cursor across reloads."""

from __future__ import annotations

from typing import Any, Iterable, Sequence
from weakref import WeakKeyDictionary

from rich.text import Text
from textual.widgets import DataTable, TabPane
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from xtalent.i18n import t
from xtalent.views.engagement import TABS, EngagementView
from xtalent.views.text import fit_widths

from ..usertext import TextTable


class Pane(TabPane):
    """A tab; `name` is the view's tab name (xtalent/views/engagement.py TABS)."""

    tab = ""

    def __init__(self) -> None:
        number = TABS.index(self.tab) + 1
        super().__init__(f"{number} {t(f'eng.tab.{self.tab}')}", id=f"tab-{self.tab}")

    def show(self, view: EngagementView) -> None:  # pragma: no cover - every tab overrides
        raise NotImplementedError

    def select(self, record_id: str) -> bool:
        """Move the cursor to a record (a warning's subject); False if this tab does not show it."""
        return False

    def selected_id(self) -> str | None:
        return None

    def focus_content(self) -> None:
        for table in self.query(DataTable):
            table.focus()
            return

    def available(self) -> int:
        """The cells a table on this tab may use: the screen's width less the scrollbar."""
        return max(20, self.app.size.width - 2)


# What `fill` last put in each table: its layout (columns, row keys, widths) and the cells.
_FILLED: WeakKeyDictionary[DataTable[Any], tuple[tuple[Any, ...], dict[str, Sequence[Any]]]] = WeakKeyDictionary()


def fill(
    table: DataTable,
    columns: Sequence[tuple[str, str]],
    rows: Iterable[tuple[str, Sequence[Any]]],
    widths: dict[str, int] | None = None,
) -> None:
    """Replace a table's content, keeping the cursor on the same record (row key) if it is still there.

    When the columns and the rows' keys are the same as the table shows (a stage moved, a
    note changed), only the cells that differ are updated: rebuilding the table made Textual
    render every row again, most of a stage move's key-to-screen time."""
    rows = list(rows)
    layout = (tuple(columns), tuple(key for key, _ in rows), tuple(sorted((widths or {}).items())))
    shown_layout, shown = _FILLED.get(table, (None, None))
    if shown is not None and shown_layout == layout and isinstance(table, TextTable):
        for key, cells in rows:
            changed = {column: new for (column, _), old, new in zip(columns, shown[key], cells) if old != new}
            if changed:
                table.update_row_cells(key, changed)
        _FILLED[table] = (layout, dict(rows))
        return
    _FILLED[table] = (layout, dict(rows))
    keep_key: str | None = None
    keep_column = table.cursor_column
    if table.row_count:
        keep_key = row_key(table)
    table.clear(columns=True)
    for key, label in columns:
        table.add_column(label, key=key, width=(widths or {}).get(key))
    keys = []
    for key, cells in rows:
        table.add_row(*cells, key=key)
        keys.append(key)
    if keep_key in keys:
        table.move_cursor(row=keys.index(keep_key), column=min(keep_column, len(columns) - 1), animate=False)


def move_to(table: DataTable, record_id: str, column: int | None = None) -> bool:
    try:
        row = table.get_row_index(record_id)
    except RowDoesNotExist:
        return False
    table.move_cursor(row=row, column=table.cursor_column if column is None else column, animate=False)
    table.focus()
    return True


def row_key(table: DataTable) -> str | None:
    if not table.row_count:
        return None
    try:
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
    except CellDoesNotExist:
        return None


def column_widths(natural: dict[str, int], minimum: dict[str, int], available: int) -> dict[str, int]:
    """Widths that fit `available` cells (each column also takes 2 cells of padding)."""
    keys = list(natural)
    widths = fit_widths([natural[k] for k in keys], [min(natural[k], minimum.get(k, natural[k])) for k in keys],
                        available - 2 * len(keys))
    return dict(zip(keys, widths))


def heading(text: str) -> Text:
    return Text(text, style="bold", end="")

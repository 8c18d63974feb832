"""The TUI's one way to show text: as data, never as markup, never raw to the terminal.

Textual reads a plain `str` as content markup in a Static, a Label, a DataTable cell or header,
a toast: a `[/]` in a staff name crashed the app and an `[@click=app.quit]` ran an action.  So:

* `user(name)` — user text (a name, a title, a topic) as a Rich `Text`: no markup, control
  characters made visible (xtalent.usertext.shown);
* `message(key, **params)` — a catalog message quoting user text, as a `Text`;
* `TextTable` — the DataTable every screen uses: a `str` cell or column label becomes `user()`;
* every `Static`/`Label` is made with `markup=False` (tests/test_usertext_tui.py scans for it),
  and `XtalentApp.notify` never reads markup.

Styled pieces (severity marks, stage colours) are built as `Text` in screens/cells.py, which
takes user text through `user()` too.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Callable, Iterable, Sequence

from rich.cells import cell_len
from rich.text import Text
from rich.protocol import is_renderable
from textual.render import measure
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey, RowDoesNotExist, RowKey

from xtalent.i18n import t
from xtalent.usertext import shown
from xtalent.views import firstscreen


def user(value: object, style: str = "", *, multiline: bool = False) -> Text:
    """User text as data: shown as typed (control characters visible), never markup."""
    return Text(shown(value, multiline=multiline), style=style, end="")


def message(key: str, /, **params: Any) -> Text:
    """The catalog message `key`, every param shown as data."""
    return Text(t(key, **params), end="")


def as_cell(value: Any) -> Any:
    """A DataTable cell: text becomes `user()`; a Text built elsewhere is checked too (a
    control character slipped into one loses its inner colours, never reaches the terminal)."""
    if isinstance(value, str):
        return Text(shown(value), end="", overflow="ellipsis", no_wrap=True)
    if isinstance(value, Text) and not value.plain.isprintable() and shown(value.plain, multiline=True) != value.plain:
        return Text(shown(value.plain, multiline=True), style=value.style, end="", no_wrap=value.no_wrap,
                    overflow=value.overflow)
    return value


# A long list (the attention view's ~7,000 rows, the staff screen's ~5,000 employees at a thousand
# engagements) goes in a screenful first and the rest in batches a frame apart: the table measures
# every cell it is given (~0.5 ms a row), so the view is open at once and keys answer between
# batches (docs/performance.md).
FIRST_ROWS = firstscreen.ROWS  # as many as a view keeps for its next opening
BATCH_ROWS = 200
BATCH_PAUSE = 1 / 60


class TextTable(DataTable[Any]):
    """A DataTable where a plain `str` is data, never markup (cells and column labels)."""

    filling = 0  # which fill the batches still being added belong to (clear() starts another)

    def clear(self, columns: bool = False) -> Any:
        self.filling += 1
        return super().clear(columns)

    def fill(self, count: int, row: Callable[[int], tuple[Sequence[Any], str]], *, first: int | None = None,
             start: int = 0) -> None:
        """Rows start…count-1 (`row(n)`: its cells and key): `first` (a screenful) now, the rest in
        batches after.  A timer paces them, not call_after_refresh: a screen's callbacks run as
        soon as it is idle, before the table has measured and drawn the rows, and a chain of them
        never lets the event loop go (every row went in before the first frame).  A clear() stops
        the batches of the fill before it."""
        filling = self.filling

        def add(start: int, size: int) -> None:
            if filling != self.filling or not self.is_attached:
                return
            end = min(start + size, count)
            for n in range(start, end):
                cells, key = row(n)
                self.add_row(*cells, key=key)
            if end < count:
                self.set_timer(BATCH_PAUSE, partial(add, end, BATCH_ROWS))

        add(start, FIRST_ROWS if first is None else first)

    def add_column(self, label: Any, *, width: int | None = None, key: str | None = None, default: Any = None) -> Any:
        # A label as Text.from_markup would make it (Textual's own cut, with its "…"), minus the markup.
        heading = Text(shown(label)) if isinstance(label, str) else as_cell(label)
        return super().add_column(heading, width=width, key=key, default=default)

    def add_row(self, *cells: Any, height: int | None = 1, key: str | None = None, label: Any = None) -> Any:
        values = [as_cell(c) for c in cells]
        self.widen(values)
        return super().add_row(*values, height=height, key=key, label=as_cell(label) if label is not None else None)

    def add_rows(self, rows: Iterable[Iterable[Any]]) -> Any:
        return [self.add_row(*row) for row in rows]

    def widen(self, cells: list[Any]) -> None:
        """Auto-width columns take a new row's width now, not at the table's next idle.

        DataTable measures new rows when idle, and its render caches are keyed by an update
        count that the measuring leaves alone: a frame drawn in between (a loaded machine) kept
        the rows at their earlier widths under a header at the new ones (the staff screen's
        部署 as "企…").  Measured as DataTable measures (Rich's maximum width), so the idle
        pass finds nothing wider and changes nothing."""
        console = self.app.console
        for column, cell in zip(self.ordered_columns, cells):
            if column.auto_width and cell is not None:
                if isinstance(cell, Text):  # Text's own measure, without building console options per cell
                    width = max((cell_len(line) for line in cell.plain.splitlines()), default=0)
                else:
                    shown_as = cell if is_renderable(cell) else Text(f"{cell:.2f}" if isinstance(cell, float) else str(cell))
                    width = measure(console, shown_as, 1)
                column.content_width = max(column.content_width, width)

    def update_cell(self, row_key: Any, column_key: Any, value: Any, *, update_width: bool = False) -> None:
        super().update_cell(row_key, column_key, as_cell(value), update_width=update_width)

    def update_cell_at(self, coordinate: Any, value: Any, *, update_width: bool = False) -> None:
        super().update_cell_at(coordinate, as_cell(value), update_width=update_width)

    def update_row_cells(self, row_key: str, values: dict[str, Any]) -> None:
        """Change cells of one row (by column key), drawing only that row again.

        DataTable.update_cell counts an update, and every cached cell render is keyed by that
        count: one changed stage made every visible cell render again (~200 cells, most of a
        stage move's key-to-screen time).  Here only the row's own cached renders are dropped.
        Relies on DataTable's caches as of Textual 8 (pinned <9); tests/test_tui_engagement.py
        checks the row shows the new value and the others are unchanged.  The public route,
        `update_cell` on only the cells that changed, was measured against this twice
        (`bench/ab.py keys`, interleaved, load 4–7; docs/performance.md): a stage move 3.24× and
        2.53× a cursor move at 20 and 1,000 engagements against 1.79× and 1.64× here (target
        1.5×), and earlier 1.04 s against 0.44 s (load 16–19)."""
        key = RowKey(row_key)
        if key not in self._row_locations:
            raise RowDoesNotExist(row_key)
        for column, value in values.items():
            self._data[key][ColumnKey(column)] = as_cell(value)
        index = self._row_locations.get(key)
        for cell in [k for k in self._cell_render_cache.keys() if k[0] == key]:
            self._cell_render_cache.discard(cell)
        for row in [k for k in self._row_render_cache.keys() if k[0] == key]:
            self._row_render_cache.discard(row)
        for cached in [k for k in self._row_renderable_cache.keys() if k[1] == index]:
            self._row_renderable_cache.discard(cached)
        self._line_cache.clear()  # lines are cut from the rows' renders: cheap to cut again
        if index is not None:
            self.refresh_row(index)


def show_in(widget: Static, content: Text | str) -> None:
    """`widget.update(content)` unless it already shows exactly that.

    Every Static.update lays the whole screen out again (it refreshes with layout=True): a
    stage move re-set a heading, a legend and six tab labels that had not changed, a layout
    each (most of its key-to-screen time beyond a cursor move's, see docs/performance.md)."""
    if widget.content != content:
        widget.update(content)

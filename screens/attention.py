"""The attention view (w on the dashboard): what needs someone this week, across every engagement.

Every open warning and every know-how item overdue or due soon, most serious first, then the
nearest date; filters by organisation, department, 年度 (of the term's end), role and kind; Enter
opens the engagement on the subject's tab with the cursor on it; x writes the list as xlsx, c as
CSV.  Rows are computed in a worker that belongs to this screen (xtalent.views.attention).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Header, Select, Static

from xtalent.i18n import t
from xtalent.textwidth import cell_width
from xtalent.views import firstscreen, rowcache
from xtalent.views.attention import (
    COLUMNS, FILTERS, MIN_WIDTH, AttentionRow, Opening, cell_text, filter_choices, filtered, opening,
)
from xtalent.views.text import fit_widths

from . import cells
from .base import WholeDatabaseScreen
from .filterbar import FilterBar
from .footer import XFooter
from .usertext import TextTable, user

class AttentionTable(TextTable):
    BINDINGS = [Binding("enter", "select_cursor", "bind.attention_open", id="attention_open")]


class AttentionScreen(WholeDatabaseScreen):
    CSS_PATH = "attention.tcss"
    BINDINGS = [
        Binding("escape", "close", "bind.close", id="close"),
        Binding("x", "export('xlsx')", "bind.attention_xlsx", id="attention_xlsx"),
        Binding("c", "export('csv')", "bind.attention_csv", id="attention_csv"),
        Binding("r", "reload", "bind.reload", id="reload", show=False),
    ]

    @dataclass
    class Computed(Message):
        rows: list[AttentionRow]
        choices: dict[str, list[str]]  # each filter's values
        widths: dict[str, int]  # each text column's natural width

    @dataclass
    class Kept(Message):
        opening: Opening | None  # the first screenful kept from the last time everything was computed

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[AttentionRow] = []
        self.shown_rows: list[AttentionRow] = []
        self.shown_columns: list[str] = list(COLUMNS)
        self.choices: dict[str, list[str]] = {name: [] for name in FILTERS}
        self.widths: dict[str, int] = {}
        self.rendered_for: tuple[object, object] | None = None  # the sizes the widths were fitted to
        self.fitted: tuple[int, int] | None = None  # the room they were fitted in (room())
        self.kept: Opening | None = None  # shown until every row is computed
        self.loaded = False  # every row computed (not only the kept first screenful)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("dash.loading"), id="attention-summary", markup=False)
        yield FilterBar(FILTERS, prompts="attention.filter", select_ids="filter-", id="attention-filters")
        yield AttentionTable(id="attention-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="attention-detail", markup=False)
        yield XFooter()

    def on_mount(self) -> None:
        self.query_one("#attention-table", TextTable).focus()
        self.compute(first=True)

    # ----- computing -------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="attention")
    def compute(self, first: bool = False) -> None:
        app = self.app
        if first:
            # Opening: the first screenful kept when everything was last computed, for the same
            # day, language and settings, with the rows of the engagements changed since merged
            # in (views/firstscreen.py); every row is computed once the screen is drawn (kept_shown).
            self.post_message(self.Kept(firstscreen.attention(app.store, app.today, app.lang, app.settings)))
            return
        # From the rows kept for each engagement file (views/rowcache.py): only the engagements
        # changed since they were last computed are read.
        fingerprint, files = rowcache.attention_files(app.store, app.today, app.lang, app.settings)
        rows, head = firstscreen.attention_whole(fingerprint, files, app.today)
        # The filters' values read every row: here, not on the UI's thread; the columns' widths
        # are each file's, measured when its rows were computed.
        widths = head.opening(0).widths
        self.post_message(self.Computed(rows, filter_choices(rows), widths))
        firstscreen.keep_attention(app.store.root, firstscreen.attention_key(app.today, app.lang, app.settings), head)

    @on(Kept)
    def kept_shown(self, message: Kept) -> None:
        if not self.loaded and message.opening is not None:
            self.kept = message.opening
            self.shown_rows = message.opening.rows
            self.show(message.opening)
        self.compute_once_drawn()  # every row, once this frame and the footer's are drawn

    @on(Computed)
    def computed(self, message: Computed) -> None:
        self.rows, self.choices, self.widths = message.rows, message.choices, message.widths
        self.loaded = True
        self.fill_filters()
        kept, self.kept = self.kept, None
        rows = filtered(self.rows, **self.chosen())
        whole = opening(rows, self.widths, self.rows)
        if kept is not None and whole.head(len(kept.rows)) == kept and self.fitted == self.room(len(rows)):
            # The screenful shown is the head of every row: the rest go in after it, the cursor stays.
            self.shown_rows = rows
            table = self.query_one("#attention-table", TextTable)
            table.fill(len(rows), self.row_of(rows, self.shown_columns), start=len(kept.rows), first=0)
        else:
            self.render_rows()
        self.refresh_bindings()

    # ----- showing -----------------------------------------------------------------------------
    def chosen(self) -> dict[str, str | None]:
        return self.query_one(FilterBar).chosen()

    def fill_filters(self) -> None:
        self.query_one(FilterBar).fill(self.choices)

    def sizes(self) -> tuple[object, object]:
        return (self.size, self.query_one("#attention-table").size)

    def render_rows(self) -> None:
        if not self.loaded:
            if self.kept is not None:
                self.show(self.kept)
            return
        rows = filtered(self.rows, **self.chosen())
        self.shown_rows = rows
        self.show(opening(rows, self.widths, self.rows))

    def row_of(self, rows: list[AttentionRow], columns: list[str]) -> Callable[[int], tuple[list[Any], str]]:
        severities = {s: cells.severity_text(s, t(f"pitfall.severity.{s}")) for s in cells.SEVERITY_MARK}
        return lambda n: ([severities[rows[n].severity] if c == "severity" else cell_text(rows[n], c) for c in columns],
                          str(n))

    def show(self, view: Opening) -> None:
        table = self.query_one("#attention-table", TextTable)
        table.clear(columns=True)
        # One organisation (a municipality's own database): named once above, not in every row,
        # which leaves the subject room at 80 columns.
        single = view.single
        columns = [c for c in COLUMNS if not (c == "organisation" and single is not None)]
        self.rendered_for = self.sizes()
        for column, width in zip(columns, self.column_widths(columns, view.shown, view.widths)):
            table.add_column(t(f"attention.col.{column}"), key=column, width=width)
        self.shown_columns = columns
        table.fill(len(view.rows), self.row_of(view.rows, columns))
        summary = t("attention.summary", n=view.shown, total=view.total)
        text = user(single) + Text("  ") if single else Text(end="")
        text.append(summary + "  ")
        text.append_text(cells.badges([(s, c) for s, c in view.counts.items() if c]))
        self.query_one("#attention-summary", Static).update(text if view.total else t("attention.none"))
        self.render_detail()

    def room(self, rows: int) -> tuple[int, int]:
        """The cells the columns share for `rows` rows, and the vertical scrollbar's width."""
        table = self.query_one("#attention-table", TextTable)
        width = table.size.width or self.size.width
        scrollbar = 2 if rows + 1 > (table.size.height or rows + 1) else 0
        return width, scrollbar

    def column_widths(self, columns: list[str], rows: int, widths: dict[str, int]) -> list[int]:
        """Every column whole where the terminal is wide enough; else the message, the subject
        and then the names give way ("…"; the detail below shows the message whole), so the
        list never scrolls sideways and no cell is measured twice (fixed widths)."""
        headers = {c: cell_width(t(f"attention.col.{c}")) for c in columns}
        severity = max(cell_width(f"{cells.SEVERITY_MARK[s]} {t(f'pitfall.severity.{s}')}") for s in cells.SEVERITY_MARK)
        natural = [max(headers[c], severity if c == "severity" else widths.get(c, 0)) for c in columns]
        minimum = [min(n, max(headers[c], MIN_WIDTH.get(c, n))) for c, n in zip(columns, natural)]
        self.fitted = width, scrollbar = self.room(rows)
        return fit_widths(natural, minimum, width - scrollbar - 2 * len(columns))

    def on_resize(self) -> None:
        # The columns fitted again, only when the size really changed (not the launch's own resize).
        if self.rendered_for is not None and self.rendered_for != self.sizes():
            self.render_rows()

    def current(self) -> AttentionRow | None:
        table = self.query_one("#attention-table", TextTable)
        if not self.shown_rows or table.cursor_row >= len(self.shown_rows):
            return None
        return self.shown_rows[table.cursor_row]

    def render_detail(self) -> None:
        row = self.current()
        detail = self.query_one("#attention-detail", Static)
        if row is None:
            detail.update("")
            return
        width = max(20, self.size.width - 4)
        text = cells.labelled(t("eng.warnings.reason"), row.message, width)
        text.append("\n")
        text.append_text(cells.labelled(t("eng.warnings.action"), row.action, width))
        detail.update(text)

    def on_data_table_row_highlighted(self, event: TextTable.RowHighlighted) -> None:
        self.render_detail()

    def on_data_table_row_selected(self, event: TextTable.RowSelected) -> None:
        event.stop()
        row = self.current()
        if row is None:
            return
        from .engagement import EngagementScreen

        screen = EngagementScreen(row.engagement_id, row.tab)
        if row.subject_id:
            screen.pending = (row.tab, row.subject_id)  # selected once its first load has shown it
        self.app.push_screen(screen)

    @on(Select.Changed)
    def filter_changed(self) -> None:
        self.render_rows()

    # ----- actions -----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export":
            return self.loaded  # not the first screenful alone
        return True

    def action_export(self, fmt: str) -> None:
        from xtalent.export.attention import render_csv, render_xlsx
        from xtalent.views.export_target import start_folder

        rows, lang, today = list(self.shown_rows), self.app.lang, self.app.today
        team = getattr(self.app.store, "team", False)
        folder = start_folder()
        path = folder / f"{t('attention.file', lang)}-{today.isoformat()}.{fmt}"

        def work() -> Path:
            from xtalent.views.export_target import write

            data = render_csv(rows, lang) if fmt == "csv" else render_xlsx(rows, lang, today)
            return write(path, data, team=team)  # the export dialog's one way to write an export

        self.run_io(work, lambda written: self.app.notify_written(written, title=""),
                    name="attention-export")

    def action_close(self) -> None:
        self.dismiss()

    def refresh_language(self) -> None:
        self.query_one(FilterBar).relabel()
        self.compute()

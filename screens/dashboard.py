"""The dashboard: every engagement, how far its know-how has been handed over, and its term.

Ordered by urgency (see xtalent/views/dashboard.py); `s` cycles the sort column (or click a
header), `S` reverses it; `/` searches as you type (Esc clears); `f` cycles the filter (closed
engagements only under 完了・終了 and すべて); `y` cycles the 年度; Enter opens the engagement;
`d` deletes the selected one after the same confirmation as on its overview.
"""

from __future__ import annotations

import gc
import threading
from datetime import date
from typing import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Header, Input, Static

from xtalent.i18n import t
from xtalent.store import StoreError
from xtalent.textwidth import column_width
from xtalent.views import band as summary
from xtalent.views import dashboard as dash
from xtalent.views import rowcache, rowhelper
from xtalent.views.signals import SEVERITIES
from xtalent.views.text import fit_widths

from . import cells
from .cells import Wrapped
from .base import XScreen
from .footer import XFooter
from .usertext import TextTable
from .keys import with_fullwidth


LEGEND_MIN_WIDTH = 100
# The band's tiles need this many lines of the terminal (the list keeps the rest); below it, or
# where the tiles do not fit side by side, the band is one line (which carries the legend).
BAND_TILES_MIN_HEIGHT = 30
TILE_PADDING = 1  # cells either side of a tile's text (dashboard.tcss)
BAND_TILES = ("status", "severity", "ending", "overdue", "bunshin")  # xtalent/views/band.py tiles()


class EngagementTable(TextTable):
    """The engagements; Enter (open) is shown in the footer, not hidden as DataTable's own."""

    BINDINGS = [Binding("enter", "select_cursor", "bind.dash_open", id="dash_open")]


# Whether the launch's heap was settled (settle_heap): once per process.
_heap_settled = False


def settle_heap() -> None:
    """Once the launch's own work is done (the rows shown, the views' kept data brought up to
    date), collect its garbage and freeze what stays (the dashboard's rows and table, caches:
    ~90,000 objects at a thousand engagements), as the launch's imports are (cli/tui.py).  Else
    the launch left a full collection due, and it fell on whatever allocated next — often the
    first `p` or `w`, 20–60 ms walking those objects in the middle of the opening (bench/
    staff_screen.py: the cold, new-day and upgrade openings).  Done here, in the follow-up's
    worker, while the user reads the list; once per process: a screen's objects frozen alive
    are never collected once gone."""
    global _heap_settled
    if _heap_settled:
        return
    _heap_settled = True
    gc.collect()
    gc.freeze()


class DashboardScreen(XScreen):
    # Its stylesheet, dashboard.tcss, is loaded by the app (screens/app.py): it is always shown.
    BINDINGS = with_fullwidth([
        Binding("slash", "focus_search", "bind.dash_search", id="dash_search"),
        Binding("n", "new_engagement", "bind.new_engagement", id="new_engagement"),
        Binding("w", "attention", "bind.attention", id="attention"),
        Binding("p", "staff", "bind.staff", id="staff"),
        # f, s and S are named in the status line ("絞り込み(f)", "並べ替え(s/S)"): not in the footer,
        # which must leave room for ? and q at 80 columns.
        Binding("f", "cycle_filter", "bind.dash_filter", id="dash_filter", show=False),
        Binding("y", "cycle_fiscal_year", "bind.dash_fiscal_year", id="dash_fiscal_year", show=False),
        Binding("o", "cycle_organisation", "bind.dash_organisation", id="dash_organisation", show=False),
        Binding("s", "cycle_sort", "bind.dash_sort", id="dash_sort", show=False),
        Binding("S", "reverse_sort", "bind.dash_reverse", id="dash_reverse", show=False),
        Binding("enter", "open", "bind.dash_open", id="dash_open_screen", show=False),
        Binding("x", "export", "bind.export_checklist", id="dash_export", show=False),
        # d deletes, with the confirmation it asks on the engagement's overview and every tab.
        Binding("d", "delete_engagement", "bind.dash_delete", id="dash_delete", show=False),
        Binding("R", "report", "bind.dash_report", id="dash_report", show=False),  # the 年度実績報告
        Binding("r", "reload", "bind.reload", id="reload", show=False),
        Binding("escape", "clear_search", "bind.dash_clear", id="dash_clear", show=False),
    ])

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dash.DashboardRow] = []
        self.shown: list[dash.DashboardRow] = []
        self.query_text = ""
        self.filter = dash.Filter.OPEN
        self.fiscal_year: int | None = None  # the 年度 filter (y): terms overlapping it
        self.organisation: str | None = None  # the organisation filter (o)
        self.sort_column: str | None = None
        self.sort_reverse = False
        self.loaded = False
        self.stale_day: date | None = None  # rows on screen are from this day's cache, being updated
        self.first_of: int | None = None  # rows on screen are the first computed of this many
        self.select_next: str | None = None  # an engagement to put the cursor on once it is shown
        self.to_top = False  # the order changed: start again from the first row
        self.rendered_for: tuple[object, object] | None = None  # the sizes the widths were fitted to
        self.pending_ids: set[str] = set()  # engagements edited while another screen was on top
        self.band: summary.Band | None = None  # the summary band as last shown
        self.ahead: rowhelper.AheadPass | None = None  # keeping the coming days' rows (keep_rows_ahead)
        self.ahead_days: list[date] = []  # the days whose rows it kept

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=t("dash.search_placeholder"), id="dashboard-search")
        with Horizontal(id="dashboard-status"):
            yield Static(t("dash.loading"), id="dashboard-summary", markup=False)
            yield Static(self.legend(), id="dashboard-legend", markup=False)
        with Horizontal(id="dashboard-band"):
            for key in BAND_TILES:
                yield Static(id=f"band-{key}", classes="band-tile", markup=False)
        yield Static(id="dashboard-band-line", markup=False)
        # Why the list is empty and what to do, on a line of its own: beside the status it was cut.
        yield Static(id="dashboard-hint", markup=False)
        yield EngagementTable(id="engagements", cursor_type="row", zebra_stripes=True, fixed_columns=1)
        yield XFooter()

    @staticmethod
    def legend() -> Text:
        """What the warning marks mean: ● critical ▲ warning · info."""
        return cells.badges([(severity, 0) for severity in SEVERITIES], labels=True)

    def on_mount(self) -> None:
        self.query_one("#engagements", DataTable).focus()
        self.action_reload()

    # ----- data -----------------------------------------------------------------------------
    def action_new_engagement(self) -> None:
        from .forms import open_engagement_form

        # All engagements in one organisation (a municipality's own database): it is pre-filled.
        defaults = {"organisation": dash.common_organisation(self.rows)}
        open_engagement_form(self.app, on_saved=self.created, defaults=defaults)

    def created(self, engagement: object) -> None:
        """After onboarding, show the new engagement: clear what would hide it from the list, put
        the cursor on it and open it on its overview."""
        engagement_id = getattr(engagement, "id", None)
        if not engagement_id:
            return
        self.filter = dash.Filter.OPEN
        self.fiscal_year = None
        self.organisation = None
        self.query_text = ""
        search = self.query_one("#dashboard-search", Input)
        with search.prevent(Input.Changed):
            search.value = ""
        self.select_next = str(engagement_id)
        self.action_reload()  # the list behind the engagement screen has it, cursor on it
        self.open(str(engagement_id))

    def action_reload(self) -> None:
        app = self.app
        today, lang, store, settings = app.today, app.lang, app.store, app.settings

        def work() -> tuple[list[dash.DashboardRow], list[Callable[[], None]]]:
            # Rows cached for these very files, day, language, settings and code paint at once
            # (a prefecture's thousand engagements); only the others are computed.
            fingerprint = store.fingerprint()
            app.note_loaded(fingerprint)  # what "changed elsewhere" is measured against

            def stale(rows: list[dash.DashboardRow], day: date) -> None:
                # The first launch of a day: the last rows at once, marked as being updated.
                if self.loaded:
                    return
                painted = threading.Event()
                self.app.call_from_thread(self.show_meanwhile, rows, painted, day=day)
                painted.wait(2.0)  # computing holds the interpreter: let those rows reach the screen first

            def first(rows: list[dash.DashboardRow], total: int) -> None:
                # Nothing kept to show (another code version, language or settings): the first
                # rows computed, marked, while the others are.
                if self.loaded:
                    return
                painted = threading.Event()
                self.app.call_from_thread(self.show_meanwhile, rows, painted, of=total)
                painted.wait(2.0)

            writes: list[Callable[[], None]] = []  # the rows computed, written once they are shown
            rows = rowcache.current_rows(store, today, lang, settings, fingerprint=fingerprint, stale=stale,
                                         first=first, keep=writes.append)
            return rows, writes

        self.run_io(work, self.shown_with, name="load-engagements")

    def shown_with(self, loaded: tuple[list[dash.DashboardRow], list[Callable[[], None]]]) -> None:
        """Show the rows; then, in a worker of its own, write the rows computed to the row cache
        and bring what the attention view and the staff screen keep up to date where it is stale
        (rowcache.keep_beside: a new day, code version, language or settings, many files changed
        elsewhere): the day's first `w`, an upgrade's first `p` then open from kept files."""
        rows, writes = loaded
        self.show(rows)
        app = self.app
        store, beside = app.store, rowcache.Beside(app.today, app.lang, app.settings)
        rowcache.will_keep(store.root, beside)  # a view opened meanwhile waits for it

        def keep() -> None:
            for write in writes:
                write()
            rowcache.keep_beside(store, beside)
            settle_heap()

        # Once the frame with the rows is drawn: it never waits for this.  Asked of the table, not
        # of the screen: the table takes in its new rows when its own messages are done (its idle),
        # so a callback the screen held already would run before the frame that shows them.
        table = self.query_one("#engagements", DataTable)
        table.call_after_refresh(lambda: self.run_io(keep, lambda _: self.keep_rows_ahead(), name="keep-beside"))

    class RowsAhead(Message):
        """The rows of the coming days are kept (rowcache.keep_ahead): their first launch paints at once."""

        def __init__(self, days: list[date]) -> None:
            super().__init__()
            self.days = days

    def keep_rows_ahead(self) -> None:
        """After the views' kept data: the rows of the coming days up to the next open day,
        computed and kept by a process of their own at low priority (rowhelper.AheadPass), unless
        kept already for these files (rowcache.ahead_wanted: a warm launch starts none).  Its
        worker waits for it and posts RowsAhead; the process ends with the screen."""
        app = self.app
        store, today, lang, settings = app.store, app.today, app.lang, app.settings
        ahead = rowhelper.ahead_pass(store.root, today, lang, settings)
        if ahead is None:
            return
        if self.ahead is not None:
            self.ahead.stop()  # a reload's: this one computes for the files as they are now
        self.ahead = ahead

        def work() -> None:
            if rowcache.ahead_wanted(store.root, store.fingerprint(), today, lang, settings):
                days = ahead.run()
                if days:
                    self.post_message(self.RowsAhead(days))

        self.run_worker(work, name="rows-ahead", group="rows-ahead", thread=True, exclusive=True, exit_on_error=False)

    @on(RowsAhead)
    def rows_ahead_kept(self, message: RowsAhead) -> None:
        self.ahead_days = message.days

    def on_unmount(self) -> None:
        if self.ahead is not None:
            self.ahead.stop()  # the app's exit waits for the worker that waits for it

    def refresh_data(self, changed: set[str] | None = None) -> None:
        """After our own edit only the engagements it wrote get new rows, from the session's
        saved copies: no other file is read, no cache written (a later launch recomputes just
        those rows).  Anything else (None) reloads the whole list."""
        if changed is None or not self.loaded:
            self.action_reload()
            return
        if not changed:
            return
        if self.app.screen is not self:  # (is_current also counts a screen under a translucent one)
            self.pending_ids |= changed  # computed when the user comes back to the list
            return
        today, lang, store, session = self.app.today, self.app.lang, self.app.store, self.app.session
        settings, ids = self.app.settings, sorted(changed)

        def work() -> tuple[list[dash.DashboardRow], set[str]]:
            rows, gone = [], set()
            for eid in ids:
                engagement = session.saved_copy(eid)
                if engagement is None:
                    try:
                        engagement = store.get(eid)
                    except StoreError:  # deleted (by us, or by another process)
                        gone.add(eid)
                        continue
                rows.append(dash.dashboard_row(engagement, today, lang, settings=settings))
            return rows, gone

        self.run_io(work, self.update_rows, name="update-rows")

    def update_rows(self, result: tuple[list[dash.DashboardRow], set[str]]) -> None:
        changed, gone = result
        fresh = {row.id: row for row in changed}
        rows = [fresh.pop(row.id, row) for row in self.rows if row.id not in gone]
        self.rows = rows + list(fresh.values())
        self.render_table()

    def on_screen_resume(self) -> None:
        if self.pending_ids:
            changed, self.pending_ids = self.pending_ids, set()
            self.refresh_data(changed)

    def refresh_language(self) -> None:
        self.query_one("#dashboard-search", Input).placeholder = t("dash.search_placeholder")
        self.query_one("#dashboard-legend", Static).update(self.legend())
        self.action_reload()  # role labels and 年度 are in the language

    def show(self, rows: list[dash.DashboardRow]) -> None:
        self.rows = rows
        self.loaded = True
        self.stale_day = self.first_of = None
        self.render_table()
        self.app.warm_up()

    def show_meanwhile(self, rows: list[dash.DashboardRow], painted: threading.Event, *, day: date | None = None,
                       of: int | None = None) -> None:
        """Rows to show until today's are all computed: another `day`'s, or the first `of` many."""
        if self.loaded:  # today's rows won the race
            painted.set()
            return
        self.rows = rows
        self.stale_day, self.first_of = day, of
        self.render_table()
        self.call_after_refresh(painted.set)

    # ----- rendering --------------------------------------------------------------------------
    def column_label(self, column: str) -> str:
        text = t(f"dash.col.{column}")
        if dash.SORT_OF.get(column, column) == self.sort_column:
            text += dash.sort_marker(self.sort_column, self.sort_reverse)
        return text

    def styled(self, row: dash.DashboardRow, column: str, text: str) -> Text:
        if column == "days":
            return cells.countdown(text, row.days_left)
        if column == "transfer":
            return cells.progress(text, row.transfer_ratio)
        if column == "readiness":
            return cells.readiness(row.readiness)
        if column == "warnings":
            return cells.badges(row.badges())
        if column == "status":
            return cells.plain(text, "green" if row.closed else "dim" if row.ended else "")
        return cells.plain(text, "dim" if row.ended or row.closed else "")

    def available(self, rows: int) -> int:
        table = self.query_one("#engagements", DataTable)
        width = table.size.width or self.size.width
        scrollbar = 2 if rows + 1 > (table.size.height or rows + 1) else 0
        return width - scrollbar - 2 * len(dash.DISPLAY)

    @staticmethod
    def natural(headers: list[str], texts: list[dict[str, str]]) -> list[int]:
        return [column_width(h, (r[c] for r in texts)) for h, c in zip(headers, dash.DISPLAY)]

    def widths(self, headers: list[str], texts: list[dict[str, str]]) -> list[int]:
        """Natural widths, shortened (role, organisation, person) to fit the terminal's width."""
        natural = self.natural(headers, texts)
        minimum = [min(natural[n], dash.MIN_WIDTH.get(c, natural[n])) for n, c in enumerate(dash.DISPLAY)]
        return fit_widths(natural, minimum, self.available(len(texts)))

    def render_table(self) -> None:
        table = self.query_one("#engagements", DataTable)
        selected = self.selected_id()
        view = dash.view(self.rows, self.query_text, self.filter, self.sort_column, self.sort_reverse, self.fiscal_year,
                         self.organisation)
        self.shown = view.rows
        texts = [row.cells(organisation=view.organisation is None) for row in view.rows]
        headers = [self.column_label(column) for column in dash.DISPLAY]
        if sum(self.natural(headers, texts)) > self.available(len(texts)):
            # Narrow: the term end without its 年度 rather than "令和8年" cut off at the edge.
            texts = [row.cells(organisation=view.organisation is None, fiscal_year=False) for row in view.rows]
            headers[dash.DISPLAY.index("term_end")] = t("dash.col.term_end_short")
        self.rendered_for = (self.size, table.size)
        table.clear(columns=True)
        for column, header, width in zip(dash.DISPLAY, headers, self.widths(headers, texts)):
            table.add_column(header, key=column, width=width)
        for row, text in zip(view.rows, texts):
            table.add_row(*(self.styled(row, c, text[c]) for c in dash.DISPLAY), key=row.id)
        ids = [r.id for r in view.rows]
        if self.select_next in ids:
            selected, self.select_next = self.select_next, None
        if self.to_top:
            self.to_top = False
            table.move_cursor(row=0)
        elif selected in ids:
            table.move_cursor(row=ids.index(selected))
        summary = self.query_one("#dashboard-summary", Static)
        status = dash.status_text(view, self.query_text, self.filter, self.sort_column, self.sort_reverse,
                                  year=self.fiscal_year)
        if self.stale_day is not None:
            status = t("dash.cache.stale", day=self.stale_day.isoformat()) + "  " + status
        elif self.first_of is not None:
            status = t("dash.cache.first", done=len(self.rows), total=self.first_of) + "  " + status
        summary.update(status if self.rows else "")
        hint = self.query_one("#dashboard-hint", Static)
        hint.update(Wrapped(t("dash.empty") if not self.rows else t("dash.no_match") if not view.rows else ""))
        hint.display = not view.rows
        self.render_band(view.rows)

    def render_band(self, rows: list[dash.DashboardRow]) -> None:
        """The summary band of the rows the list shows: tiles where they fit, else one line."""
        self.band = summary.band(rows, self.app.today, self.fiscal_year)
        tiles = summary.tiles(self.band)
        width = self.size.width
        wide = bool(self.rows) and self.size.height >= BAND_TILES_MIN_HEIGHT and (
            summary.tiles_width(tiles, TILE_PADDING) <= width
        )
        self.query_one("#dashboard-band").display = wide
        line = self.query_one("#dashboard-band-line", Static)
        line.display = bool(self.rows) and not wide
        # The one line carries the warning marks with their labels: the legend would say it twice.
        legend = not self.rows or wide
        self.query_one("#dashboard-legend").display = legend
        # The legend beside the status where there is room for it, else on a line of its own.
        self.query_one("#dashboard-status").set_class(legend and width < LEGEND_MIN_WIDTH, "-narrow")
        if wide:
            spare = width - summary.tiles_width(tiles, TILE_PADDING)
            height = 1 + max(len(tile.lines) for tile in tiles)  # one height: the tiles read as a band
            for n, tile in enumerate(tiles):
                widget = self.query_one(f"#band-{tile.key}", Static)
                extra = spare // len(tiles) + (1 if n < spare % len(tiles) else 0)
                widget.styles.width = tile.width() + 2 * TILE_PADDING + extra
                widget.styles.height = height
                widget.update(cells.band_tile(tile))
        elif self.rows:
            line.update(cells.band_line(summary.fit(summary.segments(self.band), width - 2 * TILE_PADDING)))

    def on_resize(self) -> None:
        if not self.rows:  # (with rows, render_band places the legend)
            self.query_one("#dashboard-status").set_class(self.size.width < LEGEND_MIN_WIDTH, "-narrow")
        # Re-fit only when the size really changed: rebuilding the table drops its rendered rows
        # (the resize at launch comes after the first rows were already fitted).
        if self.loaded and self.rendered_for != (self.size, self.query_one("#engagements", DataTable).size):
            self.render_table()

    def selected_id(self) -> str | None:
        table = self.query_one("#engagements", DataTable)
        if not self.shown or table.row_count == 0:
            return None
        row = min(table.cursor_row, len(self.shown) - 1)
        return self.shown[row].id if row >= 0 else None

    # ----- search, filter, sort -----------------------------------------------------------------
    def action_focus_search(self) -> None:
        self.query_one("#dashboard-search", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "dashboard-search":
            self.query_text = event.value
            self.render_table()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "dashboard-search":
            self.query_one("#engagements", DataTable).focus()

    def action_clear_search(self) -> None:
        search = self.query_one("#dashboard-search", Input)
        if search.value:
            search.value = ""  # posts Changed: the table re-renders
        self.query_one("#engagements", DataTable).focus()

    def action_cycle_filter(self) -> None:
        self.filter = self.filter.next()
        self.render_table()

    def action_cycle_fiscal_year(self) -> None:
        self.fiscal_year = dash.next_fiscal_year(self.fiscal_year, self.rows, self.app.today)
        self.render_table()

    def action_cycle_organisation(self) -> None:
        self.organisation = dash.next_organisation(self.organisation, self.rows)
        self.to_top = True
        self.render_table()

    def action_cycle_sort(self) -> None:
        self.sort_column = dash.next_sort(self.sort_column)
        self.sort_reverse = False
        self.to_top = True
        self.render_table()

    def action_reverse_sort(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self.to_top = True  # the first row of the new order, not the same person further down
        self.render_table()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        column = dash.SORT_OF.get(str(event.column_key.value), str(event.column_key.value))
        if column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, False
        self.to_top = True
        self.render_table()

    # ----- opening ----------------------------------------------------------------------------
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "engagements" and event.row_key.value:
            self.open(str(event.row_key.value))

    def action_open(self) -> None:
        engagement_id = self.selected_id()
        if engagement_id:
            self.open(engagement_id)

    def open(self, engagement_id: str) -> None:
        from .engagement import EngagementScreen

        self.app.push_screen(EngagementScreen(engagement_id))

    def action_attention(self) -> None:
        from .attention import AttentionScreen

        self.app.push_screen(AttentionScreen())

    def action_staff(self) -> None:
        from .staff import StaffScreen

        self.app.push_screen(StaffScreen())

    def action_report(self) -> None:
        """The 年度実績報告 of the 年度 and the organisation the dashboard is filtered to (else the
        current 年度, every organisation)."""
        from .report_dialog import ReportDialog

        def done(path) -> None:
            if path is not None:
                self.app.notify_written(path)

        from xtalent import organisations

        known = [o.name for o in organisations.registry(r.org_name for r in self.rows)]
        self.app.push_screen(ReportDialog(self.fiscal_year, self.organisation, known), done)

    def action_delete_engagement(self) -> None:
        """The selected engagement, loaded as it is now, then the same confirmation as on its overview."""
        engagement_id = self.selected_id()
        if engagement_id:
            from .forms import confirm_delete_engagement

            app, session = self.app, self.app.session
            self.run_io(lambda: session.current(engagement_id), lambda e: confirm_delete_engagement(app, e),
                        name="load-for-delete")

    def action_export(self) -> None:
        engagement_id = self.selected_id()
        if engagement_id:
            from .export_dialog import open_export

            open_export(self, engagement_id)

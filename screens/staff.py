"""The staff screen (p on the dashboard): the employees of the organisation, each with what they
receive across engagements — load, stages, rotation risk — and their record: edit it (e), mark
them 異動済み / 退職 (l: their stages stay, shown as lost capacity), and confirm or reject the
merge proposals (m: the same name and department in one organisation).

What it shows is computed in xtalent.views.staff; the loads and writes run in workers that
belong to this screen and post their results back as messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Button, Header, Input, Select, Static

from xtalent import organisations
from xtalent.dates import DateParseError, parse_date
from xtalent.i18n import t
from xtalent.labels import label
from xtalent.models import Employee, PeopleRegistry, StaffStatus
from xtalent.people import Proposal, left, proposals
from xtalent.views import firstscreen, rowcache
from xtalent.views.staff import (
    FILTERS, Detail, Line, Opening, StaffRow, cells, detail, filter_choices, filtered, opening, proposal_lines,
    unlinked,
)

from .base import WholeDatabaseScreen, XModal
from .filterbar import FilterBar
from .footer import XFooter
from .usertext import FIRST_ROWS, TextTable

RECEIVED = ("person", "item", "stage", "reached", "risk")


class StaffTable(TextTable):
    pass


class StaffScreen(WholeDatabaseScreen):
    CSS_PATH = "staff.tcss"
    BINDINGS = [
        Binding("escape", "close", "bind.close", id="close"),
        Binding("slash", "focus_search", "bind.dash_search", id="staff_search"),
        Binding("e", "edit", "bind.staff_edit", id="staff_edit"),
        Binding("l", "leave", "bind.staff_leave", id="staff_leave"),
        Binding("m", "proposals", "bind.staff_proposals", id="staff_proposals"),
        Binding("r", "reload", "bind.reload", id="reload", show=False),
    ]

    @dataclass
    class Computed(Message):
        rows: list[StaffRow]
        registry: PeopleRegistry
        waiting: list[Proposal]
        choices: dict[str, list[str]]

    @dataclass
    class Kept(Message):
        opening: Opening | None  # the first screenful kept from the last time everything was computed

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[StaffRow] = []
        self.shown_rows: list[StaffRow] = []
        self.registry = PeopleRegistry()
        self.waiting: list[Proposal] = []  # the registry's merge proposals, computed once per load
        self.query_text = ""
        self.loaded = False
        self.kept: Opening | None = None  # shown until every row is computed
        self.detail_shown: tuple[str, Detail | None] | None = None  # (language, detail) below the list

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=t("staff.search_placeholder"), id="staff-search")
        yield Static(t("dash.loading"), id="staff-summary", markup=False)
        yield FilterBar(FILTERS, prompts="staff.filter", select_ids="staff-filter-", id="staff-filters")
        yield StaffTable(id="staff-table", cursor_type="row", zebra_stripes=True)
        with Vertical(id="staff-detail"):
            yield Static(id="staff-record", markup=False)
            yield TextTable(id="staff-received", cursor_type="row", zebra_stripes=True)
        yield XFooter()

    def on_mount(self) -> None:
        self.query_one("#staff-table", TextTable).focus()
        self.compute(first=True)

    # ----- computing -------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="staff")
    def compute(self, first: bool = False) -> None:
        app: Any = self.app
        store = app.store
        if first:
            # Opening: the first screenful kept when everything was last computed, for the same
            # employee records and language, with the engagements changed since read again
            # (views/firstscreen.py); every row is computed once the screen is drawn (kept_shown):
            # a worker started now would hold the interpreter while the first frame is being drawn.
            self.post_message(self.Kept(firstscreen.staff(store, app.lang)))
            return
        key = firstscreen.staff_key(store.people_path, app.lang)  # before anything is read
        # Who receives what, kept per engagement file (views/rowcache.py): only the engagements
        # changed since are read, never all of them (a thousand take seconds to validate).
        fingerprint, facts = rowcache.receptions_files(store)
        missing = [f["id"] for f in facts if unlinked(f)]
        if missing and not store.read_only:
            store.link_receivers(missing)  # receivers added since gain their employee record
            app.session.wrote(missing)
            key = firstscreen.staff_key(store.people_path, app.lang)
            fingerprint, facts = rowcache.receptions_files(store)
        registry, rows, waiting, whole, kept_head = firstscreen.staff_whole(store, app.lang, fingerprint, facts)
        self.post_message(self.Computed(rows, registry, waiting, filter_choices(rows)))
        firstscreen.keep_staff(store.root, key, kept_head, whole)

    @on(Kept)
    def kept_shown(self, message: Kept) -> None:
        if not self.loaded and message.opening is not None:
            self.kept = message.opening
            self.show(message.opening, len(message.opening.lines), lambda n: message.opening.lines[n])  # type: ignore[union-attr]
        self.compute_once_drawn()  # every row, once this frame and the footer's are drawn

    @on(Computed)
    def computed(self, message: Computed) -> None:
        self.rows, self.registry, self.waiting = message.rows, message.registry, message.waiting
        self.loaded = True
        self.query_one(FilterBar).fill(message.choices)
        kept, self.kept = self.kept, None
        table = self.query_one("#staff-table", TextTable)
        rows = filtered(self.rows, query=self.query_text, **self.chosen())
        if kept is not None and not self.query_text and \
                opening(rows, self.rows, len(self.waiting), self.app.lang, len(kept.lines)) == kept:
            # The screenful shown is the head of every row: the rest go in after it, the cursor
            # stays (on the same person: the rows above it are the same).
            self.shown_rows = rows
            line = self.line_of(rows)
            table.fill(len(rows), lambda n: self.cells_of(line(n), kept.columns), start=len(kept.lines), first=0)
            self.render_detail()
        else:
            self.render_rows()
        self.refresh_bindings()

    # ----- showing -----------------------------------------------------------------------------
    def chosen(self) -> dict[str, str | None]:
        return self.query_one(FilterBar).chosen()

    @staticmethod
    def cells_of(line: Line, columns: list[str]) -> tuple[list[Any], str]:
        styled: dict[str, Any] = dict(line.cells)
        styled["name"] = Text(line.cells["name"], style="dim strike" if line.gone else "")
        styled["status"] = Text(line.cells["status"], style="dim" if line.gone else "")
        styled["risk"] = Text(line.cells["risk"], style="bold red" if line.at_risk else "")
        return [styled[c] for c in columns], line.id

    @staticmethod
    def line_of(rows: list[StaffRow]) -> Callable[[int], Line]:
        def line(n: int) -> Line:
            r = rows[n]
            return Line(r.id, cells(r), r.employee.status.gone, bool(r.at_risk))

        return line

    def show(self, view: Opening, count: int, line: Callable[[int], Line], *, first: int | None = None, at: int | None = None) -> None:
        """The list's columns, `count` rows (`line(n)`), the summary line and the detail."""
        table = self.query_one("#staff-table", TextTable)
        table.clear(columns=True)
        for column in view.columns:
            table.add_column(t(f"staff.col.{column}"), key=column)
        table.fill(count, lambda n: self.cells_of(line(n), view.columns), first=first)
        if at is not None:  # the same person, wherever the order put them
            table.move_cursor(row=at)
        self.query_one("#staff-summary", Static).update(t("staff.none") if view.empty else view.summary)
        self.render_detail()

    def render_rows(self) -> None:
        if not self.loaded:
            return
        table = self.query_one("#staff-table", TextTable)
        selected = self.current()
        rows = filtered(self.rows, query=self.query_text, **self.chosen())
        self.shown_rows = rows
        ids = [r.id for r in rows]
        # A screenful first, the rest in batches (TextTable.fill); the selected person's row in the first.
        at = ids.index(selected.id) if selected is not None and selected.id in ids else None
        view = opening(rows, self.rows, len(self.waiting), self.app.lang, 0)
        self.show(view, len(rows), self.line_of(rows), first=None if at is None else max(at + 1, FIRST_ROWS), at=at)

    def current(self) -> StaffRow | None:
        table = self.query_one("#staff-table", TextTable)
        if not self.shown_rows or table.cursor_row >= len(self.shown_rows) or table.cursor_row < 0:
            return None
        return self.shown_rows[table.cursor_row]

    def render_detail(self) -> bool:
        """The selected employee's detail below the list; False when it is the one shown already."""
        row = self.current()
        if row is not None:
            return self.show_detail(detail(row, self.app.lang))  # type: ignore[attr-defined]
        if self.kept is not None and self.query_one("#staff-table", TextTable).cursor_row == 0:
            return self.show_detail(self.kept.first)  # the kept screenful's first row, until every row is in
        return self.show_detail(None)

    def show_detail(self, shown: Detail | None) -> bool:
        """Show `shown` below the list, unless exactly that is shown (in this language): the
        table's first highlight, after the opening drew the first row's, would lay out the
        screen's second frame again for nothing.  Returns whether it changed."""
        lang: str = self.app.lang  # type: ignore[attr-defined]
        if self.detail_shown == (lang, shown):
            return False
        self.detail_shown = (lang, shown)
        record = self.query_one("#staff-record", Static)
        received = self.query_one("#staff-received", TextTable)
        received.clear(columns=True)
        if shown is None:
            record.update("")
            return True
        text = Text()
        for n, (name, value) in enumerate(shown.record):
            if n:
                text.append("  ")
            text.append(f"{name}: ", style="bold")
            text.append(value)
        record.update(text)
        for column in RECEIVED:
            received.add_column(t(f"staff.received.{column}"), key=column)
        for n, r in enumerate(shown.received):
            received.add_row(
                r.person, r.item, Text(r.stage, style="dim strike" if shown.gone else ""), r.reached,
                Text(r.mark, style="bold red" if r.risky else "dim"), key=str(n),
            )
        return True

    def on_data_table_row_highlighted(self, event: TextTable.RowHighlighted) -> None:
        if event.data_table.id == "staff-table":
            if not self.render_detail():
                return  # the same detail as shown (the table's first highlight, on the row show() drew it for)
            # The detail below has a new height: keep the selected employee in view.
            table = event.data_table
            self.call_after_refresh(lambda: table.move_cursor(row=table.cursor_row, animate=False))

    @on(Select.Changed)
    def filter_changed(self) -> None:
        self.render_rows()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "staff-search":
            self.query_text = event.value
            self.render_rows()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "staff-search":
            self.query_one("#staff-table", TextTable).focus()

    def action_focus_search(self) -> None:
        self.query_one("#staff-search", Input).focus()

    # ----- actions -----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "leave"):
            return self.current() is not None and not getattr(self.app.store, "read_only", False)  # type: ignore[attr-defined]
        if action == "proposals":
            return bool(self.waiting) and not getattr(self.app.store, "read_only", False)  # type: ignore[attr-defined]
        return True

    def action_edit(self) -> None:
        row = self.current()
        if row is not None:
            names = [o.name for o in organisations.registry(r.employee.organisation for r in self.rows)]
            self.app.push_screen(EmployeeForm(row.employee, row.engagements, names), self.saved)

    def action_leave(self) -> None:
        row = self.current()
        if row is not None:
            self.app.push_screen(LeaveDialog(row.employee, row.engagements, self.app.today), self.saved)  # type: ignore[attr-defined]

    def action_proposals(self) -> None:
        self.app.push_screen(ProposalsDialog(self.registry, self.rows), lambda changed: self.saved(changed or None))

    def saved(self, employee: object) -> None:
        if employee:  # the engagements that name them were brought up to the record
            self.app.data_changed(None)  # type: ignore[attr-defined]

    def action_close(self) -> None:
        self.dismiss()

    def refresh_language(self) -> None:
        self.query_one(FilterBar).relabel()
        self.query_one("#staff-search", Input).placeholder = t("staff.search_placeholder")
        self.compute()


class _EmployeeSave(XModal[Employee | None]):
    """What the employee form and the leave dialog share: saving from what the user saw, and a
    colleague's change on the same field answered by the user (keep mine / keep theirs)."""

    def __init__(self, employee: Employee, engagement_ids: list[str]) -> None:
        super().__init__()
        self.base = employee
        self.engagement_ids = engagement_ids  # the engagements that name them, written with the record

    def save(self, wanted: Employee, choose: Any = None) -> None:
        store: Any = self.app.store  # type: ignore[attr-defined]
        session: Any = self.app.session  # type: ignore[attr-defined]
        base, ids = self.base, self.engagement_ids

        def work() -> Employee:
            saved = store.save_employee(wanted, base=base, choose=choose)
            session.wrote(ids)
            return saved

        def done(saved: Employee) -> None:
            self.dismiss(saved)

        def failed(error: BaseException) -> None:
            from xtalent.errors import EmployeeConflict

            if isinstance(error, EmployeeConflict):
                def answered(side: str | None) -> None:
                    if side in ("mine", "theirs"):
                        from xtalent.merge import choice

                        self.save(wanted, choice(error.conflicts, side))  # type: ignore[arg-type]

                self.app.push_screen(EmployeeConflictDialog(error), answered)
            else:
                self.app.show_error(error)  # type: ignore[attr-defined]

        self.run_io(work, done, name="employee-save", on_error=failed)


class EmployeeForm(_EmployeeSave):
    CSS_PATH = "staff.tcss"
    FIELDS = ("name", "name_kana", "organisation", "department", "position", "rotation_expected")
    BINDINGS = [
        Binding("ctrl+s", "save", "bind.save", id="employee_save"),
        Binding("escape", "cancel", "bind.cancel", id="employee_cancel"),
    ]

    def __init__(self, employee: Employee, engagement_ids: list[str], organisations_known: list[str]) -> None:
        super().__init__(employee, engagement_ids)
        self.organisations_known = organisations_known

    def compose(self) -> ComposeResult:
        e = self.base
        with Vertical(id="employee-box", classes="staff-dialog"):
            yield Static(t("staff.form.title", name=e.name), id="employee-title", markup=False)
            for name in self.FIELDS:
                value = getattr(e, name)
                yield Static(t(f"staff.field.{name}"), classes="staff-label", markup=False)
                suggester = SuggestFromList(self.organisations_known, case_sensitive=False) if name == "organisation" else None
                yield Input(value.isoformat() if isinstance(value, date) else (value or ""), id=f"employee-{name}",
                            suggester=suggester, compact=True)
            yield Static("", id="employee-error", markup=False)
            with Horizontal(classes="staff-buttons"):
                yield Button(t("staff.form.save"), id="employee-save", variant="primary", compact=True)
                yield Button(t("confirm.keep"), id="employee-cancel", compact=True)
        yield XFooter()

    def on_mount(self) -> None:
        self.query_one("#employee-name", Input).focus()

    def wanted(self) -> Employee | None:
        from pydantic import ValidationError

        from xtalent.errors import from_validation_error

        values: dict[str, Any] = {n: self.query_one(f"#employee-{n}", Input).value for n in self.FIELDS}
        values["rotation_expected"] = values["rotation_expected"] or None
        try:
            return Employee.model_validate({**self.base.model_dump(), **values})
        except ValidationError as exc:
            lines = from_validation_error(exc, t("staff.form.where")).lines()
            self.query_one("#employee-error", Static).update(Text("\n".join(lines), style="red"))
            return None

    def action_save(self) -> None:
        wanted = self.wanted()
        if wanted is not None:
            self.save(wanted)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "employee-save":
            self.action_save()
        else:
            self.dismiss(None)


class LeaveDialog(_EmployeeSave):
    """Mark an employee 異動済み or 退職 with the day (or back to 在籍): nothing they reached is removed."""

    CSS_PATH = "staff.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "bind.save", id="leave_save"),
        Binding("escape", "cancel", "bind.cancel", id="leave_cancel"),
    ]

    def __init__(self, employee: Employee, engagement_ids: list[str], today: date) -> None:
        super().__init__(employee, engagement_ids)
        self.today = today

    def compose(self) -> ComposeResult:
        e = self.base
        status = e.status if e.status.gone else StaffStatus.TRANSFERRED
        with Vertical(id="leave-box", classes="staff-dialog"):
            yield Static(t("staff.leave.title", name=e.name), id="leave-title", markup=False)
            yield Static(t("staff.leave.message"), id="leave-message", markup=False)
            yield Select([(label(s), s.value) for s in StaffStatus], value=status.value, allow_blank=False,
                         id="leave-status", compact=True)
            yield Static(t("staff.field.left_on"), classes="staff-label", markup=False)
            yield Input((e.left_on or self.today).isoformat(), id="leave-on", compact=True)
            yield Static("", id="leave-error", markup=False)
            with Horizontal(classes="staff-buttons"):
                yield Button(t("staff.form.save"), id="leave-save", variant="warning", compact=True)
                yield Button(t("confirm.keep"), id="leave-cancel", compact=True)
        yield XFooter()

    def on_mount(self) -> None:
        self.query_one("#leave-status", Select).focus()

    def action_save(self) -> None:
        status = StaffStatus(str(self.query_one("#leave-status", Select).value))
        day: date | None = None
        if status.gone:
            try:
                day = parse_date(self.query_one("#leave-on", Input).value)
            except DateParseError as exc:
                self.query_one("#leave-error", Static).update(Text(t(exc.reason), style="red"))
                return
        self.save(left(self.base, status, day))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "leave-save":
            self.action_save()
        else:
            self.dismiss(None)


class EmployeeConflictDialog(XModal[str | None]):
    """A colleague changed the same fields of this employee: the user says whose values win."""

    CSS_PATH = "staff.tcss"
    BINDINGS = [
        Binding("m", "choose('mine')", "bind.conflict_mine", id="conflict_mine"),
        Binding("t", "choose('theirs')", "bind.conflict_theirs", id="conflict_theirs"),
        Binding("escape", "choose('')", "bind.conflict_back", id="conflict_back"),
    ]

    def __init__(self, error: Any) -> None:
        super().__init__()
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(id="employee-conflict-box", classes="staff-dialog"):
            yield Static(t("conflict.title"), markup=False)
            yield Static(self.error.message(), markup=False)
            table = TextTable(id="employee-conflict-table", cursor_type="row")
            yield table
            with Horizontal(classes="staff-buttons"):
                yield Button(t("conflict.keep_mine"), id="conflict-mine", variant="warning", compact=True)
                yield Button(t("conflict.keep_theirs"), id="conflict-theirs", variant="primary", compact=True)
        yield XFooter()

    def on_mount(self) -> None:
        table = self.query_one("#employee-conflict-table", TextTable)
        for column in ("field", "theirs", "mine"):
            table.add_column(t(f"staff.conflict.{column}"), key=column)
        for c in self.error.conflicts:
            name = f"staff.field.{c.path}"
            table.add_row(t(name) if c.path in EmployeeForm.FIELDS or c.path == "left_on" else c.path,
                          str(c.theirs if c.theirs is not None else "—"), str(c.mine if c.mine is not None else "—"))

    def action_choose(self, side: str) -> None:
        self.dismiss(side or None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss("mine" if event.button.id == "conflict-mine" else "theirs")


class ProposalsDialog(XModal[bool]):
    """The merge proposals: look-alike employees the user confirms as one person (y) or keeps
    apart (n).  Until confirmed they stay separate people."""

    CSS_PATH = "staff.tcss"
    BINDINGS = [
        Binding("y", "merge", "bind.proposal_merge", id="proposal_merge"),
        Binding("n", "reject", "bind.proposal_reject", id="proposal_reject"),
        Binding("escape", "close", "bind.close", id="close"),
    ]

    def __init__(self, registry: PeopleRegistry, rows: list[StaffRow]) -> None:
        super().__init__()
        self.registry = registry
        self.rows = rows
        self.waiting: list[Proposal] = proposals(registry)
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="proposals-box", classes="staff-dialog"):
            yield Static(t("staff.proposals.title"), id="proposals-title", markup=False)
            yield Static(t("staff.proposals.message"), id="proposals-message", markup=False)
            yield TextTable(id="proposals-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="proposals-detail", markup=False)
        yield XFooter()

    def on_mount(self) -> None:
        self.render_table()
        self.query_one("#proposals-table", TextTable).focus()

    def render_table(self) -> None:
        table = self.query_one("#proposals-table", TextTable)
        table.clear(columns=True)
        for column in ("name", "organisation", "department", "records"):
            table.add_column(t(f"staff.proposals.{column}"), key=column)
        for p in self.waiting:
            table.add_row(p.name, p.organisation, p.department, str(len(p.employee_ids)), key=p.key)
        if not self.waiting:
            self.query_one("#proposals-message", Static).update(t("staff.proposals.none"))
        self.render_detail()

    def current(self) -> Proposal | None:
        table = self.query_one("#proposals-table", TextTable)
        if not self.waiting or table.cursor_row >= len(self.waiting) or table.cursor_row < 0:
            return None
        return self.waiting[table.cursor_row]

    def render_detail(self) -> None:
        proposal = self.current()
        detail = self.query_one("#proposals-detail", Static)
        detail.update("\n".join(proposal_lines(proposal, self.rows, self.app.lang)) if proposal else "")  # type: ignore[attr-defined]

    def on_data_table_row_highlighted(self, event: TextTable.RowHighlighted) -> None:
        self.render_detail()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("merge", "reject"):
            return self.current() is not None
        return True

    def decide(self, merge: bool) -> None:
        proposal = self.current()
        if proposal is None:
            return
        store: Any = self.app.store  # type: ignore[attr-defined]
        session: Any = self.app.session  # type: ignore[attr-defined]
        ids = [e for r in self.rows if r.id in proposal.employee_ids for e in r.engagements]

        def work() -> None:
            if merge:  # one step of the session: ctrl+z undoes it, as any other edit
                session.merge_proposal(proposal)
            else:
                store.reject_proposal(proposal)
                session.wrote(ids)

        def done(_: None) -> None:
            self.changed = True
            self.waiting = [p for p in self.waiting if p.key != proposal.key]
            self.app.notify(t("staff.proposals.merged" if merge else "staff.proposals.rejected", name=proposal.name))
            self.render_table()
            self.refresh_bindings()

        self.run_io(work, done, name="proposal")

    def action_merge(self) -> None:
        self.decide(True)

    def action_reject(self) -> None:
        self.decide(False)

    def action_close(self) -> None:
        self.dismiss(self.changed)

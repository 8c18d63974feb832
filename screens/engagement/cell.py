"""Enter on a know-how cell: the receiver's stage history (date, stage, who) and the item's
evidence, which can be added (a), edited (e), removed (d, undoable) and opened (o)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from xtalent import edits
from xtalent.i18n import t
from xtalent.models import Engagement, Evidence
from xtalent.views.cell import CellDetail, cell_detail

from ..base import XModal
from ..footer import XFooter
from ..usertext import TextTable, message


class CellScreen(XModal[None]):
    CSS_PATH = "cell.tcss"
    BINDINGS = [
        Binding("escape", "close", "bind.close", id="close"),
        Binding("a", "add_evidence", "bind.cell_add", id="cell_add"),
        Binding("e", "edit_evidence", "bind.cell_edit", id="cell_edit"),
        Binding("d", "remove_evidence", "bind.cell_remove", id="cell_remove"),
        Binding("o", "open_link", "bind.cell_open", id="cell_open"),
    ]

    def __init__(self, engagement: Engagement, item_id: str, staff_id: str | None) -> None:
        super().__init__()
        self.engagement = engagement
        self.item_id = item_id
        self.staff_id = staff_id
        self.detail: CellDetail | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="cell-box"):
            yield Static(id="cell-title", markup=False)
            yield Static(id="cell-moves-title", classes="cell-heading", markup=False)
            yield TextTable(id="cell-moves", cursor_type="row", zebra_stripes=True)
            yield Static(id="cell-evidence-title", classes="cell-heading", markup=False)
            yield TextTable(id="cell-evidence", cursor_type="row", zebra_stripes=True)
            yield Static(id="cell-keys", markup=False)
        yield XFooter()

    def on_mount(self) -> None:
        self.query_one("#cell-evidence", TextTable).focus()
        self.refresh_data()

    # ----- data --------------------------------------------------------------------------------
    def refresh_data(self, changed: set[str] | None = None) -> None:
        if changed is not None and self.engagement.id not in changed:
            return  # an edit of another engagement
        session, store, eid = self.app.session, self.app.store, self.engagement.id
        item_id, staff_id = self.item_id, self.staff_id

        def work() -> tuple[Engagement, CellDetail] | None:
            engagement = session.load(eid)
            if not any(i.id == item_id for i in engagement.items):
                return None  # removed meanwhile
            return engagement, cell_detail(engagement, item_id, staff_id, store.changelog.entries(eid))

        self.run_io(work, self.show, name="cell-load")

    def show(self, loaded: tuple[Engagement, CellDetail] | None) -> None:
        if loaded is None:
            self.app.notify(t("eng.cell.gone"))
            self.dismiss(None)
            return
        self.engagement, self.detail = loaded
        self.render_detail()

    def render_detail(self) -> None:
        detail = self.detail
        if detail is None:
            return
        if detail.staff_id:
            title = message("eng.cell.title", item=detail.title, staff=detail.staff_name, stage=detail.stage)
        else:
            title = message("eng.cell.title_item", item=detail.title)
        self.query_one("#cell-title", Static).update(title)
        self.query_one("#cell-moves-title", Static).update(t("eng.cell.moves", n=len(detail.moves)))
        moves = self.query_one("#cell-moves", TextTable)
        moves.clear(columns=True)
        for key in ("on", "staff", "stage", "who"):
            moves.add_column(t(f"eng.cell.col_{key}"), key=key)
        for n, move in enumerate(detail.moves):
            moves.add_row(move.on, move.staff, move.stage, move.who or "—", key=str(n))
        self.query_one("#cell-evidence-title", Static).update(t("eng.cell.evidence", n=len(detail.evidence)))
        table = self.query_one("#cell-evidence", TextTable)
        row = table.cursor_row
        table.clear(columns=True)
        for key in ("on", "note", "link"):
            table.add_column(t(f"eng.cell.col_{key}"), key=key)
        for row_data in detail.evidence:
            table.add_row(row_data.on, row_data.note.replace("\n", " "), row_data.link or "—", key=str(row_data.index))
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        self.query_one("#cell-keys", Static).update(t("eng.cell.keys"))

    def selected(self) -> tuple[int, Evidence] | None:
        table = self.query_one("#cell-evidence", TextTable)
        if not table.row_count:
            return None
        index = int(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))
        item = next(i for i in self.engagement.items if i.id == self.item_id)
        return (index, item.evidence[index]) if index < len(item.evidence) else None

    def item_title(self) -> str:
        return next(i.title for i in self.engagement.items if i.id == self.item_id)

    # ----- actions -----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit_evidence", "remove_evidence", "open_link") and self.detail is not None:
            if not self.detail.evidence:
                return None
        return super().check_action(action, parameters)

    def action_add_evidence(self) -> None:
        from ..forms import open_evidence_form

        item = next(i for i in self.engagement.items if i.id == self.item_id)
        open_evidence_form(self.app, self.engagement, item)

    def action_edit_evidence(self) -> None:
        from ..forms import open_evidence_form

        selected = self.selected()
        if selected is None:
            return
        index, evidence = selected
        item = next(i for i in self.engagement.items if i.id == self.item_id)
        open_evidence_form(self.app, self.engagement, item, record=evidence, index=index)

    def action_remove_evidence(self) -> None:
        from ..forms.confirm import ConfirmDialog

        selected = self.selected()
        if selected is None:
            return
        index, evidence = selected
        session, eid, item_id, seen = self.app.session, self.engagement.id, self.item_id, self.engagement
        title = self.item_title()

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.run_edit(
                    lambda: session.apply(eid, lambda e: edits.remove_evidence(e, item_id, index), "edit.evidence_remove",
                                          base=seen, item=title),
                    lambda _: self.app.notify(t("form.undo_hint", what=t("edit.evidence_remove", item=title))),
                    name="evidence-remove",
                )

        self.app.push_screen(ConfirmDialog("confirm.title", "confirm.delete_record", name=evidence.note[:60]), answered)

    def action_open_link(self) -> None:
        from xtalent.opener import open_link

        selected = self.selected()
        if selected is None:
            return
        link = selected[1].link
        if not link:
            self.app.notify(t("eng.cell.no_link"))
            return
        self.run_io(lambda: open_link(link), lambda _: self.app.notify(t("eng.cell.opened", link=link)), name="open-link")

    def action_close(self) -> None:
        self.dismiss(None)

    def refresh_language(self) -> None:
        self.render_detail()



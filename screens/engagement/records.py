"""a / e / d on the engagement screen: add, edit or delete the record under the cursor of the
current tab, through the forms in screens/forms (saved via app.session, undoable)."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from xtalent.i18n import t

# Which collection each tab edits (the overview edits the engagement itself).
COLLECTION = {"targets": "targets", "items": "items", "structure": "staff", "log": "log"}

BINDINGS = [
    Binding("a", "add_record", "bind.eng_add", id="eng_add"),
    Binding("e", "edit_record", "bind.eng_edit", id="eng_edit"),
    Binding("d", "delete_record", "bind.eng_delete", id="eng_delete", show=False),  # in ? and ctrl+p
]


class RecordsMixin:
    """Mixed into EngagementScreen (needs view, active_tab(), active_pane(), app)."""

    def records_check(self, action: str) -> bool | None:
        if action not in ("add_record", "edit_record", "delete_record"):
            return True
        tab = self.active_tab()  # type: ignore[attr-defined]
        # Hidden (False), not dimmed (None): a dimmed a/e in the footer reads as a key that is
        # broken here, while these tabs have nothing to add (the overview's e edits the engagement).
        if self.view is None or tab == "warnings":  # type: ignore[attr-defined]
            return False
        if tab == "overview":
            return False if action == "add_record" else True
        return True

    def _selected(self) -> tuple[str, Any] | None:
        tab = self.active_tab()  # type: ignore[attr-defined]
        collection = COLLECTION.get(tab)
        record_id = self.active_pane().selected_id()  # type: ignore[attr-defined]
        if collection is None or record_id is None:
            return None
        return collection, self.view.engagement.find(record_id)  # type: ignore[attr-defined]

    def _selected_or_say(self) -> tuple[str, Any] | None:
        """The selected record of the tab, or None after telling the user nothing is selected."""
        selected = self._selected()
        if selected is None or selected[1] is None:
            self.app.notify(t("eng.nothing_selected"))  # type: ignore[attr-defined]
            return None
        return selected

    def action_add_record(self) -> None:
        from ..forms import open_record_form

        collection = COLLECTION.get(self.active_tab())  # type: ignore[attr-defined]
        if collection is None or self.view is None:  # type: ignore[attr-defined]
            return
        open_record_form(self.app, self.view.engagement, collection, on_saved=self._saved)  # type: ignore[attr-defined]

    def action_edit_record(self) -> None:
        from ..forms import open_engagement_form, open_record_form

        if self.view is None:  # type: ignore[attr-defined]
            return
        if self.active_tab() == "overview":  # type: ignore[attr-defined]
            open_engagement_form(self.app, self.view.engagement, self._saved)  # type: ignore[attr-defined]
            return
        selected = self._selected_or_say()
        if selected is None:
            return
        collection, record = selected
        open_record_form(self.app, self.view.engagement, collection, record, on_saved=self._saved)  # type: ignore[attr-defined]

    def action_delete_record(self) -> None:
        from ..forms import confirm_delete_engagement, confirm_delete_record

        if self.view is None:  # type: ignore[attr-defined]
            return
        if self.active_tab() == "overview":  # type: ignore[attr-defined]
            confirm_delete_engagement(self.app, self.view.engagement, lambda _: self.dismiss_to_dashboard())  # type: ignore[attr-defined]
            return
        selected = self._selected_or_say()
        if selected is None:
            return
        collection, record = selected
        confirm_delete_record(self.app, self.view.engagement, collection, record)  # type: ignore[attr-defined]

    def _saved(self, record: Any) -> None:
        if record is None:
            return
        tab = self.active_tab()  # type: ignore[attr-defined]
        record_id = getattr(record, "id", None)
        if record_id and tab in COLLECTION:
            self.select_when_shown(tab, record_id)  # type: ignore[attr-defined]

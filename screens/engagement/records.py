"""a / e / d on the engagement screen: add, edit or delete the record under the cursor of the
current tab, through the forms in screens/forms (saved via app.session, undoable).

Functions of the screen (`EngagementHost`), which keeps the state they read (the view, the
tabs); its action_* methods call them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from textual.binding import Binding

from xtalent.i18n import t

if TYPE_CHECKING:
    from xtalent.views.engagement import EngagementView

    from .host import EngagementHost

# Which collection each tab edits (the overview edits the engagement itself).
COLLECTION = {"targets": "targets", "items": "items", "structure": "staff", "log": "log"}

BINDINGS = [
    Binding("a", "add_record", "bind.eng_add", id="eng_add"),
    Binding("e", "edit_record", "bind.eng_edit", id="eng_edit"),
    Binding("d", "delete_record", "bind.eng_delete", id="eng_delete", show=False),  # in ? and ctrl+p
]


def allowed(screen: EngagementHost, action: str) -> bool | None:
    """The screen's check_action for a / e / d (and True for every other action)."""
    if action not in ("add_record", "edit_record", "delete_record"):
        return True
    tab = screen.active_tab()
    # Hidden (False), not dimmed (None): a dimmed a/e in the footer reads as a key that is
    # broken here, while these tabs have nothing to add (the overview's e edits the engagement).
    if screen.view is None or tab == "warnings":
        return False
    if tab == "overview":
        return False if action == "add_record" else True
    return True


def _selected_or_say(screen: EngagementHost, view: EngagementView) -> tuple[str, Any] | None:
    """The selected record of the tab, or None after telling the user nothing is selected."""
    collection = COLLECTION.get(screen.active_tab())
    record_id = screen.active_pane().selected_id()
    record = view.engagement.find(record_id) if collection is not None and record_id is not None else None
    if collection is None or record is None:
        screen.app.notify(t("eng.nothing_selected"))
        return None
    return collection, record


def _select_saved(screen: EngagementHost) -> Callable[[Any], None]:
    """After a form saved: the cursor on the record, once shown."""

    def saved(record: Any) -> None:
        if record is None:
            return
        tab = screen.active_tab()
        record_id = getattr(record, "id", None)
        if record_id and tab in COLLECTION:
            screen.select_when_shown(tab, record_id)

    return saved


def add(screen: EngagementHost) -> None:
    from ..forms import open_record_form

    collection = COLLECTION.get(screen.active_tab())
    if collection is None or screen.view is None:
        return
    open_record_form(screen.app, screen.view.engagement, collection, on_saved=_select_saved(screen))


def edit(screen: EngagementHost) -> None:
    from ..forms import open_engagement_form, open_record_form

    view = screen.view
    if view is None:
        return
    if screen.active_tab() == "overview":
        open_engagement_form(screen.app, view.engagement, _select_saved(screen))
        return
    selected = _selected_or_say(screen, view)
    if selected is None:
        return
    collection, record = selected
    open_record_form(screen.app, view.engagement, collection, record, on_saved=_select_saved(screen))


def delete(screen: EngagementHost) -> None:
    from ..forms import confirm_delete_engagement, confirm_delete_record

    view = screen.view
    if view is None:
        return
    if screen.active_tab() == "overview":
        confirm_delete_engagement(screen.app, view.engagement, lambda _: screen.dismiss_to_dashboard())
        return
    selected = _selected_or_say(screen, view)
    if selected is None:
        return
    collection, record = selected
    confirm_delete_record(screen.app, view.engagement, collection, record)

"""Opening the forms: the one place that knows how each record kind is saved and deleted.

Screens call these with the engagement they show; saving goes through `app.session` in a
worker (app.run_edit), so it can be undone, and every screen's `refresh_data()` runs after.
`on_saved` gets the record (or None when the user cancelled).
"""

from __future__ import annotations

from typing import Any, Callable

from xtalent import edits, lifecycle
from xtalent.i18n import t
from xtalent.merge import Chooser
from xtalent.models import Engagement, Evidence, KnowHowItem
from xtalent.people import personal_changed

from ..host import XtalentHost
from .base import RecordForm
from .confirm import ConfirmDialog
from .engagement import EngagementForm, own_fields
from .records import EvidenceForm, ItemForm, LogForm, StaffForm, TargetForm

Done = Callable[[Any], Any] | None

FORMS: dict[str, type[RecordForm[Any]]] = {
    "targets": TargetForm,
    "items": ItemForm,
    "staff": StaffForm,
    "log": LogForm,
}
# (add, update, remove) history descriptions per collection
EDIT_KEYS = {
    "targets": ("edit.target_add", "edit.target_update", "edit.target_remove"),
    "items": ("edit.item_add", "edit.item_update", "edit.item_remove"),
    "staff": ("edit.staff_add", "edit.staff_update", "edit.staff_remove"),
    "log": ("edit.log_add", "edit.log_update", "edit.log_remove"),
}


def record_name(record: Any) -> str:
    for attr in ("title", "name"):
        if getattr(record, attr, None):
            return str(getattr(record, attr))
    topic = getattr(record, "topic", "")
    on = getattr(record, "on", None)
    return " ".join(p for p in (on.isoformat() if on else "", topic) if p)


def _bullets(titles: list[str], limit: int = 6) -> str:
    lines = [f"・{title}" for title in titles[:limit]]
    if len(titles) > limit:
        lines.append(f"… (+{len(titles) - limit})")
    return "\n".join(lines)


def _told(app: XtalentHost, describe: Callable[[Any], str], then: Done) -> Callable[[Any], None]:
    """After a form closes: say what was saved (as the history will), then the caller's callback."""

    def done(record: Any) -> None:
        if record is not None:
            app.notify(describe(record))
        if then is not None:
            then(record)

    return done


def open_engagement_form(
    app: XtalentHost, engagement: Engagement | None = None, on_saved: Done = None, *, defaults: dict[str, Any] | None = None
) -> None:
    """HR's onboarding (engagement None) or editing the contract details of one engagement.
    `defaults` pre-fill a new one (e.g. the organisation every engagement so far belongs to)."""
    session = app.session
    if engagement is None:

        def save(record: Engagement, choose: Chooser | None = None) -> Any:
            return session.create(record)
    else:
        eid, seen = engagement.id, engagement

        def save(record: Engagement, choose: Chooser | None = None) -> Any:
            # Only the engagement's own fields, changed on the copy the form opened with, then
            # merged with what colleagues saved since: never its records, never their fields.
            today = app.today

            def change(e: Engagement) -> Engagement:
                # A later end (or a new term after this one) is an extension or a renewal: the
                # term it replaces is kept, so the cumulative length stays on the record.
                return lifecycle.with_term_history(e, e.model_copy(update=own_fields(record)), today)

            return session.apply(eid, change, "edit.engagement_update", base=seen, choose=choose,
                                 name=record.person.name)

    key = "edit.create" if engagement is None else "edit.engagement_update"
    form = EngagementForm(engagement, save=save, defaults=defaults)
    app.push_screen(form, _told(app, lambda r: t(key, name=r.person.name), on_saved))


def open_record_form(
    app: XtalentHost,
    engagement: Engagement,
    collection: str,
    record: Any = None,
    *,
    defaults: dict[str, Any] | None = None,
    on_saved: Done = None,
) -> None:
    """Add (record None) or edit a target, item, staff member or log entry of `engagement`."""
    session = app.session
    add_key, update_key, _ = EDIT_KEYS[collection]
    key = update_key if record is not None else add_key
    eid = engagement.id
    if collection == "log" and record is None:
        defaults = {"on": app.today, **(defaults or {})}

    def save(new: Any, choose: Chooser | None = None) -> Any:
        if collection == "staff" and record is not None:
            # The employee record is the person: a name, department, position or 異動予定
            # edited here is theirs in every engagement (the staff screen shows the same).
            return session.save_receiver(eid, record, new, key, base=engagement, choose=choose, name=record_name(new))
        return session.apply(eid, lambda e: edits.upsert(e, collection, new), key, base=engagement, choose=choose,
                             name=record_name(new))

    def told(saved: Any) -> str:
        text = t(key, name=record_name(saved))
        if collection == "staff" and record is not None and record.employee_id and personal_changed(record, saved):
            text += "\n" + t("form.staff.person_saved")  # where the edit went: the person, everywhere
        return text

    form = FORMS[collection](record, save=save, engagement=engagement, defaults=defaults)
    app.push_screen(form, _told(app, told, on_saved))


def open_evidence_form(
    app: XtalentHost, engagement: Engagement, item: KnowHowItem, on_saved: Done = None, *,
    record: Evidence | None = None, index: int | None = None,
) -> None:
    """Add evidence to `item`, or edit its `index`-th (`record`)."""
    session = app.session
    eid, item_id, title = engagement.id, item.id, item.title
    key = "edit.evidence_add" if record is None else "edit.evidence_update"

    def save(evidence: Evidence, choose: Chooser | None = None) -> Any:
        if record is None or index is None:
            change = lambda e: edits.add_evidence(e, item_id, evidence.note, evidence.on, evidence.link)  # noqa: E731
        else:
            change = lambda e: edits.update_evidence(e, item_id, index, evidence)  # noqa: E731
        return session.apply(eid, change, key, base=engagement, choose=choose, item=title)

    defaults = {"on": app.today} if record is None else None
    form = EvidenceForm(record, save=save, engagement=engagement, defaults=defaults)
    app.push_screen(form, on_saved if record is None else _told(app, lambda _: t(key, item=title), on_saved))


def confirm_delete_record(
    app: XtalentHost, engagement: Engagement, collection: str, record: Any, on_done: Done = None
) -> None:
    """Ask first; a target still referred to is refused, a staff member's receptions go too."""
    session = app.session
    refs = edits.references(engagement, collection, record.id)
    name = record_name(record)
    if refs and collection == "targets":
        app.notify(t("edit.target_referenced", count=len(refs), names=edits.names_text(refs)), severity="warning", timeout=10)
        return
    if refs and collection == "staff":
        dialog = ConfirmDialog(
            "confirm.title", "confirm.delete_staff_referenced", name=name, count=len(refs), names=_bullets(refs)
        )
    else:
        dialog = ConfirmDialog("confirm.title", "confirm.delete_record", name=name)
    eid, record_id, remove_key = engagement.id, record.id, EDIT_KEYS[collection][2]

    def answered(yes: bool | None) -> None:
        if yes:
            app.run_edit(
                lambda: session.apply(eid, lambda e: edits.remove(e, collection, record_id, cascade=True), remove_key,
                                      base=engagement, name=name),
                _told(app, lambda _: t("form.undo_hint", what=t(remove_key, name=name)), on_done),
                name="delete-record",
            )

    app.push_screen(dialog, answered)


def confirm_delete_engagement(app: XtalentHost, engagement: Engagement, on_done: Done = None) -> None:
    session = app.session
    eid, name = engagement.id, engagement.person.name

    def answered(yes: bool | None) -> None:
        if yes:
            told = _told(app, lambda _: t("form.undo_hint", what=t("edit.delete", name=name)), on_done)
            def delete() -> bool:
                session.delete_engagement(eid, base=engagement)
                return True  # what _told passes on: the engagement is gone

            app.run_edit(delete, told, name="delete-engagement")

    app.push_screen(
        ConfirmDialog(
            "confirm.title", "confirm.delete_engagement", name=engagement.person.name,
            targets=len(engagement.targets), items=len(engagement.items), staff=len(engagement.staff),
        ),
        answered,
    )

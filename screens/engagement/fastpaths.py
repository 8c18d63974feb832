"""Fast paths on the engagement screen: one key to advance/regress a stage, a short form to log a
consultation, evidence for the selected item.  Every change goes through app.session in a worker.

Functions of the screen (`EngagementHost`); its action_* methods call them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xtalent import edits
from xtalent.i18n import t
from xtalent.labels import label
from xtalent.merge import Chooser
from xtalent.models import Engagement, Evidence, LogEntry

if TYPE_CHECKING:
    from .host import EngagementHost


def describe_step(engagement: Engagement, item_id: str, staff_id: str | None, delta: int) -> dict[str, Any]:
    """The history entry's params for a stage step: which item, whose stage, to what."""
    item = next(i for i in engagement.items if i.id == item_id)
    reception = (
        edits.pick_receiver(item, delta) if staff_id is None
        else next((r for r in item.receivers if r.staff_id == staff_id), None)
    )
    if reception is None:
        raise edits.EditRefused("edit.not_a_receiver", item=item.title,
                                id=engagement.staff_by_id()[staff_id].name if staff_id in engagement.staff_by_id() else staff_id)
    staff = engagement.staff_by_id().get(reception.staff_id)
    return {"item": item.title, "staff": staff.name if staff else reception.staff_id,
            "stage": label(reception.stage.step(delta))}


# ----- stages ---------------------------------------------------------------------------------
def step_stage(screen: EngagementHost, delta: int) -> None:
    from .items import ItemsPane

    app = screen.app
    pane = screen.pane("items")
    assert isinstance(pane, ItemsPane)
    item_id, staff_id = pane.selected_id(), pane.selected_staff()
    if item_id is None:
        app.notify(t("eng.items.empty"))
        return
    session, today, eid = app.session, app.today, screen.engagement_id
    lang, settings = app.lang, app.settings
    key = "edit.stage_up" if delta > 0 else "edit.stage_down"
    view = screen.view
    seen = view.engagement if view is not None else None  # the stage the user pressed ] on

    keys = screen.stage_keys

    def work() -> dict[str, Any]:
        from xtalent.views.engagement import build_view

        with keys.lock:
            base = keys.start_from(seen) or session.current(eid)
            params = describe_step(base, item_id, staff_id, delta)
            saved = session.apply(eid, lambda e: edits.step_stage(e, item_id, staff_id, delta, today), key,
                                  base=base, **params)
            keys.last_saved = saved
        # Built here, so the refresh after the save needs no second worker (key-to-screen time).
        screen.keep_view(build_view(saved, today, lang, settings))
        return params

    app.run_edit(work, lambda params: app.notify(t(key, **params)), name="step-stage")


# ----- evidence -------------------------------------------------------------------------------
def add_evidence(screen: EngagementHost) -> None:
    from ..forms import open_evidence_form

    app = screen.app
    item_id = screen.pane("items").selected_id()
    view = screen.view
    if item_id is None or view is None:
        app.notify(t("eng.items.empty"))
        return
    item = next(i for i in view.engagement.items if i.id == item_id)

    def done(evidence: Evidence | None) -> None:
        if evidence is not None:
            app.notify(t("edit.evidence_add", item=item.title))

    open_evidence_form(app, view.engagement, item, done)


# ----- the log --------------------------------------------------------------------------------
def quick_log(screen: EngagementHost) -> None:
    from .quick import QuickLogForm

    view = screen.view
    if view is None:
        return
    app = screen.app
    session, eid = app.session, screen.engagement_id

    seen = view.engagement

    def save(entry: LogEntry, choose: Chooser | None = None) -> Engagement:
        return session.apply(eid, lambda e: edits.add_log(e, entry), "edit.log_add", base=seen, choose=choose,
                             name=log_name(entry))

    def done(entry: LogEntry | None) -> None:
        if entry is not None:
            app.notify(t("edit.log_add", name=log_name(entry)))
            screen.select_when_shown("log", entry.id)

    defaults = {"on": app.today, "kind": "consultation", "in_scope": True, "minutes": 30}
    app.push_screen(QuickLogForm(save=save, engagement=view.engagement, defaults=defaults), done)


def log_name(entry: LogEntry) -> str:
    return " ".join(p for p in (entry.on.isoformat(), entry.from_department, entry.topic) if p)

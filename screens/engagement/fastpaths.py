"""Fast paths on the engagement screen: one key to advance/regress a stage, a short form to log a
consultation, evidence for the selected item.  Every change goes through app.session in a worker."""

from __future__ import annotations

from typing import Any

from xtalent import edits
from xtalent.i18n import t
from xtalent.labels import label
from xtalent.merge import Chooser
from xtalent.models import Engagement, Evidence, LogEntry


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


class FastPathsMixin:
    """Mixed into EngagementScreen (needs engagement_id, view, pane(), app)."""

    engagement_id: str

    # ----- stages ---------------------------------------------------------------------------------
    def action_step_stage(self, delta: int) -> None:
        from .items import ItemsPane

        pane = self.pane("items")  # type: ignore[attr-defined]
        assert isinstance(pane, ItemsPane)
        item_id, staff_id = pane.selected_id(), pane.selected_staff()
        if item_id is None:
            self.app.notify(t("eng.items.empty"))  # type: ignore[attr-defined]
            return
        session, today, eid = self.app.session, self.app.today, self.engagement_id  # type: ignore[attr-defined]
        key = "edit.stage_up" if delta > 0 else "edit.stage_down"
        view = self.view  # type: ignore[attr-defined]
        seen = view.engagement if view is not None else None  # the stage the user pressed ] on

        def work() -> dict[str, Any]:
            base = seen if seen is not None else session.current(eid)
            params = describe_step(base, item_id, staff_id, delta)
            session.apply(eid, lambda e: edits.step_stage(e, item_id, staff_id, delta, today), key, base=base, **params)
            return params

        self.app.run_edit(work, lambda params: self.app.notify(t(key, **params)), name="step-stage")  # type: ignore[attr-defined]

    # ----- evidence -------------------------------------------------------------------------------
    def action_add_evidence(self) -> None:
        from ..forms import open_evidence_form

        item_id = self.pane("items").selected_id()  # type: ignore[attr-defined]
        view = self.view  # type: ignore[attr-defined]
        if item_id is None or view is None:
            self.app.notify(t("eng.items.empty"))  # type: ignore[attr-defined]
            return
        item = next(i for i in view.engagement.items if i.id == item_id)

        def done(evidence: Evidence | None) -> None:
            if evidence is not None:
                self.app.notify(t("edit.evidence_add", item=item.title))  # type: ignore[attr-defined]

        open_evidence_form(self.app, view.engagement, item, done)  # type: ignore[attr-defined]

    # ----- the log --------------------------------------------------------------------------------
    def action_quick_log(self) -> None:
        from .quick import QuickLogForm

        view = self.view  # type: ignore[attr-defined]
        if view is None:
            return
        session, eid = self.app.session, self.engagement_id  # type: ignore[attr-defined]

        seen = view.engagement

        def save(entry: LogEntry, choose: Chooser | None = None) -> Engagement:
            return session.apply(eid, lambda e: edits.add_log(e, entry), "edit.log_add", base=seen, choose=choose,
                                 name=log_name(entry))

        def done(entry: LogEntry | None) -> None:
            if entry is not None:
                self.app.notify(t("edit.log_add", name=log_name(entry)))  # type: ignore[attr-defined]
                self.select_when_shown("log", entry.id)  # type: ignore[attr-defined]

        defaults = {"on": self.app.today, "kind": "consultation", "in_scope": True, "minutes": 30}  # type: ignore[attr-defined]
        self.app.push_screen(QuickLogForm(save=save, engagement=view.engagement, defaults=defaults), done)  # type: ignore[attr-defined]


def log_name(entry: LogEntry) -> str:
    return " ".join(p for p in (entry.on.isoformat(), entry.from_department, entry.topic) if p)

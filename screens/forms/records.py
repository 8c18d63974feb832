"""Forms for the records of an engagement: change targets, know-how items, staff, log, evidence."""

from __future__ import annotations

from typing import Any

from xtalent import lifecycle
from xtalent.i18n import t
from xtalent.labels import label
from xtalent.models import (
    ChangeTarget,
    Evidence,
    ItemKind,
    KnowHowItem,
    LogEntry,
    LogKind,
    Owner,
    ReceivingStaff,
    ScopeLevel,
    StructureRole,
    TargetStatus,
)

from xtalent.indicators import readings_after, readings_after_edit

from .base import Problem, RecordForm
from .fields import AREA, DATE, INTEGER, MULTI, NUMBER, SELECT, SWITCH, FieldSpec, enum_choices, record_choices


def _staff_choices(form: RecordForm[Any]) -> Any:
    staff = form.engagement.staff if form.engagement else []
    return record_choices(staff, lambda s: " ".join(p for p in (s.name, s.department, label(s.role)) if p))


def _target_choices(form: RecordForm[Any]) -> Any:
    return record_choices(form.engagement.targets if form.engagement else [], lambda tg: tg.title)


def _fiscal_year_choices(form: RecordForm[Any]) -> Any:
    """The 年度 of the term, a year either side, and whatever the target already says."""
    from datetime import date

    from xtalent.dates import fiscal_year, format_fiscal_year
    from xtalent.i18n import get_language

    engagement = form.engagement
    years: set[int] = set()
    if engagement is not None:
        years.update(range(fiscal_year(engagement.term_start) - 1, fiscal_year(engagement.term_end) + 2))
    current = getattr(form.record, "fiscal_year", None)
    if current:
        years.add(current)
    return lambda: [(format_fiscal_year(date(y, 4, 1), get_language()), y) for y in sorted(years)]


READING_ON = "indicator.readings"  # the form's "measured on": its errors land at the readings


class TargetForm(RecordForm[ChangeTarget]):
    MODEL = ChangeTarget
    TITLE_NEW = "form.target.title_new"
    TITLE_EDIT = "form.target.title_edit"

    def fields(self) -> list[FieldSpec]:
        return [
            FieldSpec("title", "form.target.title", required=True),
            FieldSpec("scope_level", "form.target.scope_level", SELECT, enum_choices(ScopeLevel), required=True),
            FieldSpec("goal", "form.target.goal", AREA),
            FieldSpec("indicator.name", "form.target.indicator_name"),
            FieldSpec("indicator.unit", "form.target.indicator_unit"),
            FieldSpec("indicator.baseline", "form.target.indicator_baseline", NUMBER),
            FieldSpec("indicator.target", "form.target.indicator_target", NUMBER),
            FieldSpec("indicator.current", "form.target.indicator_current", NUMBER),
            # The day the current value was measured: a new reading is stored when it changes.
            FieldSpec(READING_ON, "form.target.reading_on", DATE, placeholder="form.target.reading_on_placeholder"),
            FieldSpec("agreed_on", "form.target.agreed_on", DATE, placeholder="form.date_example"),
            FieldSpec("agreed_by", "form.target.agreed_by"),
            FieldSpec("status", "form.target.status", SELECT, enum_choices(TargetStatus), required=True),
            FieldSpec("owner", "form.target.owner", SELECT, enum_choices(Owner), required=True),
            FieldSpec("field_department", "form.target.field_department"),
            FieldSpec("staff_ids", "form.target.staff_ids", MULTI, _staff_choices(self)),
            FieldSpec("fiscal_year", "form.target.fiscal_year", SELECT, _fiscal_year_choices(self)),
        ]

    def initial(self, spec: FieldSpec) -> Any:
        if spec.name == READING_ON:
            return ""  # blank: today
        return super().initial(spec)

    def adjust(self, data: dict[str, Any]) -> dict[str, Any]:
        indicator = data.get("indicator") or {}
        # The field stands where the readings are, so a date it cannot read is shown beside it.
        typed_on = indicator.pop("readings", None)
        if not any(v not in (None, "", []) for v in indicator.values()):
            data["indicator"] = None  # no indicator given: a qualitative goal only
            return data
        before = self.record.indicator if self.record is not None else None
        on = typed_on if isinstance(typed_on, str) and typed_on.strip() else self.app.today
        indicator["readings"] = readings_after_edit(before, indicator.get("current"), on)
        return data

    def entry_problems(self, record: ChangeTarget) -> tuple[list[Problem], list[str]]:
        before = self.record.indicator if self.record is not None else None
        today = self.app.today
        return [(READING_ON, "lifecycle.entry.reading_future", {"on": r.on.isoformat(), "today": today.isoformat()})
                for r in readings_after(before, record.indicator, today)], []


class ItemForm(RecordForm[KnowHowItem]):
    MODEL = KnowHowItem
    TITLE_NEW = "form.item.title_new"
    TITLE_EDIT = "form.item.title_edit"

    def fields(self) -> list[FieldSpec]:
        return [
            FieldSpec("title", "form.item.title", required=True),
            FieldSpec("kind", "form.item.kind", SELECT, enum_choices(ItemKind), required=True),
            FieldSpec("description", "form.item.description", AREA),
            FieldSpec("target_id", "form.item.target", SELECT, _target_choices(self)),
            FieldSpec("receivers", "form.item.receivers", MULTI, _staff_choices(self)),
            FieldSpec("due", "form.item.due", DATE, placeholder="form.date_example"),
        ]

    def initial(self, spec: FieldSpec) -> Any:
        if spec.name == "receivers":
            return [r.staff_id for r in self.record.receivers] if self.record else self.defaults.get("receivers", [])
        return super().initial(spec)

    def adjust(self, data: dict[str, Any]) -> dict[str, Any]:
        # Receivers kept stay in their order with their stage and its history; new ones start
        # at the bottom of the ladder, after them.
        chosen = [sid for sid in data["receivers"] if isinstance(sid, str)]
        kept = [r.model_dump() for r in (self.record.receivers if self.record else []) if r.staff_id in chosen]
        known = {r["staff_id"] for r in kept}
        data["receivers"] = kept + [{"staff_id": sid} for sid in chosen if sid not in known]
        return data


class StaffForm(RecordForm[ReceivingStaff]):
    MODEL = ReceivingStaff
    TITLE_NEW = "form.staff.title_new"
    TITLE_EDIT = "form.staff.title_edit"

    def fields(self) -> list[FieldSpec]:
        return [
            FieldSpec("name", "form.staff.name", required=True),
            FieldSpec("department", "form.staff.department"),
            FieldSpec("position", "form.staff.position"),
            FieldSpec("role", "form.staff.role", SELECT, enum_choices(StructureRole), required=True),
            FieldSpec("rotation_expected", "form.staff.rotation_expected", DATE, placeholder="form.date_example"),
        ]


class LogForm(RecordForm[LogEntry]):
    MODEL = LogEntry
    TITLE_NEW = "form.log.title_new"
    TITLE_EDIT = "form.log.title_edit"

    def fields(self) -> list[FieldSpec]:
        return [
            FieldSpec("on", "form.log.on", DATE, required=True, placeholder="form.date_example"),
            FieldSpec("kind", "form.log.kind", SELECT, enum_choices(LogKind), required=True),
            FieldSpec("from_department", "form.log.from_department"),
            FieldSpec("topic", "form.log.topic", required=True),  # the form asks; stored entries may lack one
            FieldSpec("in_scope", "form.log.in_scope", SWITCH),
            FieldSpec("target_id", "form.log.target", SELECT, _target_choices(self)),
            FieldSpec("minutes", "form.log.minutes", INTEGER),
            FieldSpec("online", "form.log.online", SWITCH),
            FieldSpec("report_on", "form.log.report_on", DATE, placeholder="form.date_example"),
            # What a dispatch's 実施報告書 says (xtalent/dispatch.py).
            FieldSpec("attendees", "form.log.attendees"),
            FieldSpec("advice", "form.log.advice", AREA),
            FieldSpec("next_steps", "form.log.next_steps", AREA),
        ]

    def adjust(self, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("minutes") is None:
            data["minutes"] = 0
        return data

    def entry_problems(self, record: LogEntry) -> tuple[list[Problem], list[str]]:
        if self.engagement is None:
            return [], []
        problems = lifecycle.log_date_problems(self.engagement, record.on, self.app.today)  # type: ignore[attr-defined]
        return ([("on", p.key, p.params) for p in problems if p.refuse],
                [t(p.key, **p.params) for p in problems if not p.refuse])


class EvidenceForm(RecordForm[Evidence]):
    MODEL = Evidence
    TITLE_NEW = "form.evidence.title_new"
    TITLE_EDIT = "form.evidence.title_edit"

    def fields(self) -> list[FieldSpec]:
        return [
            FieldSpec("on", "form.evidence.on", DATE, required=True, placeholder="form.date_example"),
            FieldSpec("note", "form.evidence.note", AREA, required=True, placeholder="form.evidence.note_placeholder"),
            FieldSpec("link", "form.evidence.link", placeholder="form.evidence.link_placeholder"),
        ]

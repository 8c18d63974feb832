"""HR's onboarding of a new engagement, and editing its contract details later.

The appointment type comes first: choosing it fills in the role, the contract form and the
contracted time the type suggests (where nothing is typed yet), and its rules are checked on
saving — a term the type does not allow is refused or warned about, with the rule quoted.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Select

from xtalent.appointments import contracted_problems, term_problems, type_choices, type_of, types_of
from xtalent.models import AfterTerm, ContractForm, Engagement, Role

from .base import Problem, RecordForm
from .fields import AREA, DATE, NUMBER, SELECT, FieldSpec, enum_choices

# The engagement's own fields (what this form edits); its records have their own forms, and
# closing has its own dialog.
OWN_FIELDS = (
    "person", "appointment_type", "role", "role_note", "contract_form", "organisation", "department", "sponsor",
    "term_start", "term_end", "days_per_month", "hours_per_month", "after_term", "notes",
)


class EngagementForm(RecordForm[Engagement]):
    MODEL = Engagement
    TITLE_NEW = "form.engagement.title_new"
    TITLE_EDIT = "form.engagement.title_edit"
    ERROR_FIELDS = {"model.term_end_before_start": "term_end"}

    def types(self) -> dict[str, Any]:
        return types_of(getattr(self.app, "settings", None)) if self.is_attached else types_of(None)

    def fields(self) -> list[FieldSpec]:
        return [
            FieldSpec("person.name", "form.engagement.name", required=True),
            FieldSpec("person.name_kana", "form.engagement.name_kana"),
            FieldSpec("person.affiliation", "form.engagement.affiliation"),
            FieldSpec("person.email", "form.engagement.email"),
            FieldSpec("appointment_type", "form.engagement.appointment_type", SELECT,
                      lambda: type_choices(self.types()), required=True),
            FieldSpec("role", "form.engagement.role", SELECT, enum_choices(Role), required=True),
            FieldSpec("role_note", "form.engagement.role_note"),
            FieldSpec("contract_form", "form.engagement.contract_form", SELECT, enum_choices(ContractForm), required=True),
            FieldSpec("organisation", "form.engagement.organisation", required=True),
            FieldSpec("department", "form.engagement.department"),
            FieldSpec("sponsor", "form.engagement.sponsor"),
            FieldSpec("term_start", "form.engagement.term_start", DATE, required=True, placeholder="form.date_example"),
            FieldSpec("term_end", "form.engagement.term_end", DATE, required=True, placeholder="form.date_example"),
            FieldSpec("days_per_month", "form.engagement.days_per_month", NUMBER),
            FieldSpec("hours_per_month", "form.engagement.hours_per_month", NUMBER),
            FieldSpec("after_term.decision", "form.engagement.after_term", SELECT, enum_choices(AfterTerm)),
            FieldSpec("after_term.decided_on", "form.engagement.after_term_on", DATE, placeholder="form.date_example"),
            FieldSpec("after_term.note", "form.engagement.after_term_note"),
            FieldSpec("notes", "form.engagement.notes", AREA),
        ]

    def initial(self, spec: FieldSpec) -> Any:
        if spec.name == "appointment_type" and self.record is None and "appointment_type" not in self.defaults:
            return None  # HR chooses it: the form then suggests the rest
        return super().initial(spec)

    def adjust(self, data: dict[str, Any]) -> dict[str, Any]:
        after = data.get("after_term") or {}
        if not after.get("decision"):
            # No decision chosen: nothing decided yet, whatever else was typed beside it.
            data["after_term"] = None
        elif not after.get("decided_on"):
            after["decided_on"] = getattr(self.app, "today", None)
        return data

    def on_select_changed(self, event: Select.Changed) -> None:
        super().on_select_changed(event)
        if event.select.id == "f-appointment-type" and event.value != Select.NULL:
            self.app.report_errors(self.suggest, str(event.value))

    def suggest(self, key: str) -> None:
        """Fill in what the type suggests: a role or contract form the type does not allow becomes
        its default; a contracted time only where nothing is typed yet."""
        kind = type_of(key, self.types())
        for name, allowed in (("role", kind.roles), ("contract_form", kind.contract_forms)):
            widget = self.query_one("#" + self.spec_named(name).dom_id, Select)
            if allowed and (widget.is_blank() or widget.value not in {a.value for a in allowed}):
                widget.value = allowed[0].value
        for name, value in (("days_per_month", kind.default_days_per_month),
                            ("hours_per_month", kind.default_hours_per_month)):
            field = self.query_one("#" + self.spec_named(name).dom_id, Input)
            if value is not None and not field.value.strip():
                field.value = f"{value:g}"

    def spec_named(self, name: str) -> FieldSpec:
        return next(spec for spec in self.specs if spec.name == name)

    def entry_problems(self, record: Engagement) -> tuple[list[Problem], list[str]]:
        types = self.types()
        refused: list[Problem] = []
        warned: list[str] = []
        for problem in term_problems(record.appointment_type, record.term_start, record.term_end, types):
            if problem.refuse:
                refused.append(("term_end", problem.key, problem.params))
            else:
                warned.append(problem.text())
        for problem in contracted_problems(record.appointment_type, record.days_per_month, record.hours_per_month, types):
            warned.append(problem.text())
        return refused, warned


def own_fields(record: Engagement) -> dict[str, Any]:
    """What the engagement form changed, to apply onto the latest copy (never its records)."""
    return {name: getattr(record, name) for name in OWN_FIELDS}

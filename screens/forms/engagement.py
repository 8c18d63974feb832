"""HR's onboarding of a new engagement, and editing its contract details later."""

from __future__ import annotations

from typing import Any

from xtalent.models import ContractForm, Engagement, Role

from .base import RecordForm
from .fields import AREA, DATE, NUMBER, SELECT, FieldSpec, enum_choices

# The engagement's own fields (what this form edits); its records have their own forms.
OWN_FIELDS = (
    "person", "role", "role_note", "contract_form", "organisation", "department", "sponsor",
    "term_start", "term_end", "days_per_month", "hours_per_month", "notes",
)


class EngagementForm(RecordForm[Engagement]):
    MODEL = Engagement
    TITLE_NEW = "form.engagement.title_new"
    TITLE_EDIT = "form.engagement.title_edit"
    ERROR_FIELDS = {"model.term_end_before_start": "term_end"}

    def fields(self) -> list[FieldSpec]:
        return [
            FieldSpec("person.name", "form.engagement.name", required=True),
            FieldSpec("person.name_kana", "form.engagement.name_kana"),
            FieldSpec("person.affiliation", "form.engagement.affiliation"),
            FieldSpec("person.email", "form.engagement.email"),
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
            FieldSpec("notes", "form.engagement.notes", AREA),
        ]


def own_fields(record: Engagement) -> dict[str, Any]:
    """What the engagement form changed, to apply onto the latest copy (never its records)."""
    return {name: getattr(record, name) for name in OWN_FIELDS}

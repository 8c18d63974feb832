"""Appointment types (任用・契約の類型): the schemes an engagement is made under, and their rules.

A type is a template chosen when registering an engagement: its role and contract form, its
default contracted time, the term it allows, whether the term is bound to one 年度, the notice
before expiry, the minimum contracted time, and a dispatch scheme's caps per project and 年度
with the report due after each dispatch.  The built-in types follow the ministry's published
schemes (docs/pitfalls.md, "Appointment types"); a settings file may change any of their
numbers or add local types (`[appointment_types.<key>]`).

The rules that read a type are in xtalent/pitfalls/appointment.py; `entry_problems` is what a
form checks when an engagement is registered or edited.
"""

# No `from __future__ import annotations`, as in models.py: pydantic reads the fields'
# annotations as objects instead of compiling each from a string at every start.

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .dates import fiscal_year_end, months_between
from .i18n import get_language, t
from .vocabulary import ContractForm, Role

OTHER = "other"


class AppointmentType(BaseModel):
    """One appointment type and its rules; None means "no such rule"."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    roles: tuple[Role, ...] = ()  # the roles it is for (the first is the form's default)
    contract_forms: tuple[ContractForm, ...] = ()  # the contract forms it allows (the first is the default)
    default_days_per_month: Annotated[float, Field(ge=0, le=31)] | None = None
    default_hours_per_month: Annotated[float, Field(ge=0, le=744)] | None = None
    min_term_months: Annotated[int, Field(ge=0, le=240)] | None = None
    max_term_months: Annotated[int, Field(ge=0, le=240)] | None = None
    # "refuse": a term outside the range cannot be saved; "warn": it is saved and warned about.
    term_rule: Literal["refuse", "warn"] = "warn"
    fiscal_year_bound: bool = False  # the term ends by the end of the 年度 it starts in (refused otherwise)
    notice_days: Annotated[int, Field(ge=1, le=365)] | None = None  # tell the person this long before expiry
    min_days_per_month: Annotated[float, Field(ge=0, le=31)] | None = None
    min_hours_per_month: Annotated[float, Field(ge=0, le=744)] | None = None
    dispatch_days: Annotated[float, Field(gt=0, le=366)] | None = None  # per project (target) and 年度
    dispatch_online_hours: Annotated[float, Field(gt=0, le=744)] | None = None  # … when the advice is online only
    report_due_days: Annotated[int, Field(ge=1, le=365)] | None = None  # 実施報告書 due after each dispatch day
    # A local type's own name and the rule it quotes; the built-in types' are in the catalog.
    label_ja: Annotated[str, Field(max_length=80)] = ""
    label_en: Annotated[str, Field(max_length=80)] = ""
    rule_ja: Annotated[str, Field(max_length=500)] = ""
    rule_en: Annotated[str, Field(max_length=500)] = ""

    @property
    def dispatched(self) -> bool:
        return self.dispatch_days is not None


_SPECIAL_ROLES = (Role.CDO, Role.CDO_DEPUTY, Role.POLICY_COUNSELOR, Role.ADVISOR)


def _builtin(**fields: Any) -> AppointmentType:
    """A built-in type, made without validation: its values are written here as validation
    leaves them (floats as floats), and tests/test_pitfalls_settings.py checks each against
    the validated copy.  Validating them at import built AppointmentType's validator in every
    command, which most never use: the rules only read these values."""
    return AppointmentType.model_construct(**fields)


BUILTIN: dict[str, AppointmentType] = {
    "regional_info_advisor": _builtin(
        roles=(Role.REGIONAL_INFO_ADVISOR,), contract_forms=(ContractForm.MINISTRY_DISPATCH,),
        dispatch_days=3.0, dispatch_online_hours=10.0, report_due_days=7,
    ),
    "kigyo_company": _builtin(
        roles=(Role.REGIONAL_ENTREPRENEUR,), contract_forms=(ContractForm.SECONDMENT,),
        default_days_per_month=16.0, min_term_months=6, max_term_months=36, term_rule="warn",
        # "at least half the month": half of a month's ~20 working days.
        min_days_per_month=10.0,
    ),
    "kigyo_side_job": _builtin(
        roles=(Role.REGIONAL_ENTREPRENEUR,), contract_forms=(ContractForm.SIDE_JOB,),
        default_days_per_month=4.0, default_hours_per_month=20.0, min_term_months=6, max_term_months=36,
        term_rule="warn", min_days_per_month=4.0, min_hours_per_month=20.0,
    ),
    "fiscal_year_appointee": _builtin(
        roles=(Role.ADVISOR, *_SPECIAL_ROLES[:3]), contract_forms=(ContractForm.FISCAL_YEAR_APPOINTEE,),
        fiscal_year_bound=True, notice_days=30, term_rule="refuse",
    ),
    "special_part_time": _builtin(
        roles=_SPECIAL_ROLES, contract_forms=(ContractForm.SPECIAL_PART_TIME,), default_days_per_month=4.0,
    ),
    "outsourcing": _builtin(roles=_SPECIAL_ROLES, contract_forms=(ContractForm.OUTSOURCING,)),
    OTHER: _builtin(),
}


class AppointmentTypeSettings(BaseModel):
    """`[appointment_types.<key>]` in a settings file: any field of AppointmentType; a key that is
    not built in adds a local type (give it label_ja / label_en)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    roles: tuple[Role, ...] | None = None
    contract_forms: tuple[ContractForm, ...] | None = None
    default_days_per_month: Annotated[float, Field(ge=0, le=31)] | None = None
    default_hours_per_month: Annotated[float, Field(ge=0, le=744)] | None = None
    min_term_months: Annotated[int, Field(ge=0, le=240)] | None = None
    max_term_months: Annotated[int, Field(ge=0, le=240)] | None = None
    term_rule: Literal["refuse", "warn"] | None = None
    fiscal_year_bound: bool | None = None
    notice_days: Annotated[int, Field(ge=1, le=365)] | None = None
    min_days_per_month: Annotated[float, Field(ge=0, le=31)] | None = None
    min_hours_per_month: Annotated[float, Field(ge=0, le=744)] | None = None
    dispatch_days: Annotated[float, Field(gt=0, le=366)] | None = None
    dispatch_online_hours: Annotated[float, Field(gt=0, le=744)] | None = None
    report_due_days: Annotated[int, Field(ge=1, le=365)] | None = None
    label_ja: Annotated[str, Field(max_length=80)] | None = None
    label_en: Annotated[str, Field(max_length=80)] | None = None
    rule_ja: Annotated[str, Field(max_length=500)] | None = None
    rule_en: Annotated[str, Field(max_length=500)] | None = None


def merged(overrides: dict[str, AppointmentTypeSettings]) -> dict[str, AppointmentType]:
    """The built-in types with a settings file's changes and additions (fields it sets win)."""
    out = dict(BUILTIN)
    for key, change in overrides.items():
        base = out.get(key, AppointmentType()).model_dump()
        base.update(change.model_dump(exclude_none=True))
        out[key] = AppointmentType.model_validate(base)
    return out


def types_of(settings: Any = None) -> dict[str, AppointmentType]:
    """The types in force: the built-in ones, or a settings object's (Settings, PitfallSettings,
    a SettingsFile, or None for the defaults)."""
    if settings is None:
        return BUILTIN
    from .settingsfile import resolve

    settings = resolve(settings)
    found = getattr(settings, "appointment_types_in_force", None)
    if found is None:
        found = getattr(getattr(settings, "pitfalls", None), "appointment_types_in_force", None)
    return found() if callable(found) else BUILTIN


def type_of(key: str, types: dict[str, AppointmentType] | None = None) -> AppointmentType:
    """The type an engagement names; an unknown key (a local type since removed) has no rules."""
    return (types or BUILTIN).get(key) or BUILTIN[OTHER]


def type_label(key: str, types: dict[str, AppointmentType] | None = None, lang: str | None = None) -> str:
    lang = lang or get_language()
    found = (types or BUILTIN).get(key)
    own = (found.label_ja if lang == "ja" else found.label_en or found.label_ja) if found else ""
    if own:
        return own
    catalog_key = f"apptype.{key}.label"
    from .i18n import has

    return t(catalog_key, lang) if has(catalog_key) else key


def type_rule(key: str, types: dict[str, AppointmentType] | None = None, lang: str | None = None) -> str:
    """The rule of the scheme in words, quoted where a term or a contracted time is refused or warned."""
    lang = lang or get_language()
    found = (types or BUILTIN).get(key)
    own = (found.rule_ja if lang == "ja" else found.rule_en or found.rule_ja) if found else ""
    if own:
        return own
    catalog_key = f"apptype.{key}.rule"
    from .i18n import has

    return t(catalog_key, lang) if has(catalog_key) else ""


def type_choices(types: dict[str, AppointmentType] | None = None, lang: str | None = None) -> list[tuple[str, str]]:
    """(label, key) for a select, in the order the types are defined, "other" last."""
    found = types or BUILTIN
    keys = [k for k in found if k != OTHER] + [OTHER]
    return [(type_label(k, found, lang), k) for k in keys]


def infer_type(role: str, contract_form: str) -> str:
    """The type an engagement recorded before types existed most likely is (schema 1 → 2)."""
    if role == Role.REGIONAL_INFO_ADVISOR.value or contract_form == ContractForm.MINISTRY_DISPATCH.value:
        return "regional_info_advisor"
    if role == Role.REGIONAL_ENTREPRENEUR.value:
        return "kigyo_side_job" if contract_form == ContractForm.SIDE_JOB.value else "kigyo_company"
    if contract_form == ContractForm.FISCAL_YEAR_APPOINTEE.value:
        return "fiscal_year_appointee"
    if contract_form == ContractForm.SPECIAL_PART_TIME.value and role in {r.value for r in _SPECIAL_ROLES}:
        return "special_part_time"
    if contract_form == ContractForm.OUTSOURCING.value and role in {r.value for r in _SPECIAL_ROLES}:
        return "outsourcing"
    return OTHER


# ----- what a form checks at entry -------------------------------------------------------------
@dataclass(frozen=True)
class TermProblem:
    """A term (or contracted time) the type does not allow: refused, or saved with a warning."""

    refuse: bool
    key: str  # catalog key of the message
    params: dict[str, Any]

    def text(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.params)


def term_months(start: date, end: date) -> float:
    """The term's length in months, counting its last day (4/1–3/31 is 12 months)."""
    from datetime import timedelta

    return months_between(start, end + timedelta(days=1))


def term_problems(
    key: str, term_start: date, term_end: date, types: dict[str, AppointmentType] | None = None,
    lang: str | None = None,
) -> list[TermProblem]:
    """What the type says about this term, each with the rule quoted."""
    kind = type_of(key, types)
    out = []
    if kind.fiscal_year_bound and term_end > fiscal_year_end(term_start):
        out.append(TermProblem(True, "apptype.entry.fiscal_year", {
            "type": type_label(key, types, lang), "end": fiscal_year_end(term_start).isoformat(),
            "rule": type_rule(key, types, lang)}))
    low, high = kind.min_term_months, kind.max_term_months
    if low is None and high is None:
        return out
    months = term_months(term_start, term_end)
    if (low is not None and months < low - 0.01) or (high is not None and months > high + 0.01):
        out.append(TermProblem(kind.term_rule == "refuse", "apptype.entry.term_range", {
            "type": type_label(key, types, lang), "months": f"{months:.0f}", "min": low if low is not None else 0,
            "max": high if high is not None else "—", "rule": type_rule(key, types, lang)}))
    return out


def contracted_problems(
    key: str, days_per_month: float | None, hours_per_month: float | None,
    types: dict[str, AppointmentType] | None = None, lang: str | None = None,
) -> list[TermProblem]:
    """A contracted time below the type's minimum (warned, never refused: a contract may change)."""
    kind = type_of(key, types)
    out = []
    if kind.min_days_per_month is not None and days_per_month is not None and days_per_month < kind.min_days_per_month:
        out.append(TermProblem(False, "apptype.entry.days", {
            "type": type_label(key, types, lang), "days": f"{days_per_month:g}", "min": f"{kind.min_days_per_month:g}",
            "rule": type_rule(key, types, lang)}))
    if kind.min_hours_per_month is not None and hours_per_month is not None and hours_per_month < kind.min_hours_per_month:
        out.append(TermProblem(False, "apptype.entry.hours", {
            "type": type_label(key, types, lang), "hours": f"{hours_per_month:g}", "min": f"{kind.min_hours_per_month:g}",
            "rule": type_rule(key, types, lang)}))
    return out

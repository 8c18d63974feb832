"""The handover checklist (引継ぎチェックリスト) as data, before any file format.

Every format renders the same `Checklist`, so what a meeting sees on paper, in Excel, in
Markdown or in a calendar cannot drift apart.  Text is already in the asked language here;
raw values (dates, ids, flags) stay beside it for formats that need them typed (xlsx, ics).
"""

from datetime import date
from typing import Any, NamedTuple, Sequence

from .. import metrics
from ..dates import fiscal_year, format_fiscal_year, format_wareki
from ..i18n import t
from ..labels import label
from ..models import Engagement, Indicator, KnowHowItem, StructureRole, is_overdue
from ..numbers import number_text
from ..pitfalls import evaluate as evaluate_pitfalls
from ..views.text import countdown


def column(key: str, lang: str | None) -> str:
    """A table column's heading; severity has one name everywhere (TUI, check, exports)."""
    return t("pitfall.severity.name", lang) if key == "severity" else t(f"export.col.{key}", lang)


# The checklist's records are NamedTuples, immutable as frozen dataclasses were: a frozen
# dataclass compiles six methods when its class is made, at every start of a command that
# exports (the nine: 52 M instructions; as NamedTuples 12 M, their annotations objects, not
# strings: no `from __future__ import annotations` here — callgrind).  Unlike a dataclass, a
# record also compares equal to a plain tuple of the same values; nothing here compares them.


class Field(NamedTuple):
    key: str  # stable, for formats that need a machine name
    label: str
    value: str


class TargetLine(NamedTuple):
    id: str
    title: str
    scope: str
    goal: str
    indicator: str
    agreed: str
    agreed_on: str
    agreed_by: str
    status: str
    status_value: str
    owner: str


class ChecklistLine(NamedTuple):
    item_id: str
    title: str
    kind: str
    description: str
    target: str
    receivers: str
    stage: str
    stage_value: str
    due: date | None
    due_text: str
    overdue: bool
    evidence_on: date | None
    evidence: str
    ticked: bool


class StaffLine(NamedTuple):
    id: str
    name: str
    department: str
    position: str
    role: str
    role_value: str
    rotation: date | None
    rotation_text: str
    received: int
    independent: int


class WarningLine(NamedTuple):
    code: str
    severity: str
    severity_value: str
    message: str
    action: str
    subject: str


class Readiness(NamedTuple):
    score: int | None
    # What the score is made of, as facts of the record ("3/5 items independent"): never the
    # points of each part — "26.2点" is the software's weighting, not something a signer attests.
    parts: tuple[str, ...] = ()
    bunshin: int | None = None
    staff_count: int = 0


class SignoffLine(NamedTuple):
    role: str
    name: str


class EngagementChecklist(NamedTuple):
    lang: str
    id: str
    revision: int
    person: str
    role: str
    organisation: str
    term_start: date
    term_end: date
    days_left: int
    title: str
    header: tuple[Field, ...]
    targets: tuple[TargetLine, ...]
    lines: tuple[ChecklistLine, ...]
    staff: tuple[StaffLine, ...]
    warnings: tuple[WarningLine, ...]
    warnings_evaluated: bool
    readiness: Readiness
    signoff: tuple[SignoffLine, ...]
    transferred: int
    transferred_text: str = ""

    def header_line(self, key: str) -> str:
        """'label: value' of one header field, for lists outside the header table."""
        return next((t("export.label_value", self.lang, label=f.label, value=f.value) for f in self.header if f.key == key), "")


class Checklist(NamedTuple):
    lang: str
    today: date
    title: str
    exported_text: str
    engagements: tuple[EngagementChecklist, ...] = ()


# ----- text helpers every format shares ------------------------------------------------------


def date_text(d: date | None, lang: str, *, long: bool = False) -> str:
    if d is None:
        return ""
    if long and lang == "ja":
        # 和暦 beside the ISO date: municipal paperwork is dated in the era calendar.
        return t("export.date_wareki", lang, iso=d.isoformat(), wareki=format_wareki(d))
    return d.isoformat()


def _fiscal_years(e: Engagement, lang: str) -> str:
    first, last = format_fiscal_year(e.term_start, lang), format_fiscal_year(e.term_end, lang)
    if fiscal_year(e.term_start) == fiscal_year(e.term_end):
        return last
    return t("export.fiscal_years", lang, first=first, last=last)


def _indicator(ind: Indicator | None, lang: str) -> str:
    if ind is None:
        return ""
    unit = ind.unit
    base = number_text(ind.baseline, t("export.none", lang)) + (unit if ind.baseline is not None else "")
    target = number_text(ind.target, t("export.none", lang)) + (unit if ind.target is not None else "")
    text = t("export.indicator", lang, name=ind.name, baseline=base, target=target)
    if ind.current is not None:
        text += t("export.indicator_current", lang, current=number_text(ind.current, t("export.none", lang)) + unit)
    return text


def _join(parts: Sequence[str], lang: str) -> str:
    return t("export.list_sep", lang).join(p for p in parts if p)


# ----- warnings, readiness and 分身 come from the pitfall rules and the metrics ---------------
# The exporter shows what those modules compute and never judges an engagement itself.


def _warnings(e: Engagement, today: date, lang: str, settings: Any) -> tuple[tuple[WarningLine, ...], bool]:
    findings = evaluate_pitfalls(e, today, settings=settings, lang=lang)
    names = _subject_names(e)
    return (
        tuple(
            WarningLine(
                code=f.code,
                severity=f.severity.label(lang),
                severity_value=f.severity.value,
                message=f.message,
                action=f.action or "",
                subject=names.get(f.subject_id or "", "") if f.subject_id != e.id else "",
            )
            for f in findings
        ),
        True,
    )


def _readiness(e: Engagement, today: date, lang: str, settings: Any) -> Readiness:
    staff_count = len(e.staff)
    score = metrics.readiness(e, today, lang)
    # The cap's line names points ("上限20点"); a filed record names no scores, only the x/100.
    cap = t("metrics.cap_untransferred", lang, cap=metrics.READINESS_CAP_UNTRANSFERRED)
    parts = tuple(
        t("export.cap_untransferred", lang, cap=metrics.READINESS_CAP_UNTRANSFERRED) if name == cap else name
        for name, _points in score.why
    )
    return Readiness(score=int(score.value), parts=parts, bunshin=metrics.bunshin(e).total, staff_count=staff_count)


def _subject_names(e: Engagement) -> dict[str, str]:
    names = {e.id: e.person.name}
    names.update({t_.id: t_.title for t_ in e.targets})
    names.update({i.id: i.title for i in e.items})
    names.update({s.id: s.name for s in e.staff})
    names.update({g.id: g.topic or g.on.isoformat() for g in e.log})
    return names


# ----- building -----------------------------------------------------------------------------


def _line(item: KnowHowItem, e: Engagement, today: date, lang: str) -> ChecklistLine:
    staff = e.staff_by_id()
    targets = e.target_by_id()
    receivers = [
        t("export.receiver", lang, name=staff[r.staff_id].name, stage=label(r.stage, lang))
        for r in sorted(item.receivers, key=lambda r: -r.stage.rank)
        if r.staff_id in staff
    ]
    latest = max(item.evidence, key=lambda ev: ev.on, default=None)
    stage = item.stage
    return ChecklistLine(
        item_id=item.id,
        title=item.title,
        kind=label(item.kind, lang),
        description=item.description,
        target=targets[item.target_id].title if item.target_id in targets else "",
        receivers=_join(receivers, lang),
        stage=label(stage, lang),
        stage_value=stage.value,
        due=item.due,
        due_text=date_text(item.due, lang),
        overdue=is_overdue(item, today),
        evidence_on=latest.on if latest else None,
        evidence=latest.note if latest else "",
        ticked=stage.transferred,
    )


def _target(target: Any, lang: str) -> TargetLine:
    agreed = _join([date_text(target.agreed_on, lang), target.agreed_by], lang)
    return TargetLine(
        id=target.id,
        title=target.title,
        scope=label(target.scope_level, lang),
        goal=target.goal,
        indicator=_indicator(target.indicator, lang),
        agreed=agreed,
        agreed_on=date_text(target.agreed_on, lang),
        agreed_by=target.agreed_by,
        status=label(target.status, lang),
        status_value=target.status.value,
        owner=label(target.owner, lang),
    )


def _staff(e: Engagement, lang: str) -> tuple[StaffLine, ...]:
    received: dict[str, int] = {}
    independent: dict[str, int] = {}
    for item in e.items:
        for r in item.receivers:
            received[r.staff_id] = received.get(r.staff_id, 0) + 1
            if r.stage.transferred:
                independent[r.staff_id] = independent.get(r.staff_id, 0) + 1
    order = {role: n for n, role in enumerate(StructureRole)}
    return tuple(
        StaffLine(
            id=s.id,
            name=s.name,
            department=s.department,
            position=s.position,
            role=label(s.role, lang),
            role_value=s.role.value,
            rotation=s.rotation_expected,
            rotation_text=date_text(s.rotation_expected, lang),
            received=received.get(s.id, 0),
            independent=independent.get(s.id, 0),
        )
        # The lead first: the sign-off and the meeting start from who receives.
        for s in sorted(e.staff, key=lambda s: order[s.role])
    )


def build_engagement(e: Engagement, today: date, lang: str, settings: Any = None) -> EngagementChecklist:
    role_label = label(e.role, lang)
    # A note that already names the role ("最高デジタル責任者（CDO）") replaces the bare label.
    role = e.role_note if role_label in e.role_note else " ".join(p for p in (role_label, e.role_note) if p)
    organisation = " ".join(p for p in (e.organisation, e.department) if p)
    days_left = e.days_left(today)
    transferred = e.transferred_count()
    transferred_text = t("export.transferred_count", lang, done=transferred, total=len(e.items))
    warnings, evaluated = _warnings(e, today, lang, settings)
    readiness = _readiness(e, today, lang, settings)
    staff = _staff(e, lang)

    def f(key: str, value: str) -> Field:
        return Field(key, t(f"export.field.{key}", lang), value)

    header = [
        f("organisation", organisation),
        f("person", e.person.name + (f"（{e.person.name_kana}）" if e.person.name_kana and lang == "ja" else "")),
    ]
    if e.person.affiliation:
        header.append(f("affiliation", e.person.affiliation))
    header += [
        f("role", role),
        f("contract", label(e.contract_form, lang)),
        f(
            "term",
            t("export.term", lang, start=date_text(e.term_start, lang, long=True), end=date_text(e.term_end, lang, long=True)),
        ),
        f("days_left", countdown(e.term_start, e.term_end, today, lang)),
        f("fiscal_year", _fiscal_years(e, lang)),
        f("sponsor", e.sponsor),
        f("transferred", transferred_text),
        f("readiness", _readiness_text(readiness, lang)),
        f("bunshin", _bunshin_text(readiness, lang)),
        f("exported", date_text(today, lang, long=True)),
        f("engagement_id", e.id),
    ]
    leads = [s.name for s in staff if s.role_value == StructureRole.LEAD.value]
    signoff = (
        SignoffLine(t("export.signoff.external", lang), e.person.name),
        SignoffLine(t("export.signoff.lead", lang), _join(leads, lang)),
        SignoffLine(t("export.signoff.hr", lang), ""),
    )
    return EngagementChecklist(
        lang=lang,
        id=e.id,
        revision=e.revision,
        person=e.person.name,
        role=role,
        organisation=organisation,
        term_start=e.term_start,
        term_end=e.term_end,
        days_left=days_left,
        title=t("export.title_for", lang, person=e.person.name, role=role_label),
        header=tuple(header),
        targets=tuple(_target(tg, lang) for tg in e.targets),
        lines=tuple(_line(item, e, today, lang) for item in e.items),
        staff=staff,
        warnings=warnings,
        warnings_evaluated=evaluated,
        readiness=readiness,
        signoff=signoff,
        transferred=transferred,
        transferred_text=transferred_text,
    )


def _readiness_text(r: Readiness, lang: str) -> str:
    if r.score is None:
        return t("export.not_evaluated", lang)
    return t("export.score", lang, score=r.score)


def _bunshin_text(r: Readiness, lang: str) -> str:
    if r.bunshin is None:
        return t("export.not_evaluated", lang)
    return t("export.bunshin_of", lang, n=r.bunshin, staff=r.staff_count)


def build(engagements: Sequence[Engagement], today: date, lang: str, settings: Any = None) -> Checklist:
    parts = tuple(build_engagement(e, today, lang, settings) for e in engagements)
    if len(parts) == 1:
        title = parts[0].title
    else:
        title = t("export.title_all", lang, count=len(parts))
    return Checklist(
        lang=lang,
        today=today,
        title=title,
        exported_text=t("export.exported_on", lang, date=date_text(today, lang, long=True)),
        engagements=parts,
    )


__all__ = [
    "Checklist",
    "ChecklistLine",
    "EngagementChecklist",
    "Field",
    "Readiness",
    "SignoffLine",
    "StaffLine",
    "TargetLine",
    "WarningLine",
    "build",
    "build_engagement",
    "date_text",
]

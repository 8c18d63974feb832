"""The 事務引継書 (handover record) as data, before any file format.

The record a 人事課 files at the end of the term, not the working checklist: every item × receiver
with an empty box for the signers to tick (never ticked from the software's state — a signature
attests what the people checked, not a machine state), all the evidence, the open items with
their post-term support plan, the 所見, the documents and equipment, and the signature block.
Every format (md, csv, xlsx, html) renders the same `HandoverRecord`; text is already in the
asked language here.  Dates are 和暦 in the Japanese record and ISO in the English one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Sequence

from ..dates import fiscal_year, format_fiscal_year, format_wareki
from ..i18n import t
from ..labels import label
from ..lifecycle import SIGNERS, open_items
from ..models import Engagement, Indicator, KnowHowItem, Reception, Signature, TargetStatus
from ..numbers import number_text
from .checklist import Field

BOX = "☐"  # always empty: the people signing tick it on paper


def day(d: date | None, lang: str) -> str:
    """A date as the record prints it: 和暦 in Japanese, ISO in English."""
    if d is None:
        return ""
    return format_wareki(d) if lang == "ja" else d.isoformat()


@dataclass(frozen=True)
class TargetRow:
    title: str
    agreed: bool  # under 合意した変革目標, else listed as proposed
    status: str
    agreed_text: str  # date and who agreed
    indicator: str  # the indicator's name and unit
    baseline: str
    current: str
    target: str
    movement: str  # "baseline → current → target"


@dataclass(frozen=True)
class ReceptionRow:
    item_id: str
    item: str
    kind: str
    target: str
    receiver: str
    stage: str
    reached: str  # the date the receiver reached that stage
    evidence: tuple[str, ...]  # all of it, oldest first: "date note (where)"
    box: str = BOX


@dataclass(frozen=True)
class OpenRow:
    item: str
    stage: str
    who: str
    how: str
    until: str


@dataclass(frozen=True)
class FileRow:
    title: str
    location: str
    note: str


@dataclass(frozen=True)
class EquipmentRow:
    name: str
    kind: str
    returned: str  # the date, or empty for the signers to fill in
    note: str
    box: str = BOX


@dataclass(frozen=True)
class SignRow:
    key: str
    role: str
    name: str
    signed_on: str


@dataclass(frozen=True)
class HandoverRecord:
    lang: str
    today: date
    id: str
    revision: int
    title: str
    revision_text: str  # printed on every page
    printed_text: str  # printed on every page
    page_line: str  # title, revision and printed date together (page headers and footers)
    header: tuple[Field, ...]
    handover_date: str
    agreed_targets: tuple[TargetRow, ...]
    proposed_targets: tuple[TargetRow, ...]
    rows: tuple[ReceptionRow, ...]
    open_items: tuple[OpenRow, ...]
    remarks: str
    files: tuple[FileRow, ...]
    equipment: tuple[EquipmentRow, ...]
    signatures: tuple[SignRow, ...]
    signed_text: str  # the recorded sign-off, or empty
    confidentiality: str

    def header_value(self, key: str) -> str:
        return next((f.value for f in self.header if f.key == key), "")


def _number(x: float | None, unit: str) -> str:
    return "" if x is None else number_text(x) + unit


def _target(target, lang: str) -> TargetRow:
    ind: Indicator | None = target.indicator
    unit = ind.unit if ind else ""
    baseline = _number(ind.baseline, unit) if ind else ""
    current = _number(ind.current, unit) if ind else ""
    goal = _number(ind.target, unit) if ind else ""
    none = t("export.none", lang)
    movement = " → ".join(v or none for v in (baseline, current, goal)) if ind else ""
    agreed = t("export.list_sep", lang).join(p for p in (day(target.agreed_on, lang), target.agreed_by) if p)
    return TargetRow(
        title=target.title,
        agreed=target.status is not TargetStatus.PROPOSED,
        status=label(target.status, lang),
        agreed_text=agreed,
        indicator=ind.name if ind else "",
        baseline=baseline,
        current=current,
        target=goal,
        movement=movement,
    )


def _reached(reception: Reception) -> date | None:
    """When the receiver reached the stage they are at: the last step to it in the history."""
    return max((ev.on for ev in reception.history if ev.stage is reception.stage), default=reception.last_change())


def _rows(e: Engagement, lang: str) -> list[ReceptionRow]:
    staff = e.staff_by_id()
    targets = e.target_by_id()
    out = []
    for item in e.items:
        evidence = tuple(
            " ".join(p for p in (day(ev.on, lang), ev.note, f"（{ev.link}）" if ev.link and lang == "ja" else f"({ev.link})" if ev.link else "") if p)
            for ev in sorted(item.evidence, key=lambda ev: ev.on)
        )
        common: dict[str, Any] = dict(  # the fields every receiver's row of this item shares
            item_id=item.id,
            item=item.title,
            kind=label(item.kind, lang),
            target=targets[item.target_id].title if item.target_id in targets else "",
            evidence=evidence,
        )
        receptions = [r for r in item.receivers if r.staff_id in staff]
        if not receptions:
            # An item nobody receives still gets its line (and its box): it is what remains.
            out.append(ReceptionRow(**common, receiver=t("handover.nobody", lang), stage=label(item.stage, lang), reached=""))
        for r in receptions:
            out.append(ReceptionRow(**common, receiver=staff[r.staff_id].name, stage=label(r.stage, lang), reached=day(_reached(r), lang)))
    return out


def _open(e: Engagement, lang: str) -> list[OpenRow]:
    plans = {p.item_id: p for p in (e.closure.support if e.closure else [])}
    out = []
    for item in open_items(e):
        plan = plans.get(item.id)
        out.append(
            OpenRow(
                item=item.title,
                stage=label(item.stage, lang),
                who=plan.who if plan else "",
                how=plan.how if plan else t("handover.no_plan", lang),
                until=day(plan.until, lang) if plan else "",
            )
        )
    return out


def _signatures(e: Engagement, lang: str) -> list[SignRow]:
    h = e.handover
    leads = [s.name for s in e.staff if s.role.value == "lead"]
    known = {
        "external": e.person.name,
        "lead": t("export.list_sep", lang).join(leads),
        "head": "",
        "hr": "",
    }
    out = []
    for key in SIGNERS:
        sig: Signature | None = getattr(h, key) if h else None
        if key == "witness" and sig is None:
            # An empty 立会人 line: the meeting may have one, and it is written in by hand.
            out.append(SignRow(key, t(f"handover.signer.{key}", lang), "", ""))
            continue
        name = (sig.name if sig else "") or known.get(key, "")
        out.append(SignRow(key, t(f"handover.signer.{key}", lang), name, day(sig.signed_on if sig else None, lang)))
    return out


def build_handover(e: Engagement, today: date, lang: str) -> HandoverRecord:
    h = e.handover
    role_label = label(e.role, lang)
    role = e.role_note if role_label in e.role_note else " ".join(p for p in (role_label, e.role_note) if p)
    organisation = " ".join(p for p in (e.organisation, e.department) if p)
    first, last = fiscal_year(e.term_start), fiscal_year(e.term_end)
    years = format_fiscal_year(e.term_end, lang) if first == last else t(
        "export.fiscal_years", lang, first=format_fiscal_year(e.term_start, lang), last=format_fiscal_year(e.term_end, lang)
    )

    def f(key: str, value: str) -> Field:
        return Field(key, t(f"handover.field.{key}", lang), value)

    handover_date = day(h.on if h else None, lang)
    header = (
        f("organisation", organisation),
        f("person", e.person.name + (f"（{e.person.name_kana}）" if e.person.name_kana and lang == "ja" else "")),
        f("affiliation", e.person.affiliation),
        # Where to reach the one handing over once the term is over (post-term questions).
        *((f("email", e.person.email),) if e.person.email else ()),
        f("role", role),
        f("appointment_type", _appointment_type(e, lang)),
        f("contract", label(e.contract_form, lang)),
        f("term", t("export.term", lang, start=day(e.term_start, lang), end=day(e.term_end, lang))),
        f("fiscal_year", years),
        f("sponsor", e.sponsor),
        f("handover_date", handover_date),
        f("engagement_id", e.id),
    )
    targets = [_target(tg, lang) for tg in e.targets if tg.status is not TargetStatus.DROPPED]
    revision_text = t("handover.revision", lang, n=e.revision)
    printed_text = t("handover.printed", lang, date=day(today, lang))
    title = t("handover.title_for", lang, person=e.person.name)
    signed = ""
    if h and h.signed_on:
        signed = t("handover.signed", lang, date=day(h.signed_on, lang))
        if h.scan:
            signed += t("handover.scan", lang, path=h.scan)
    return HandoverRecord(
        lang=lang,
        today=today,
        id=e.id,
        revision=e.revision,
        title=title,
        revision_text=revision_text,
        printed_text=printed_text,
        page_line=t("handover.page_line", lang, title=title, revision=revision_text, printed=printed_text),
        header=header,
        handover_date=handover_date,
        agreed_targets=tuple(x for x in targets if x.agreed),
        proposed_targets=tuple(x for x in targets if not x.agreed),
        rows=tuple(_rows(e, lang)),
        open_items=tuple(_open(e, lang)),
        remarks=h.remarks if h else "",
        files=tuple(FileRow(x.title, x.location, x.note) for x in (h.files if h else [])),
        equipment=tuple(
            EquipmentRow(
                name=x.name,
                kind=t("handover.account" if x.account else "handover.thing", lang),
                returned=day(x.returned_on, lang),
                note=x.note,
            )
            for x in (h.equipment if h else [])
        ),
        signatures=tuple(_signatures(e, lang)),
        signed_text=signed,
        confidentiality=t("handover.confidentiality", lang),
    )


def _appointment_type(e: Engagement, lang: str) -> str:
    from ..appointments import type_label

    return type_label(e.appointment_type, lang=lang)


def build(engagements: Sequence[Engagement], today: date, lang: str) -> list[HandoverRecord]:
    return [build_handover(e, today, lang) for e in engagements]


__all__ = [
    "BOX", "EquipmentRow", "FileRow", "HandoverRecord", "OpenRow", "ReceptionRow", "SignRow", "TargetRow",
    "build", "build_handover", "day",
]

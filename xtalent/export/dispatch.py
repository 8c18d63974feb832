"""The 実施報告書 of a dispatch (issue 14) as data, before any file format.

One report per dispatch (a day of log entries, xtalent/dispatch.py) of a dispatched advisor: the
organisation and the advisor, the day (和暦 in Japanese, ISO in English) and which dispatch of
the 年度 it was, the hours and whether it was online only, the projects (targets) it served,
then each consultation of the day — who came from which department, what they asked, what was
advised and what is to be done before the next dispatch — and lines for the advisor who reports
and the municipality's officer who receives it to sign.  Every format (md, csv, xlsx, html)
renders the same `DispatchReport`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Sequence

from ..appointments import type_label, type_of, types_of
from ..dates import add_days, fiscal_year, format_fiscal_year
from ..dispatch import Dispatch, dispatch_on, dispatches, is_dispatched
from ..errors import XtalentError
from ..i18n import t
from ..labels import label
from ..models import Engagement, StructureRole
from ..views.text import minutes_text
from .checklist import Field
from .handover import day


@dataclass(frozen=True)
class ConsultRow:
    log_id: str
    kind: str
    department: str
    attendees: str
    topic: str
    target: str
    minutes: int
    time: str
    online: bool
    advice: str
    next_steps: str


@dataclass(frozen=True)
class SignRow:
    key: str
    role: str
    name: str


@dataclass(frozen=True)
class DispatchReport:
    lang: str
    today: date
    id: str  # the engagement's
    revision: int
    on: date
    title: str
    printed_text: str
    page_line: str  # title, dispatch day and printed day (page headers and footers)
    header: tuple[Field, ...]
    rows: tuple[ConsultRow, ...]
    signatures: tuple[SignRow, ...]
    minutes: int
    report_on: str  # the day it was filed, or empty
    filed_on: date | None = None

    def header_value(self, key: str) -> str:
        return next((f.value for f in self.header if f.key == key), "")


def _report(e: Engagement, d: Dispatch, all_of_year: list[Dispatch], today: date, lang: str, settings: Any) -> DispatchReport:
    types = types_of(settings)
    kind = type_of(e.appointment_type, types)
    targets = e.target_by_id()
    number = [x.on for x in all_of_year].index(d.on) + 1
    fy = format_fiscal_year(d.on, lang)
    served = []
    for entry in d.entries:
        title = targets[entry.target_id].title if entry.target_id in targets else ""
        if title and title not in served:
            served.append(title)
    if d.report_on is not None:
        filed = day(d.report_on, lang)
    elif kind.report_due_days is not None:
        filed = t("dispatch.not_filed_due", lang, due=day(add_days(d.on, kind.report_due_days), lang))
    else:
        filed = t("dispatch.not_filed", lang)

    def f(key: str, value: str) -> Field:
        return Field(key, t(f"dispatch.field.{key}", lang), value)

    advisor = e.person.name + (t("dispatch.affiliation", lang, affiliation=e.person.affiliation) if e.person.affiliation else "")
    header = (
        f("organisation", " ".join(p for p in (e.organisation, e.department) if p)),
        f("advisor", advisor),
        f("appointment_type", type_label(e.appointment_type, types, lang)),
        f("date", day(d.on, lang)),
        f("number", t("dispatch.number", lang, fy=fy, n=number)),
        f("time", minutes_text(d.minutes, lang)),
        f("method", t("dispatch.online" if d.online else "dispatch.on_site", lang)),
        f("projects", t("export.list_sep", lang).join(served) or t("dispatch.no_project", lang)),
        f("report_on", filed),
        f("engagement_id", e.id),
    )
    rows = tuple(
        ConsultRow(
            log_id=entry.id,
            kind=label(entry.kind, lang),
            department=entry.from_department,
            attendees=entry.attendees,
            topic=entry.topic,
            target=targets[entry.target_id].title if entry.target_id in targets else "",
            minutes=entry.minutes,
            time=minutes_text(entry.minutes, lang),
            online=entry.online,
            advice=entry.advice,
            next_steps=entry.next_steps,
        )
        for entry in d.entries
    )
    leads = [s.name for s in e.staff if s.role is StructureRole.LEAD]
    signatures = (
        SignRow("advisor", t("dispatch.signer.advisor", lang), e.person.name),
        SignRow("receiver", t("dispatch.signer.receiver", lang), t("export.list_sep", lang).join(leads)),
    )
    title = t("dispatch.title_for", lang, person=e.person.name, date=day(d.on, lang))
    printed = t("handover.printed", lang, date=day(today, lang))
    return DispatchReport(
        lang=lang,
        today=today,
        id=e.id,
        revision=e.revision,
        on=d.on,
        title=title,
        printed_text=printed,
        page_line=t("dispatch.page_line", lang, title=title, printed=printed),
        header=header,
        rows=rows,
        signatures=signatures,
        minutes=d.minutes,
        report_on=day(d.report_on, lang) if d.report_on else "",
        filed_on=d.report_on,
    )


def build(engagements: Sequence[Engagement], today: date, lang: str, settings: Any = None, on: date | None = None) -> list[DispatchReport]:
    """The reports of one dispatch (`on`) or of every dispatch, for dispatched engagements only."""
    out: list[DispatchReport] = []
    for e in engagements:
        if not is_dispatched(e, settings):
            raise XtalentError("dispatch.error.not_dispatched", person=e.person.name,
                               type=type_label(e.appointment_type, types_of(settings), lang))
        every = dispatches(e)
        if on is not None:
            found = dispatch_on(e, on)
            if found is None:
                days = t("export.list_sep", lang).join(d.on.isoformat() for d in every) or t("handover.none", lang)
                raise XtalentError("dispatch.error.no_dispatch", date=on.isoformat(), days=days)
            chosen = [found]
        else:
            chosen = every
        for d in chosen:
            of_year = [x for x in every if fiscal_year(x.on) == fiscal_year(d.on)]
            out.append(_report(e, d, of_year, today, lang, settings))
    return out


__all__ = ["ConsultRow", "DispatchReport", "SignRow", "build"]

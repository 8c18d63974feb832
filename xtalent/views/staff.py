"""The staff screen's view: every employee of the organisation, and for one of them what they
receive across engagements — computed without a terminal.

Per employee: their engagements, items and stages, load (items received, across engagements,
counted only while the engagement is open), and rotation risk: items where they are the only
one still here at 自立 or beyond, or where their 異動予定 falls within the engagement's term.
Someone who left (異動済み / 退職) keeps every row: the stages are the record, shown as lost
capacity rather than deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, NamedTuple

from .. import organisations
from ..i18n import t
from ..labels import label
from ..models import INDEPENDENT_RANK, STAGE_RANK, Employee, Engagement, PeopleRegistry, StaffStatus
from .text import fold

FILTERS = ("organisation", "department", "status")


class Received(NamedTuple):
    """One item one employee receives, in one engagement (a tuple: ~30,000 of them are made at a
    thousand engagements each time the staff screen opens)."""

    engagement_id: str
    person: str  # the external person of the engagement
    organisation: str
    item_id: str
    item: str
    stage: str  # label
    rank: int
    reached_on: date | None  # the last stage move
    sole_independent: bool  # the only one still here at 自立 or beyond on this item
    rotation_in_term: bool  # their 異動予定 falls within this engagement's term
    open: bool  # the engagement is not closed


@dataclass(slots=True)
class StaffRow:
    employee: Employee
    status: str  # label
    engagements: list[str] = field(default_factory=list)  # engagement ids, in order met
    received: list[Received] = field(default_factory=list)
    search: str = ""  # what a search looks in, folded (made at the first search: haystack())

    def haystack(self) -> str:
        if not self.search:
            e = self.employee
            self.search = fold(" ".join((e.name, e.name_kana, e.organisation, e.department, e.position,
                                         *(r.item for r in self.received), *(r.person for r in self.received))))
        return self.search

    @property
    def id(self) -> str:
        return self.employee.id

    @property
    def load(self) -> int:
        """Items they receive in open engagements."""
        return sum(1 for r in self.received if r.open)

    @property
    def independent(self) -> int:
        return sum(1 for r in self.received if r.rank >= INDEPENDENT_RANK)

    @property
    def at_risk(self) -> list[Received]:
        """Items that leave with them: the only one here at 自立, or rotating within the term."""
        if self.employee.status.gone:  # already gone: what left with them (lost capacity)
            return [r for r in self.received if r.sole_independent and r.open]
        return [r for r in self.received if r.open and (r.sole_independent or r.rotation_in_term)]

    @property
    def sole(self) -> int:
        return sum(1 for r in self.received if r.sole_independent and r.open)

    def filter_value(self, name: str) -> str:
        e = self.employee
        return {"organisation": e.organisation, "department": e.department, "status": self.status}[name]


def receptions(engagement: Engagement) -> dict[str, Any]:
    """What the staff screen needs of one engagement, as JSON data: who receives what and how far,
    and who is the only one still here at 自立 on an item.  It depends on the engagement's file
    alone (not the day, the language or the employee records), so views/rowcache.py keeps it by
    the file's stamp and the staff screen reads no engagement that did not change."""
    staff = engagement.staff_by_id()
    here_independent: dict[str, int] = {}
    received = []
    for item in engagement.items:
        count = 0
        for reception in item.receivers:
            if STAGE_RANK[reception.stage] >= INDEPENDENT_RANK and (s := staff.get(reception.staff_id)) is not None and s.here:
                count += 1
        here_independent[item.id] = count
    for item in engagement.items:
        for reception in item.receivers:
            member = staff.get(reception.staff_id)
            rank = STAGE_RANK[reception.stage]
            here = member is not None and member.here
            sole = rank >= INDEPENDENT_RANK and (here_independent[item.id] == 1 if here else here_independent[item.id] == 0)
            last = reception.last_change()
            received.append([reception.staff_id, item.id, reception.stage.value, last.isoformat() if last else None, sole])
    return {
        "id": engagement.id, "person": engagement.person.name, "organisation": engagement.organisation,
        "open": engagement.closure is None,
        "term": [engagement.term_start.isoformat(), engagement.term_end.isoformat()],
        "items": {item.id: item.title for item in engagement.items},
        "staff": [[member.id, member.employee_id] for member in engagement.staff],
        "received": received,
    }


def unlinked(facts: dict[str, Any]) -> bool:
    """A receiver of this engagement has no employee record yet (Store.link_receivers makes it)."""
    return any(employee_id is None for _, employee_id in facts["staff"])


def staff_rows(registry: PeopleRegistry, engagements: Iterable[Engagement], lang: str | None = None) -> list[StaffRow]:
    """One row per employee, with what they receive; employees in organisation, department,
    name order (who left after who is here, within a department)."""
    return rows_from(registry, (receptions(e) for e in engagements), lang)


def rows_from(registry: PeopleRegistry, facts: Iterable[dict[str, Any]], lang: str | None = None) -> list[StaffRow]:
    """staff_rows from each engagement's `receptions` (as computed, or as kept by the row cache)."""
    statuses = {status: label(status, lang) for status in StaffStatus}
    stage_labels = {stage.value: label(stage, lang) for stage in STAGE_RANK}
    ranks = {stage.value: rank for stage, rank in STAGE_RANK.items()}
    rows = {e.id: StaffRow(e, statuses[e.status]) for e in registry.employees}
    for engagement in facts:
        eid, person, organisation, open_ = engagement["id"], engagement["person"], engagement["organisation"], engagement["open"]
        start, end = (date.fromisoformat(d) for d in engagement["term"])
        titles = engagement["items"]
        held: dict[str, list[list[Any]]] = {}
        for reception in engagement["received"]:
            held.setdefault(reception[0], []).append(reception)
        for member_id, employee_id in engagement["staff"]:
            row = rows.get(employee_id or "")
            if row is None:
                continue  # a receiver not linked yet: the store links it on its next write
            if eid not in row.engagements:
                row.engagements.append(eid)
            rotation = row.employee.rotation_expected
            in_term = rotation is not None and start <= rotation <= end
            for _, item_id, stage, last, sole in held.get(member_id, ()):
                row.received.append(Received(
                    eid, person, organisation, item_id, titles[item_id], stage_labels[stage], ranks[stage],
                    date.fromisoformat(last) if last else None, sole, in_term, open_,
                ))
    out = list(rows.values())
    folded: dict[tuple[str, str], tuple[str, str]] = {}  # a few of these, thousands of people: each folded once

    def order(row: StaffRow) -> tuple[Any, ...]:
        e = row.employee
        where = folded.get((e.organisation, e.department))
        if where is None:
            where = folded[(e.organisation, e.department)] = (organisations.key(e.organisation), fold(e.department))
        return *where, e.status.gone, fold(e.name_kana or e.name)

    out.sort(key=order)
    return out


def filtered(rows: list[StaffRow], *, query: str = "", **chosen: str | None) -> list[StaffRow]:
    """The rows matching the search and every chosen filter (None or "": any); the organisation
    compared as organisations.key does everywhere."""
    wanted = {name: value for name, value in chosen.items() if value}
    unknown = set(wanted) - set(FILTERS)
    if unknown:
        raise ValueError(f"unknown filter {sorted(unknown)}")
    q = fold(query).strip()
    out = []
    for row in rows:
        if q and not all(part in row.haystack() for part in q.split()):
            continue
        if not organisations.matches(row.employee.organisation, wanted.get("organisation")):
            continue
        if any(row.filter_value(n) != v for n, v in wanted.items() if n != "organisation"):
            continue
        out.append(row)
    return out


def filter_choices(rows: list[StaffRow]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {name: [] for name in FILTERS}
    seen: dict[str, set[str]] = {name: set() for name in FILTERS}
    for row in rows:
        e = row.employee
        for name, value, same in (("organisation", e.organisation, None), ("department", e.department, e.department),
                                  ("status", row.status, row.status)):
            if not value:
                continue
            if same is None:
                same = organisations.key(value)  # one organisation however it is written
            if same not in seen[name]:
                seen[name].add(same)
                out[name].append(value)
    return out


def summary(row: StaffRow, lang: str | None = None) -> list[tuple[str, str]]:
    """(label, value) lines of the selected employee's record."""
    e = row.employee
    status = row.status
    if e.status is not StaffStatus.ACTIVE and e.left_on is not None:
        status = t("staff.left_on", lang, status=row.status, date=e.left_on.isoformat())
    return [
        (t("staff.col.name", lang), e.name + (f"（{e.name_kana}）" if e.name_kana else "")),
        (t("staff.col.organisation", lang), " ".join(p for p in (e.organisation, e.department, e.position) if p)),
        (t("staff.col.status", lang), status),
        (t("staff.col.rotation", lang), e.rotation_expected.isoformat() if e.rotation_expected else "—"),
        (t("staff.col.load", lang), t("staff.load", lang, items=row.load, engagements=len(row.engagements),
                                      independent=row.independent)),
        (t("staff.col.risk", lang), t("staff.risk", lang, n=len(row.at_risk)) if row.at_risk else "—"),
    ]


def proposal_lines(proposal: Any, rows: list[StaffRow], lang: str | None = None) -> list[str]:
    """Each record of a merge proposal in one line: who, where, and what they receive, so the
    user can tell whether these are one person."""
    by_id = {r.id: r for r in rows}
    out = []
    for n, employee_id in enumerate(proposal.employee_ids, start=1):
        row = by_id.get(employee_id)
        if row is None:
            continue
        e = row.employee
        people = sorted({r.person for r in row.received})
        out.append(t("staff.proposals.line", lang, n=n, name=e.name, department=e.department or "—",
                     position=e.position or "—", status=row.status, items=len(row.received),
                     engagements="、".join(people) or "—"))
    return out


# ----- what the screen shows: the list's cells, the summary line, the selected one's detail -------
COLUMNS = ("name", "organisation", "department", "position", "status", "load", "independent", "risk", "rotation")


def cells(row: StaffRow) -> dict[str, str]:
    """A row of the list, each column's text (the screen styles the name and status of someone
    who left, and the risk of someone with items at risk)."""
    e = row.employee
    at_risk = row.at_risk
    return {
        "name": e.name, "organisation": e.organisation, "department": e.department, "position": e.position,
        "status": row.status, "load": str(row.load), "independent": str(row.independent),
        "risk": str(len(at_risk)) if at_risk else "—",
        "rotation": e.rotation_expected.isoformat() if e.rotation_expected else "—",
    }


class Line(NamedTuple):
    """One row of the list as shown: the employee's id, each column's text, whether they left,
    whether items leave with them."""

    id: str
    cells: dict[str, str]
    gone: bool
    at_risk: bool


class DetailLine(NamedTuple):
    """One item the selected employee receives, as shown below the list."""

    person: str
    item: str
    stage: str
    reached: str
    mark: str  # why it is at risk ("" none)
    risky: bool


@dataclass(frozen=True)
class Detail:
    """The selected employee below the list: their record in (label, value) pairs, and what they
    receive."""

    record: list[tuple[str, str]]
    received: list[DetailLine]
    gone: bool


def detail(row: StaffRow, lang: str | None = None) -> Detail:
    at_risk = {(r.engagement_id, r.item_id) for r in row.at_risk}
    lines = []
    for r in row.received:
        mark = t("staff.risk_sole", lang) if r.sole_independent else (t("staff.risk_rotation", lang) if r.rotation_in_term else "")
        lines.append(DetailLine(r.person, r.item, r.stage, r.reached_on.isoformat() if r.reached_on else "—", mark,
                                (r.engagement_id, r.item_id) in at_risk))
    return Detail(summary(row, lang), lines, row.employee.status.gone)


@dataclass(frozen=True)
class Opening:
    """What the staff screen shows above and in its list: the columns, the rows (the first
    screenful of them when kept for the next opening, views/firstscreen.py), the summary line, and
    the first row's detail."""

    columns: list[str]
    lines: list[Line]
    summary: str
    empty: bool  # no employee at all
    first: Detail | None

    def to_json(self) -> dict[str, Any]:
        first = self.first
        return {
            "columns": self.columns, "lines": [[line.id, line.cells, line.gone, line.at_risk] for line in self.lines],
            "summary": self.summary, "empty": self.empty,
            "first": None if first is None else {"record": [list(p) for p in first.record],
                                                 "received": [list(r) for r in first.received], "gone": first.gone},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Opening:
        first = data["first"]
        detail = None if first is None else Detail([(str(k), str(v)) for k, v in first["record"]],
                                                  [DetailLine(*r) for r in first["received"]], bool(first["gone"]))
        return cls([str(c) for c in data["columns"]], [Line(i, dict(c), bool(g), bool(r)) for i, c, g, r in data["lines"]],
                   str(data["summary"]), bool(data["empty"]), detail)

    def head(self, size: int) -> Opening:
        return Opening(self.columns, self.lines[:size], self.summary, self.empty, self.first)


def opening(shown: list[StaffRow], every: list[StaffRow], waiting: int, lang: str | None = None,
            size: int | None = None) -> Opening:
    """The Opening of the rows `shown` (filtered from `every`; the first `size` of them, None:
    all), with `waiting` merge proposals."""
    common = {organisations.key(r.employee.organisation) for r in every}
    columns = [c for c in COLUMNS if c != "organisation" or len(common) > 1]
    text = t("staff.summary", lang, shown=len(shown), total=len(every), gone=sum(1 for r in every if r.employee.status.gone))
    if len(common) == 1 and every:
        text = t("dash.status.organisation", lang, name=every[0].employee.organisation) + "  " + text
    if waiting:
        text += "  " + t("staff.proposals_waiting", lang, n=waiting)
    picked = shown if size is None else shown[:size]
    lines = [Line(r.id, cells(r), r.employee.status.gone, bool(r.at_risk)) for r in picked]
    return Opening(columns, lines, text, not every, detail(shown[0], lang) if shown else None)


# ----- the head of the list, kept between openings and brought up to date --------------------------
@dataclass(frozen=True)
class Head:
    """The first employees of the list in order, with the receptions of every engagement that
    names one of them, each engagement file's (mtime, size) the whole was computed from, and what
    the opening says of every employee (the columns, the summary line): enough to show the list's
    opening without reading every engagement's receptions, and to bring it up to date after some
    engagement files changed (`updated`) by reading only theirs.  The order, the summary and the
    columns depend on the employee records alone (the people file), which must be unchanged."""

    stamps: dict[str, tuple[int, int]]
    employees: list[Employee]
    facts: dict[str, dict[str, Any]]  # receptions (as `receptions` makes them) of the engagements naming them
    columns: list[str]
    summary: str
    empty: bool

    def changed(self, fingerprint: Iterable[tuple[str, int, int]]) -> list[str]:
        """The engagement files on disk not as they were (changed or new), in file order."""
        stamps = self.stamps
        return [eid for eid, mtime, size in fingerprint if stamps.get(eid) != (mtime, size)]

    def updated(self, fingerprint: Iterable[tuple[str, int, int]], fresh: list[dict[str, Any]]) -> Head:
        """The head for the files of `fingerprint`, given the receptions of every file `changed`
        lists (`fresh`): the changed and deleted engagements' receptions replaced by the new ones
        that name one of the employees."""
        fingerprint = list(fingerprint)
        new = {facts["id"]: facts for facts in fresh}
        ids = {e.id for e in self.employees}
        stamps = {eid: (mtime, size) for eid, mtime, size in fingerprint}
        facts = {}
        for eid, _, _ in fingerprint:
            if eid in new:
                if _names(new[eid], ids):
                    facts[eid] = new[eid]
            elif eid in self.facts and self.stamps.get(eid) == stamps[eid]:
                facts[eid] = self.facts[eid]
        return Head(stamps, self.employees, facts, self.columns, self.summary, self.empty)

    def opening(self, lang: str | None = None) -> Opening:
        """What opening(every row, …, size) is for the employees kept, from their engagements alone."""
        rows = rows_from(PeopleRegistry(employees=self.employees), self.facts.values(), lang)
        lines = [Line(r.id, cells(r), r.employee.status.gone, bool(r.at_risk)) for r in rows]
        return Opening(self.columns, lines, self.summary, self.empty, detail(rows[0], lang) if rows else None)

    def to_json(self) -> dict[str, Any]:
        return {"stamps": {eid: list(stamp) for eid, stamp in self.stamps.items()},
                "employees": [e.model_dump(mode="json") for e in self.employees], "facts": self.facts,
                "columns": self.columns, "summary": self.summary, "empty": self.empty}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Head:
        stamps = {str(eid): (int(mtime), int(size)) for eid, (mtime, size) in data["stamps"].items()}
        employees = [Employee.model_validate(e) for e in data["employees"]]
        facts = {str(eid): dict(f) for eid, f in data["facts"].items()}
        return cls(stamps, employees, facts, [str(c) for c in data["columns"]], str(data["summary"]), bool(data["empty"]))


def _names(facts: dict[str, Any], employees: set[str]) -> bool:
    return any(employee_id in employees for _, employee_id in facts["staff"])


def head(fingerprint: Iterable[tuple[str, int, int]], facts: Iterable[dict[str, Any]], rows: list[StaffRow],
         whole: Opening, size: int) -> Head:
    """The Head of the list (`rows`, every employee's row in order; `whole`, their Opening), made
    from the receptions `facts` of the engagement files of `fingerprint`: its first `size` employees."""
    employees = [row.employee for row in rows[:size]]
    ids = {e.id for e in employees}
    stamps = {eid: (mtime, size_) for eid, mtime, size_ in fingerprint}
    return Head(stamps, employees, {f["id"]: f for f in facts if f["id"] in stamps and _names(f, ids)},
                whole.columns, whole.summary, whole.empty)

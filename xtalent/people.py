"""Staff as people of the organisation: the employee records (people.json) and how the
engagements' receivers refer to them.

An engagement's `ReceivingStaff` names an employee (`employee_id`) and keeps a copy of the
record (name, department, position, 異動予定, status) so that one engagement file, or one
engagement exported alone, still names its receivers; every change to an employee is written
to the registry and to each engagement that refers to them in one journaled change
(Store.save_employee).

Nothing here merges two people on its own: receivers that look alike (the same name and
department in one organisation) are *proposed* as one person, and stay separate people until
the user confirms (merge) or rejects (reject) the proposal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

from . import organisations
from .lookup import normalise
from .models import Employee, Engagement, PeopleRegistry, ReceivingStaff, StaffStatus

MIRRORED = ("name", "department", "position", "rotation_expected", "status", "left_on")
"""The fields of an employee an engagement keeps a copy of in each of its receivers."""

PERSONAL = ("name", "department", "position", "rotation_expected")
"""The fields of a receiver an engagement's form edits that are the person's, not this
engagement's: saved to their employee record and every engagement naming them."""


def personal_changed(seen: ReceivingStaff, new: ReceivingStaff) -> bool:
    """Whether an edit of a receiver changed the person (a field of their employee record)."""
    return any(getattr(new, n) != getattr(seen, n) for n in PERSONAL)


def person_edit(seen: ReceivingStaff, new: ReceivingStaff, current: Employee) -> tuple[Employee, Employee] | None:
    """A receiver edited from `seen` to `new`, as an edit of their employee record `current`:
    (base, wanted) for Store.save_employee — the record as the user saw it and as they want it
    — or None when none of the person's fields changed."""
    changed = {n: getattr(new, n) for n in PERSONAL if getattr(new, n) != getattr(seen, n)}
    if not changed:
        return None
    base = current.model_copy(update={n: getattr(seen, n) for n in PERSONAL})
    return base, current.model_copy(update=changed)


def employee_from(staff: ReceivingStaff, organisation: str) -> Employee:
    """A new employee record for a receiver that has none yet (migration, import, a new receiver)."""
    return Employee(
        name=staff.name, organisation=organisation, department=staff.department, position=staff.position,
        rotation_expected=staff.rotation_expected, status=staff.status,
        left_on=staff.left_on if staff.status is not StaffStatus.ACTIVE else None,
    )


def mirrored(staff: ReceivingStaff, employee: Employee) -> ReceivingStaff:
    """The receiver as the employee record says it is now (its role in this engagement kept)."""
    update = {name: getattr(employee, name) for name in MIRRORED}
    if all(getattr(staff, name) == value for name, value in update.items()) and staff.employee_id == employee.id:
        return staff
    return staff.model_copy(update={**update, "employee_id": employee.id})


def link(engagement: Engagement, registry: dict[str, Employee]) -> tuple[Engagement, list[Employee]]:
    """The engagement with every receiver referring to an employee, and the employees made for
    it: one new record per receiver without a known one (never matched to an existing person by
    name: that is a proposal for the user)."""
    new: list[Employee] = []
    staff = []
    changed = False
    for member in engagement.staff:
        employee = registry.get(member.employee_id) if member.employee_id else None
        if employee is None:
            employee = employee_from(member, engagement.organisation)
            if member.employee_id:
                employee = employee.model_copy(update={"id": member.employee_id})
            registry[employee.id] = employee
            new.append(employee)
        linked = member if member.employee_id == employee.id else member.model_copy(update={"employee_id": employee.id})
        changed = changed or linked is not member
        staff.append(linked)
    if not changed:
        return engagement, new
    return engagement.model_copy(update={"staff": staff}), new


def link_data(data: dict[str, Any], registry: dict[str, Employee]) -> dict[str, Any]:
    """link() on an engagement's JSON as an import writes it (already validated): the same
    records, without building the engagement's model a second time."""
    for member in data.get("staff") or []:
        employee_id = member.get("employee_id")
        if employee_id and employee_id in registry:
            continue
        status = StaffStatus(member.get("status") or StaffStatus.ACTIVE.value)
        employee = Employee(
            name=member["name"], organisation=data.get("organisation", ""), department=member.get("department", ""),
            position=member.get("position", ""), rotation_expected=member.get("rotation_expected"), status=status,
            left_on=member.get("left_on") if status is not StaffStatus.ACTIVE else None,
        )
        if employee_id:
            employee = employee.model_copy(update={"id": employee_id})
        registry[employee.id] = employee
        member["employee_id"] = employee.id
    return data


def refers_to(engagement: Engagement, employee_ids: Iterable[str]) -> bool:
    wanted = set(employee_ids)
    return any(s.employee_id in wanted for s in engagement.staff)


def apply_employee(engagement: Engagement, employee: Employee) -> Engagement:
    """The engagement with its receivers that are `employee` brought up to the record."""
    staff = [mirrored(s, employee) if s.employee_id == employee.id else s for s in engagement.staff]
    return engagement.model_copy(update={"staff": staff})


def repoint(engagement: Engagement, keep: Employee, merged: set[str]) -> Engagement:
    """After a merge: receivers that were one of `merged` are now `keep`.

    Two receivers of one engagement that turn out to be one person stay two rows of this
    engagement (both referring to `keep`), so no stage and no item reference is lost."""
    staff = [mirrored(s, keep) if s.employee_id in merged or s.employee_id == keep.id else s for s in engagement.staff]
    return engagement.model_copy(update={"staff": staff})


def left(employee: Employee, status: StaffStatus, on: date | None) -> Employee:
    """The employee marked 異動済み / 退職 on `on` (or back to 在籍: `on` is then dropped)."""
    return employee.model_copy(update={"status": status, "left_on": on if status is not StaffStatus.ACTIVE else None})


# ----- merge proposals ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Proposal:
    """Employees that look like one person: same name and department in one organisation."""

    employee_ids: tuple[str, ...]  # in the registry's order; the first is kept on a merge
    name: str
    organisation: str
    department: str

    @property
    def key(self) -> str:
        return "+".join(sorted(self.employee_ids))


def _group_key(employee: Employee) -> tuple[str, str, str]:
    return organisations.key(employee.organisation), normalise(employee.name), normalise(employee.department)


def proposals(registry: PeopleRegistry) -> list[Proposal]:
    """Every group of look-alike employees the user has not already said are different people."""
    groups: dict[tuple[str, str, str], list[Employee]] = {}
    for employee in registry.employees:
        groups.setdefault(_group_key(employee), []).append(employee)
    rejected = [set(ids) for ids in registry.distinct]
    out = []
    for members in groups.values():
        ids = {m.id for m in members}
        if len(members) < 2 or any(ids <= seen for seen in rejected):
            continue
        first = members[0]
        out.append(Proposal(tuple(m.id for m in members), first.name, first.organisation, first.department))
    return sorted(out, key=lambda p: (organisations.key(p.organisation), normalise(p.name)))


def merged_registry(registry: PeopleRegistry, proposal: Proposal) -> tuple[PeopleRegistry, Employee]:
    """The registry with the proposal's employees made one (the first kept, the others removed:
    their engagements are repointed to it in the same change)."""
    by_id = registry.by_id()
    keep = by_id[proposal.employee_ids[0]]
    others = set(proposal.employee_ids[1:])
    employees = [e for e in registry.employees if e.id not in others]
    distinct = [ids for ids in registry.distinct if not (set(ids) & others)]
    return registry.model_copy(update={"employees": employees, "distinct": distinct}), keep


@dataclass(frozen=True)
class MergeRecord:
    """What a merge did, so that it can be undone: the records merged into `keep`, the rejected
    proposals dropped with them, and each receiver repointed (engagement id, staff id, the
    employee id it had)."""

    proposal: Proposal
    keep: Employee
    removed: tuple[Employee, ...]
    distinct: tuple[tuple[str, ...], ...]
    repointed: tuple[tuple[str, str, str], ...]
    order: tuple[str, ...] = ()  # the registry's employee ids as they were before

    @property
    def engagement_ids(self) -> list[str]:
        return list(dict.fromkeys(engagement_id for engagement_id, _, _ in self.repointed))


def unmerged_registry(registry: PeopleRegistry, record: MergeRecord) -> PeopleRegistry | None:
    """The registry with a merge undone (the merged records back after the one kept, so that the
    same proposal keeps the same one); None when the records changed since (the kept one gone,
    or a merged one back already)."""
    by_id = registry.by_id()
    if record.keep.id not in by_id or any(e.id in by_id for e in record.removed):
        return None
    employees: list[Employee] = []
    for employee in registry.employees:
        employees.append(employee)
        if employee.id == record.keep.id:
            employees.extend(record.removed)
    # Everyone where they were (records added since, after them).
    where = {employee_id: n for n, employee_id in enumerate(record.order)}
    employees.sort(key=lambda e: where.get(e.id, len(where)))
    distinct = [*registry.distinct, *(list(ids) for ids in record.distinct)]
    return registry.model_copy(update={"employees": employees, "distinct": distinct})


def unpointed(engagement: Engagement, record: MergeRecord) -> Engagement | None:
    """The engagement with the receivers a merge repointed back to their own records (None:
    none of them is here, or each already names another)."""
    had = {staff_id: employee_id for engagement_id, staff_id, employee_id in record.repointed
           if engagement_id == engagement.id}
    removed = {e.id: e for e in record.removed}
    staff = [mirrored(s, removed[had[s.id]]) if s.id in had and s.employee_id == record.keep.id else s
             for s in engagement.staff]
    if all(a is b for a, b in zip(staff, engagement.staff)):
        return None
    return engagement.model_copy(update={"staff": staff})


def rejected_registry(registry: PeopleRegistry, proposal: Proposal) -> PeopleRegistry:
    return registry.model_copy(update={"distinct": [*registry.distinct, sorted(proposal.employee_ids)]})


def distinct_among(groups: Iterable[Iterable[str]], employee_ids: Iterable[str]) -> list[list[str]]:
    """The rejected proposals (groups of employees said to be different people) whose employees
    are all among `employee_ids`, each once: what an export carries and an import keeps."""
    known = set(employee_ids)
    out: list[list[str]] = []
    for group in groups:
        ids = sorted(set(group))
        if len(ids) > 1 and set(ids) <= known and ids not in out:
            out.append(ids)
    return out


def named_employees(engagements: Iterable[Engagement]) -> set[str]:
    """The ids of the employee records these engagements' receivers refer to."""
    return {s.employee_id for e in engagements for s in e.staff if s.employee_id}


def referenced(registry: PeopleRegistry, engagements: Iterable[Engagement]) -> tuple[list[Employee], list[list[str]]]:
    """The employee records these engagements' receivers refer to, and the rejected proposals
    among them: the people part of an interchange document of these engagements."""
    wanted = named_employees(engagements)
    employees = [e for e in registry.employees if e.id in wanted]
    return employees, distinct_among(registry.distinct, (e.id for e in employees))

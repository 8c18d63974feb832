"""One engagement as its screen's tabs show it: overview facts, targets, structure, warnings."""

from __future__ import annotations

from ..metrics import BunshinPoint, bunshin_by_month

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..dates import format_fiscal_year
from ..i18n import get_language, t
from ..labels import label
from ..models import ChangeTarget, Engagement, KnowHowItem, LogEntry, ReceivingStaff, StructureRole
from ..numbers import number_text
from .load import LogRow, MonthLoad, contracted_minutes, log_rows, monthly_load
from .matrix import Matrix, build_matrix, staff_order
from .signals import SEVERITIES, Signals, evaluate, severity_of
from .text import countdown, minutes_text

TABS = ("overview", "targets", "items", "structure", "log", "warnings")


# ----- overview -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Fact:
    label: str
    value: str


def contracted_text(engagement: Engagement, lang: str | None = None) -> str:
    if engagement.hours_per_month and engagement.days_per_month:  # both as entered
        return t("eng.per_month_both", lang, d=number_text(engagement.days_per_month),
                 h=number_text(engagement.hours_per_month))
    if engagement.hours_per_month:
        return t("eng.per_month_hours", lang, h=number_text(engagement.hours_per_month))
    if engagement.days_per_month:
        return t("eng.per_month_days", lang, d=number_text(engagement.days_per_month),
                 h=minutes_text(contracted_minutes(engagement) or 0, lang))
    return "—"


def overview_facts(engagement: Engagement, today: date, signals: Signals, lang: str | None = None) -> list[Fact]:
    person = engagement.person
    name = f"{person.name}（{person.name_kana}）" if person.name_kana else person.name
    role = label(engagement.role, lang) + (f" — {engagement.role_note}" if engagement.role_note else "")
    org = " ".join(p for p in (engagement.organisation, engagement.department) if p)
    term = t("eng.term_range", lang, start=engagement.term_start.isoformat(), end=engagement.term_end.isoformat(),
             fy=format_fiscal_year(engagement.term_end, lang or get_language()))
    transferred = engagement.transferred_count()
    facts = [
        Fact(t("eng.fact.person", lang), name),
        Fact(t("eng.fact.affiliation", lang), person.affiliation or "—"),
        Fact(t("eng.fact.role", lang), role),
        Fact(t("eng.fact.contract", lang), label(engagement.contract_form, lang)),
        Fact(t("eng.fact.organisation", lang), org),
        Fact(t("eng.fact.sponsor", lang), engagement.sponsor or "—"),
        Fact(t("eng.fact.term", lang), term),
        countdown_fact(engagement, today, lang),
        Fact(t("eng.fact.contracted", lang), contracted_text(engagement, lang)),
        Fact(t("eng.fact.targets", lang), str(len(engagement.targets))),
        Fact(t("eng.fact.transfer", lang), t("eng.transfer_count", lang, done=transferred, total=len(engagement.items))),
        Fact(t("eng.fact.staff", lang), str(len(engagement.staff))),
        Fact(t("eng.fact.bunshin", lang), "—" if signals.bunshin is None else str(signals.bunshin)),
    ]
    return facts


def countdown_fact(engagement: Engagement, today: date, lang: str | None = None) -> Fact:
    """"任期開始まで 129日" before the term, "任期終了まで あと12日" in it, "任期終了 12日前" after."""
    if today < engagement.term_start:
        return Fact(t("eng.fact.countdown_start", lang), t("eng.days_n", lang, n=(engagement.term_start - today).days))
    if today <= engagement.term_end:
        return Fact(t("eng.fact.countdown", lang), countdown(engagement.term_start, engagement.term_end, today, lang))
    return Fact(t("eng.fact.countdown_ended", lang), countdown(engagement.term_start, engagement.term_end, today, lang))


def notes_fact(engagement: Engagement, lang: str | None = None) -> Fact | None:
    """The notes, shown after the readiness: long free text would push the score off a small screen."""
    return Fact(t("eng.fact.notes", lang), engagement.notes) if engagement.notes else None


# ----- change targets -------------------------------------------------------------------------
@dataclass(frozen=True)
class TargetRow:
    id: str
    title: str
    scope: str
    status: str
    owner: str
    agreed: str
    indicator: str
    department: str
    staff: str
    items: str
    goal: str = ""


def indicator_text(target: ChangeTarget) -> str:
    ind = target.indicator
    if ind is None:
        return ""
    baseline, current, target = (number_text(v, none="?") for v in (ind.baseline, ind.current, ind.target))
    return f"{ind.name} {baseline}→{current}→{target}{ind.unit}"


def target_rows(engagement: Engagement, lang: str | None = None) -> list[TargetRow]:
    staff = engagement.staff_by_id()
    rows = []
    for target in engagement.targets:
        items = [i for i in engagement.items if i.target_id == target.id]
        agreed = " ".join(p for p in ((target.agreed_on.isoformat() if target.agreed_on else ""), target.agreed_by) if p)
        rows.append(
            TargetRow(
                id=target.id,
                title=target.title,
                scope=label(target.scope_level, lang),
                status=label(target.status, lang),
                owner=label(target.owner, lang),
                agreed=agreed or t("eng.not_agreed", lang),
                indicator=indicator_text(target),
                department=target.field_department,
                staff="、".join(staff[s].name for s in target.staff_ids if s in staff),
                items=f"{sum(1 for i in items if i.transferred)}/{len(items)}",
                goal=target.goal,
            )
        )
    return rows


# ----- receiving structure --------------------------------------------------------------------
@dataclass(frozen=True)
class StaffRow:
    id: str
    name: str
    role: str
    lead: bool
    department: str
    position: str
    rotation: date | None
    rotation_before_end: bool  # moves before the term ends or soon after: plan the hand-on
    receiving: int  # items this person receives
    transferred: int  # of those, at 自立 or beyond
    rotation_when: str | None = None  # see rotation_timing()

    def rotation_text(self, lang: str | None = None) -> str:
        if self.rotation is None:
            return "—"
        text = self.rotation.isoformat()
        if self.rotation_when in ROTATION_TIMINGS:
            return t(f"eng.rotation.{self.rotation_when}", lang, date=text)
        return text


# A move within this many days after the term end still leaves the hand-on unfinished (the
# receiver-rotation-risk rule's default margin).
ROTATION_SOON_AFTER_DAYS = 90
ROTATION_TIMINGS = ("before_start", "in_term", "soon_after_end")


def rotation_timing(rotation: date | None, term_start: date, term_end: date) -> str | None:
    """When a staff member's expected move falls against the term: "before_start" (before the
    term starts), "in_term", "soon_after_end" (within ROTATION_SOON_AFTER_DAYS of its end),
    "later" — or None without a date."""
    if rotation is None:
        return None
    if rotation < term_start:
        return "before_start"
    if rotation <= term_end:
        return "in_term"
    if (rotation - term_end).days <= ROTATION_SOON_AFTER_DAYS:
        return "soon_after_end"
    return "later"


def structure_rows(engagement: Engagement, lang: str | None = None) -> list[StaffRow]:
    rows = []
    for staff in staff_order(engagement.staff):
        receptions = [r for item in engagement.items for r in item.receivers if r.staff_id == staff.id]
        when = rotation_timing(staff.rotation_expected, engagement.term_start, engagement.term_end)
        rows.append(
            StaffRow(
                id=staff.id,
                name=staff.name,
                role=label(staff.role, lang),
                lead=staff.role is StructureRole.LEAD,
                department=staff.department,
                position=staff.position,
                rotation=staff.rotation_expected,
                rotation_before_end=when in ROTATION_TIMINGS,
                receiving=len(receptions),
                transferred=sum(1 for r in receptions if r.stage.transferred),
                rotation_when=when,
            )
        )
    return rows


# ----- warnings and where each one points ------------------------------------------------------
# Where a warning about the engagement as a whole (no subject record) is dealt with: the tab of
# what it is about.  Rules not listed (and unknown ones) open the overview.
RULE_TAB: dict[str, str] = {
    "no-receiving-structure": "structure",
    "receiver-rotation-risk": "structure",
    "scope-undefined": "targets",
    "target-unagreed": "targets",
    "goal-undefined": "targets",
    "goal-unmeasured": "targets",
    "wholesale-handover": "targets",
    "armchair-advice": "targets",
    "items-undefined": "items",
    "item-without-receiver": "items",
    "single-point-of-knowledge": "items",
    "due-after-term": "items",
    "transfer-stalled": "items",
    "transfer-pace-behind": "items",
    "term-ending-untransferred": "items",
    "term-ended-untransferred": "items",
    "transfer-unevidenced": "items",
    "consultation-overload": "log",
    "underused": "log",
    "dispatch-days-exceeded": "log",
}


def rule_tab(code: str) -> str:
    """The tab a rule's warnings about the whole engagement jump to."""
    return RULE_TAB.get(code, "overview")


def subject_tab(engagement: Engagement, subject_id: str | None, code: str = "") -> str:
    """The tab a warning's subject lives on; for the engagement as a whole, the tab of what the
    rule is about (RULE_TAB)."""
    record = engagement.find(subject_id) if subject_id else None
    if isinstance(record, ChangeTarget):
        return "targets"
    if isinstance(record, KnowHowItem):
        return "items"
    if isinstance(record, ReceivingStaff):
        return "structure"
    if isinstance(record, LogEntry):
        return "log"
    return rule_tab(code)


def subject_title(record: Any) -> str:
    for attr in ("title", "name", "topic"):
        value = getattr(record, attr, None)
        if value:
            return str(value)
    return ""


@dataclass(frozen=True)
class WarningRow:
    n: int
    severity: str
    severity_label: str
    aspect: str
    message: str
    action: str
    code: str
    subject_id: str | None
    subject: str
    tab: str


def warning_rows(engagement: Engagement, signals: Signals, lang: str | None = None) -> list[WarningRow]:
    """Most serious first, then in the rules' order."""
    ranked = sorted(enumerate(signals.findings), key=lambda p: (SEVERITIES.index(severity_of(p[1])), p[0]))
    rows = []
    for n, finding in ranked:
        severity = severity_of(finding)
        record = engagement.find(finding.subject_id) if finding.subject_id else None
        rows.append(
            WarningRow(
                n=n,
                severity=severity,
                severity_label=finding.severity.label(lang),
                aspect=finding.aspect.label(lang),
                message=finding.message,
                action=finding.action,
                code=finding.code,
                subject_id=finding.subject_id,
                subject=subject_title(record) if record is not None else "",
                tab=subject_tab(engagement, finding.subject_id, finding.code),
            )
        )
    return rows


# ----- everything one screen shows, built once (in a worker) ------------------------------------
@dataclass(frozen=True)
class EngagementView:
    engagement: Engagement
    signals: Signals
    facts: list[Fact]
    targets: list[TargetRow]
    matrix: Matrix
    staff: list[StaffRow]
    log: list[LogRow]
    loads: list[MonthLoad]
    warnings: list[WarningRow]
    bunshin: list[BunshinPoint]  # 分身 at each month's end of the term so far

    @property
    def title(self) -> str:
        return self.engagement.person.name


def build_view(engagement: Engagement, today: date, lang: str | None = None, settings: Any = None) -> EngagementView:
    lang = lang or get_language()
    signals = evaluate(engagement, today, lang, settings)
    return EngagementView(
        engagement=engagement,
        signals=signals,
        facts=overview_facts(engagement, today, signals, lang),
        targets=target_rows(engagement, lang),
        matrix=build_matrix(engagement, lang),
        staff=structure_rows(engagement, lang),
        log=log_rows(engagement, lang),
        loads=monthly_load(engagement, today),
        warnings=warning_rows(engagement, signals, lang),
        bunshin=bunshin_by_month([engagement], min(today, engagement.term_end)),
    )

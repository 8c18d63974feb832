"""One engagement as its screen's tabs show it: overview facts, targets, structure, warnings."""

from __future__ import annotations

from ..metrics import BunshinPoint, bunshin_by_month

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..dates import format_fiscal_year
from ..i18n import get_language, t
from ..dispatch import is_dispatched
from ..indicators import in_order
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


def status_text(engagement: Engagement, today: date, lang: str | None = None) -> str:
    """"在任", or "終了（未了あり） — 2026-03-31 人事課 佐々木 智子": the status, and who closed it when."""
    status = label(engagement.lifecycle(today), lang)
    closure = engagement.closure
    if closure is None:
        return status
    return t("eng.closed_by", lang, status=status, on=closure.on.isoformat(), by=closure.by)


def term_history_text(engagement: Engagement, lang: str | None = None) -> str | None:
    """"延長 2025-04-01〜2026-03-31 → 通算2年" — None for an engagement in its first term."""
    if not engagement.term_history:
        return None
    from ..lifecycle import cumulative_days

    earlier = "、".join(
        t("eng.term_change", lang, kind=label(c.kind, lang), start=c.start.isoformat(), end=c.end.isoformat())
        for c in engagement.term_history
    )
    return t("eng.term_history", lang, earlier=earlier, total=span_text(cumulative_days(engagement), lang))


def span_text(days: int, lang: str | None = None) -> str:
    """A length in years and months, as a term is spoken of ("1年9か月")."""
    months = round(days / (365.25 / 12))
    years, rest = divmod(months, 12)
    if years and rest:
        return t("eng.span_years_months", lang, y=years, m=rest)
    if years:
        return t("eng.span_years", lang, n=years)
    return t("eng.span_months", lang, n=rest)


def contracted_left_text(engagement: Engagement, today: date, settings: Any = None, lang: str | None = None) -> str | None:
    """"約2.4日" of contracted time left (xtalent.contracted), while the term runs."""
    from ..appointments import type_of, types_of
    from ..contracted import days_left
    from ..settingsfile import resolve

    if engagement.closure is not None or today > engagement.term_end:
        return None
    resolved = resolve(settings) if settings is not None else None
    pitfalls = getattr(resolved, "pitfalls", resolved)
    kind = type_of(engagement.appointment_type, types_of(settings))
    left = days_left(
        engagement, today, kind=kind,
        **({"hours_per_day": pitfalls.hours_per_day, "closed": pitfalls.closed_days} if pitfalls is not None else {}),
    )
    if left is None:
        return None
    shown = f"{left:.1f}".rstrip("0").rstrip(".") if left < 10 else str(round(left))
    return t("eng.contracted_left", lang, days=shown)


def overview_facts(
    engagement: Engagement, today: date, signals: Signals, lang: str | None = None, settings: Any = None
) -> list[Fact]:
    from ..appointments import type_label, types_of

    person = engagement.person
    name = f"{person.name}（{person.name_kana}）" if person.name_kana else person.name
    role = label(engagement.role, lang) + (f" — {engagement.role_note}" if engagement.role_note else "")
    org = " ".join(p for p in (engagement.organisation, engagement.department) if p)
    term = t("eng.term_range", lang, start=engagement.term_start.isoformat(), end=engagement.term_end.isoformat(),
             fy=format_fiscal_year(engagement.term_end, lang or get_language()))
    transferred = engagement.transferred_count()
    history = term_history_text(engagement, lang)
    left = contracted_left_text(engagement, today, settings, lang)
    decision = engagement.after_term
    facts = [
        Fact(t("eng.fact.status", lang), status_text(engagement, today, lang)),
        Fact(t("eng.fact.person", lang), name),
        Fact(t("eng.fact.affiliation", lang), person.affiliation or "—"),
        Fact(t("eng.fact.email", lang), person.email or "—"),
        Fact(t("eng.fact.role", lang), role),
        Fact(t("eng.fact.appointment_type", lang), type_label(engagement.appointment_type, types_of(settings), lang)),
        Fact(t("eng.fact.contract", lang), label(engagement.contract_form, lang)),
        Fact(t("eng.fact.organisation", lang), org),
        Fact(t("eng.fact.sponsor", lang), engagement.sponsor or "—"),
        Fact(t("eng.fact.term", lang), term),
        *([Fact(t("eng.fact.term_history", lang), history)] if history else []),
        countdown_fact(engagement, today, lang),
        Fact(t("eng.fact.contracted", lang), contracted_text(engagement, lang)),
        *([Fact(t("eng.fact.contracted_left", lang), left)] if left else []),
        Fact(t("eng.fact.after_term", lang), t("eng.after_term_value", lang, decision=label(decision.decision, lang),
                                                 on=decision.decided_on.isoformat())
             + (f" — {decision.note}" if decision.note else "") if decision else t("eng.after_term_none", lang)),
        Fact(t("eng.fact.targets", lang), str(len(engagement.targets))),
        Fact(t("eng.fact.transfer", lang), t("eng.transfer_count", lang, done=transferred, total=len(engagement.items))),
        Fact(t("eng.fact.staff", lang), str(len(engagement.staff))),
        Fact(t("eng.fact.bunshin", lang), "—" if signals.bunshin is None else str(signals.bunshin)),
    ]
    facts += closure_facts(engagement, lang)
    facts += handover_facts(engagement, lang)
    return facts


def handover_facts(engagement: Engagement, lang: str | None = None) -> list[Fact]:
    """Where the 事務引継書 stands: signed (when, the scanned copy), or being prepared."""
    h = engagement.handover
    if h is None:
        return []
    if h.signed_on is not None:
        value = t("eng.handover_signed", lang, on=h.signed_on.isoformat())
        if h.scan:
            value += t("eng.handover_scan", lang, path=h.scan)
    else:
        value = t("eng.handover_draft", lang, files=len(h.files), equipment=len(h.equipment))
    return [Fact(t("eng.fact.handover", lang), value)]


def closure_facts(engagement: Engagement, lang: str | None = None) -> list[Fact]:
    """The closing's note and each open item's post-term support plan (who, how, until when)."""
    closure = engagement.closure
    if closure is None:
        return []
    items = {item.id: item.title for item in engagement.items}
    out = [Fact(t("eng.fact.closure_note", lang), closure.note)] if closure.note else []
    for plan in closure.support:
        out.append(Fact(
            t("eng.fact.support_plan", lang, item=items.get(plan.item_id, plan.item_id)),
            t("eng.support_plan", lang, who=plan.who, how=plan.how, until=plan.until.isoformat()),
        ))
    return out


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
    fiscal_year: str = ""  # the 年度 it should be achieved by
    readings: str = ""  # the indicator's readings, oldest first: "2026-03-31 33分 → 2026-10-30 24分"


def readings_text(target: ChangeTarget) -> str:
    ind = target.indicator
    if ind is None:
        return ""
    return " → ".join(f"{r.on.isoformat()} {number_text(r.value)}{ind.unit}" for r in in_order(ind))


def indicator_text(target: ChangeTarget) -> str:
    ind = target.indicator
    if ind is None:
        return ""
    baseline, current, goal = (number_text(v, none="?") for v in (ind.baseline, ind.current, ind.target))
    return f"{ind.name} {baseline}→{current}→{goal}{ind.unit}"


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
                fiscal_year=format_fiscal_year(date(target.fiscal_year, 4, 1), lang or get_language())
                if target.fiscal_year else "",
                readings=readings_text(target),
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
    "bunshin-leaving": "items",
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
    "dispatch-report-overdue": "log",
    "item-overdue": "items",
    "target-fiscal-year": "targets",
    # About the engagement's own record (term, type, contracted time, after-term decision).
    "appointment-term-outside": "overview",
    "contracted-time-below-type": "overview",
    "reappointment-notice": "overview",
    "budget-cycle-undecided": "overview",
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
        subject = subject_title(record) if record is not None else ""
        more = len(getattr(finding, "subjects", ())) - 1
        if subject and more > 0:  # one cause covering several records: the first, and how many more
            subject += t("pitfall.common.and_more", lang, n=more)
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
                subject=subject,
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
    dispatched: bool = False  # a dispatch scheme: each day of log entries has its 実施報告書

    @property
    def title(self) -> str:
        return self.engagement.person.name


def build_view(engagement: Engagement, today: date, lang: str | None = None, settings: Any = None) -> EngagementView:
    lang = lang or get_language()
    signals = evaluate(engagement, today, lang, settings)
    return EngagementView(
        engagement=engagement,
        signals=signals,
        facts=overview_facts(engagement, today, signals, lang, settings),
        targets=target_rows(engagement, lang),
        matrix=build_matrix(engagement, lang),
        staff=structure_rows(engagement, lang),
        log=log_rows(engagement, lang),
        loads=monthly_load(engagement, today),
        warnings=warning_rows(engagement, signals, lang),
        bunshin=bunshin_by_month([engagement], min(today, engagement.term_end)),
        dispatched=is_dispatched(engagement, settings),
    )

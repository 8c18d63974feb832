"""An engagement's whole life: its status, its terms, and closing it.

    予定 → 在任 → 任期終了・引継ぎ中 → 完了 / 終了（未了あり）

The first three follow from the term and the day (`Engagement.lifecycle`); the last two are
confirmed by closing, an explicit action with who and when (`close`), undone by `reopen`.  A
closed engagement keeps everything for the record and raises no warnings.  Closing with items
below 自立 needs a post-term support plan for each (who supports it, how, until when).

Extensions and renewals keep the earlier term in `term_history` (`change_term`), so the
cumulative length stays visible: trust takes about a year to build, and a third renewal of a
person nobody is learning from is a pitfall of its own.

Pure functions: each takes an engagement and returns a changed copy, as xtalent/edits.py does;
the edit session saves and records them for undo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .dates import add_days
from .edits import EditRefused
from .models import (
    AfterTermDecision,
    Closure,
    ClosureOutcome,
    Engagement,
    Handover,
    KnowHowItem,
    SupportPlan,
    TermChange,
    TermChangeKind,
)
from .vocabulary import INDEPENDENT_RANK, STAGE_RANK, AfterTerm, Lifecycle

__all__ = [
    "SIGNERS", "EntryProblem", "Lifecycle", "change_term", "sign_off", "close", "closing_problems", "cumulative_days",
    "log_date_problems", "open_items", "reopen", "with_term_history",
]


def open_items(engagement: Engagement) -> list[KnowHowItem]:
    """Items no receiver has brought to 自立: what a closing must give a support plan."""
    return [
        item for item in engagement.items
        if max((STAGE_RANK[r.stage] for r in item.receivers), default=0) < INDEPENDENT_RANK
    ]


@dataclass(frozen=True)
class ClosingProblem:
    item_id: str | None  # the open item without a plan, or None for the closing as a whole
    key: str
    params: dict[str, object]


def closing_problems(engagement: Engagement, closure: Closure) -> list[ClosingProblem]:
    """Why this closing cannot be recorded; empty when it can."""
    out = []
    if engagement.closure is not None:
        out.append(ClosingProblem(None, "lifecycle.error.already_closed", {}))
    if closure.on < engagement.term_start:
        out.append(ClosingProblem(None, "lifecycle.error.closed_before_start", {"start": engagement.term_start.isoformat()}))
    planned = {plan.item_id for plan in closure.support}
    for item in open_items(engagement):
        if item.id not in planned:
            out.append(ClosingProblem(item.id, "lifecycle.error.plan_missing", {"title": item.title}))
    for plan in closure.support:
        if plan.until < closure.on:
            out.append(ClosingProblem(plan.item_id, "lifecycle.error.plan_past", {"until": plan.until.isoformat()}))
    return out


@dataclass(frozen=True)
class EntryProblem:
    """What a date typed into a record says against the engagement's life: refused, or saved and
    said (key and params of the catalog; the field is the record's date)."""

    key: str
    params: dict[str, object]
    refuse: bool


def log_date_problems(engagement: Engagement, on: date, today: date) -> list[EntryProblem]:
    """A consultation or check-in dated `on`: the log records what happened, so a day after today
    is refused (2030 typed for 2026); a day after the term is kept — post-term support and the
    handover go on after it — and said, unless a post-term support decision or plan covers it."""
    if on > today:
        return [EntryProblem("lifecycle.entry.log_future", {"on": on.isoformat(), "today": today.isoformat()}, True)]
    if on > engagement.term_end and not _post_term_support_covers(engagement, on):
        return [EntryProblem("lifecycle.entry.log_after_term", {"on": on.isoformat(), "end": engagement.term_end.isoformat()}, False)]
    if on < engagement.term_start:
        return [EntryProblem("lifecycle.entry.log_before_term", {"on": on.isoformat(), "start": engagement.term_start.isoformat()}, False)]
    return []


def _post_term_support_covers(engagement: Engagement, on: date) -> bool:
    if engagement.after_term is not None and engagement.after_term.decision is AfterTerm.SUPPORT:
        return True
    return engagement.closure is not None and any(plan.until >= on for plan in engagement.closure.support)


def outcome(engagement: Engagement) -> ClosureOutcome:
    """完了 when every item reached 自立, else 終了（未了あり）."""
    return ClosureOutcome.OPEN_ITEMS if open_items(engagement) else ClosureOutcome.COMPLETED


def close(
    engagement: Engagement, on: date, by: str, support: list[SupportPlan] | None = None, note: str = ""
) -> Engagement:
    """Close the engagement on `on`, by `by`; plans only for items still open are kept."""
    open_ids = {item.id for item in open_items(engagement)}
    plans = [plan for plan in (support or []) if plan.item_id in open_ids]
    closure = Closure(on=on, by=by, outcome=outcome(engagement), note=note, support=plans)
    problems = closing_problems(engagement, closure)
    if problems:
        first = problems[0]
        raise EditRefused(first.key, **first.params)
    return engagement.model_copy(update={"closure": closure})


def reopen(engagement: Engagement) -> Engagement:
    """Undo a closing (its who, when and plans go; the warnings come back)."""
    if engagement.closure is None:
        raise EditRefused("lifecycle.error.not_closed")
    return engagement.model_copy(update={"closure": None})


def change_term(
    engagement: Engagement, kind: TermChangeKind, new_start: date, new_end: date, decided_on: date | None = None,
    note: str = "",
) -> Engagement:
    """Extend the term (same start, later end) or renew it (a new term after the previous one);
    the term as it was goes into the history."""
    if new_end < new_start:
        raise EditRefused("model.term_end_before_start")
    if kind is TermChangeKind.EXTENSION and (new_start != engagement.term_start or new_end <= engagement.term_end):
        raise EditRefused("lifecycle.error.extension_shape")
    if kind is TermChangeKind.RENEWAL and new_start <= engagement.term_end:
        raise EditRefused("lifecycle.error.renewal_shape", end=engagement.term_end.isoformat())
    earlier = TermChange(kind=kind, start=engagement.term_start, end=engagement.term_end, decided_on=decided_on, note=note)
    return engagement.model_copy(update={
        "term_history": [*engagement.term_history, earlier], "term_start": new_start, "term_end": new_end,
    })


def with_term_history(before: Engagement, after: Engagement, on: date) -> Engagement:
    """`after` with the earlier term kept in its history when its term was extended (same start,
    later end) or renewed (a new term after the old one ended) — how HR records it, by editing the
    term in the engagement form.  Corrections of a typo (anything else) keep no history."""
    if (after.term_start, after.term_end) == (before.term_start, before.term_end):
        return after
    if after.term_start == before.term_start and after.term_end > before.term_end:
        kind = TermChangeKind.EXTENSION
    elif after.term_start > before.term_end:
        kind = TermChangeKind.RENEWAL
    else:
        return after
    earlier = TermChange(kind=kind, start=before.term_start, end=before.term_end, decided_on=on)
    return after.model_copy(update={"term_history": [*before.term_history, earlier]})


def decide_after_term(engagement: Engagement, decision: AfterTermDecision | None) -> Engagement:
    return engagement.model_copy(update={"after_term": decision})


def terms(engagement: Engagement) -> list[tuple[date, date]]:
    """Every term, earliest first, the current one last."""
    return [*sorted((c.start, c.end) for c in engagement.term_history), (engagement.term_start, engagement.term_end)]


def cumulative_days(engagement: Engagement) -> int:
    """Days covered by all the terms together (an extension's earlier term is within the later one)."""
    spans = sorted(terms(engagement))
    total = 0
    current_start, current_end = spans[0]
    for start, end in spans[1:]:
        if start <= add_days(current_end, 1):
            current_end = max(current_end, end)
            continue
        total += (current_end - current_start).days + 1
        current_start, current_end = start, end
    return total + (current_end - current_start).days + 1


# Who signs the 事務引継書, in the order of its signature block; the 立会人 only when there is one.
SIGNERS = ("external", "lead", "head", "hr", "witness")
REQUIRED_SIGNERS = ("external", "lead", "head", "hr")


def sign_off(
    engagement: Engagement, handover: Handover, on: date, by: str, support: list[SupportPlan] | None = None,
    note: str = "",
) -> Engagement:
    """Record the signed 事務引継書: who signed (each signer's date defaults to `on`), the scanned
    file if any, and close the engagement on `on` — 完了 when every item reached 自立, else
    終了（未了あり） with a support plan for each open item.  An engagement already closed keeps
    its closing; only the signatures are recorded.  The external person and the receiving lead
    default to the names the record already holds."""
    leads = "、".join(s.name for s in engagement.staff if s.role.value == "lead")
    known = {"external": engagement.person.name, "lead": leads}
    handover = handover.model_copy(update={
        role: getattr(handover, role).model_copy(update={"name": name})
        for role, name in known.items()
        if name and not getattr(handover, role).name
    })
    for role in REQUIRED_SIGNERS:
        if not getattr(handover, role).name:
            raise EditRefused(f"handover.error.missing_{role}")
    signed = {
        role: sig.model_copy(update={"signed_on": sig.signed_on or on})
        for role in SIGNERS
        if (sig := getattr(handover, role)) is not None and sig.name
    }
    record = handover.model_copy(update={**signed, "signed_on": on, "on": handover.on or on})
    closed = engagement if engagement.closure is not None else close(engagement, on, by, support, note)
    return closed.model_copy(update={"handover": record})


def record_handover(engagement: Engagement, handover: Handover | None) -> Engagement:
    """Keep what the 事務引継書 needs (所見, files, equipment, signers) before the meeting."""
    return engagement.model_copy(update={"handover": handover})

"""The pitfall engine: the guidance's pitfalls as named rules that warn while there is time to act.

    from xtalent.pitfalls import evaluate, evaluate_all
    findings = evaluate(engagement, today)          # what matters most first
    by_id = evaluate_all(engagements, today)        # {engagement id: findings}

Everything takes `today` explicitly, so a check is reproducible; nothing here reads the clock.
A closed engagement (完了 / 終了（未了あり）) is a record, not an alarm: it has no findings.
Findings are ordered by severity, then by PRIORITY: what runs out first (the term, the
contracted time, a due date) before what can still be fixed later.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from functools import cache
from typing import Iterable

from ..models import Engagement
from ..settings import DEFAULTS, PitfallSettings, Settings
from ..settingsfile import SettingsFile, resolve
from .base import Aspect, Finding, Rule, Severity, build_snapshot, publish, unpublish
from .registry import get as get_rule
from .registry import rules

from . import scope, persona, receiving, coordination, appointment, calendar  # noqa: E402,F401  (registers the rules)

# Within a severity, what matters most first: what the calendar is about to take away (the term,
# the contracted days, a due date, the budget request), then what no one can act without (an
# agreed scope, receiving staff), then how the work is going, then the paperwork.
PRIORITY: tuple[str, ...] = (
    "term-ended-untransferred",
    "term-ending-untransferred",
    "item-overdue",
    "reappointment-notice",
    "budget-cycle-undecided",
    "scope-undefined",
    "no-receiving-structure",
    "item-without-receiver",
    "transfer-stalled",
    "transfer-pace-behind",
    "due-after-term",
    "wholesale-handover",
    "consultation-overload",
    "underused",
    "target-unagreed",
    "armchair-advice",
    "receiver-rotation-risk",
    "single-point-of-knowledge",
    "items-undefined",
    "appointment-term-outside",
    "contracted-time-below-type",
    "dispatch-days-exceeded",
    "dispatch-report-overdue",
    "target-fiscal-year",
    "goal-undefined",
    "goal-unmeasured",
    "transfer-unevidenced",
)
_RANK = {code: n for n, code in enumerate(PRIORITY)}

# One cause, one line: when the first rule fires, the second says nothing new — about anything
# (None), or about the records the first one already names ("subjects").
SUPERSEDES: tuple[tuple[str, str, str | None], ...] = (
    # Near the end, the term-ending finding already carries the projected finish.
    ("term-ending-untransferred", "transfer-pace-behind", None),
    # Targets only proposed: "nothing is agreed" already says they lack an agreement.
    ("scope-undefined", "target-unagreed", "subjects"),
)


def _one_line_per_cause(found: list[Finding]) -> list[Finding]:
    by_code: dict[str, set[str]] = {}
    for f in found:
        by_code.setdefault(f.code, set()).update(f.subjects)
    out = found
    for first, second, how in SUPERSEDES:
        if first not in by_code or second not in by_code:
            continue
        covered = by_code[first]
        out = [f for f in out if f.code != second or (how == "subjects" and not set(f.subjects) <= covered)]
    return out

__all__ = [
    "PRIORITY",
    "Aspect",
    "Finding",
    "Rule",
    "Severity",
    "count_by_severity",
    "evaluate",
    "evaluate_all",
    "get_rule",
    "rule_codes",
    "rules",
    "worst",
]

_DEFAULT = DEFAULTS.pitfalls


def rule_codes() -> tuple[str, ...]:
    return tuple(r.code for r in rules())


@cache
def _active(disabled: tuple[str, ...]) -> tuple[Rule, ...]:
    return tuple(r for r in rules() if r.code not in disabled)


def _pitfall_settings(settings: Settings | PitfallSettings | SettingsFile | None) -> PitfallSettings:
    if settings is None:
        return _DEFAULT
    settings = resolve(settings)  # the TUI's settings file is validated by the first rule that needs it
    if isinstance(settings, Settings):
        return settings.pitfalls
    return settings


def _order(finding: Finding) -> tuple[int, int]:
    return -finding.severity.rank, _RANK.get(finding.code, len(PRIORITY))


def evaluate(
    engagement: Engagement,
    today: date,
    settings: Settings | PitfallSettings | SettingsFile | None = None,
    lang: str | None = None,
) -> list[Finding]:
    """Every pitfall in one engagement as of `today`: critical first, then by PRIORITY."""
    if engagement.closure is not None:
        return []
    pitfall_settings = _pitfall_settings(settings)
    active = _active(tuple(pitfall_settings.disabled))
    token = publish(build_snapshot(engagement, today, pitfall_settings))
    try:
        found: list[Finding] = []
        for unit in active:
            found.extend(unit.check(engagement, today, pitfall_settings, lang))
    finally:
        unpublish(token)
    if len(found) > 1:
        found = _one_line_per_cause(found)
        found.sort(key=_order)  # stable: subject order within a rule
    return found


def evaluate_all(
    engagements: Iterable[Engagement],
    today: date,
    settings: Settings | PitfallSettings | SettingsFile | None = None,
    lang: str | None = None,
) -> dict[str, list[Finding]]:
    """{engagement id: its findings}, in the order the engagements were given."""
    pitfall_settings = _pitfall_settings(settings)
    return {e.id: evaluate(e, today, pitfall_settings, lang) for e in engagements}


def count_by_severity(findings: Iterable[Finding]) -> dict[Severity, int]:
    """How many findings of each severity, every severity present (zero included), critical first."""
    counts = Counter(f.severity for f in findings)
    return {s: counts.get(s, 0) for s in sorted(Severity, reverse=True)}


def worst(findings: Iterable[Finding]) -> Severity | None:
    return max((f.severity for f in findings), default=None)

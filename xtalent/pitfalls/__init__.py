"""The pitfall engine: the guidance's pitfalls as named rules that warn while there is time to act.

    from xtalent.pitfalls import evaluate, evaluate_all
    findings = evaluate(engagement, today)          # critical first
    by_id = evaluate_all(engagements, today)        # {engagement id: findings}

Everything takes `today` explicitly, so a check is reproducible; nothing here reads the clock.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from functools import cache
from typing import Iterable

from ..models import Engagement
from ..settings import PitfallSettings, Settings
from ..settingsfile import SettingsFile, resolve
from .base import Aspect, Finding, Rule, Severity, build_snapshot, publish, unpublish
from .registry import get as get_rule
from .registry import rules

# Registration order is the order rules are listed in within a severity: the guidance's must-dos
# first (agree the scope), then persona, receiving know-how, and coordination.
from . import scope, persona, receiving, coordination  # noqa: E402,F401  (registers the rules)

__all__ = [
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

_DEFAULT = PitfallSettings()


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


def _severity_first(finding: Finding) -> int:
    return -finding.severity.rank


def evaluate(
    engagement: Engagement,
    today: date,
    settings: Settings | PitfallSettings | SettingsFile | None = None,
    lang: str | None = None,
) -> list[Finding]:
    """Every pitfall in one engagement as of `today`: critical first, then in rule order."""
    pitfall_settings = _pitfall_settings(settings)
    active = _active(tuple(pitfall_settings.disabled))
    token = publish(build_snapshot(engagement, today))
    try:
        found: list[Finding] = []
        for unit in active:
            found.extend(unit.check(engagement, today, pitfall_settings, lang))
    finally:
        unpublish(token)
    if len(found) > 1:
        found.sort(key=_severity_first)  # stable: rule order, then subject order, within a severity
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

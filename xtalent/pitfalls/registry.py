"""The rules, by stable code, in the order they were registered (the order reports list them)."""

from __future__ import annotations

from typing import Callable

from ..errors import XtalentError
from .base import Aspect, CheckFunction, Rule, Severity

_RULES: dict[str, Rule] = {}


def rule(code: str, aspect: Aspect, *, severities: tuple[Severity, ...]) -> Callable[[CheckFunction], Rule]:
    """Register a check function as the rule `code`; its reason is `pitfall.<code>.reason`."""

    def register(check: CheckFunction) -> Rule:
        if code in _RULES:
            raise ValueError(f"pitfall rule {code!r} registered twice")
        key = code.replace("-", "_")
        unit = Rule(code=code, aspect=aspect, reason=f"pitfall.{key}.reason", check=check, severities=severities)
        _RULES[code] = unit
        return unit

    return register


def rules() -> tuple[Rule, ...]:
    return tuple(_RULES.values())


def get(code: str) -> Rule:
    try:
        return _RULES[code]
    except KeyError:
        raise XtalentError("pitfall.unknown_rule", code=code) from None


"""The dispatches of a dispatched advisor (地域情報化アドバイザー, or a local type with a dispatch
cap): what a dispatch is in the record, for the 実施報告書 written after each one.

A dispatch is one day the advisor was at (or online with) the municipality: every log entry of
that day belongs to it — the check-in with the lead and each consultation with a department.
This is how the rules already count a dispatch (xtalent/contracted.dispatch_days_used counts the
distinct days; xtalent/pitfalls/appointment.py wants a report after each day), so the report,
the cap and the overdue warning agree on what one dispatch is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .appointments import type_of, types_of
from .models import Engagement, LogEntry


@dataclass(frozen=True)
class Dispatch:
    on: date
    entries: tuple[LogEntry, ...]  # in the order they were logged

    @property
    def minutes(self) -> int:
        return sum(e.minutes for e in self.entries)

    @property
    def online(self) -> bool:
        """Online only (every entry of the day was online)."""
        return all(e.online for e in self.entries)

    @property
    def report_on(self) -> date | None:
        """The day the report was filed: once every entry of the day says it was."""
        days = [e.report_on for e in self.entries]
        return None if any(d is None for d in days) else max(d for d in days if d is not None)


def is_dispatched(engagement: Engagement, settings: Any = None) -> bool:
    """Is the engagement's appointment type a dispatch scheme (one with a cap per project)?"""
    return type_of(engagement.appointment_type, types_of(settings)).dispatched


def dispatches(engagement: Engagement) -> list[Dispatch]:
    """Every dispatch, oldest first."""
    by_day: dict[date, list[LogEntry]] = {}
    for entry in engagement.log:
        by_day.setdefault(entry.on, []).append(entry)
    return [Dispatch(on, tuple(entries)) for on, entries in sorted(by_day.items())]


def dispatch_on(engagement: Engagement, day: date) -> Dispatch | None:
    return next((d for d in dispatches(engagement) if d.on == day), None)

"""Contracted time: how much of the person's time the municipality has, per month and what is left.

The one definition the rules, the load chart and the overview share.  A contracted day is
`hours_per_day` hours (a municipal working day, 7h45m, from the settings).  What is left is not
calendar days: a side-job advisor on 月2日 with 38 days to go has two or three days with the
municipality, fewer when the year-end closure falls in them, and a dispatch scheme's cap per
project and 年度 may leave fewer still.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from .dates import fiscal_year
from .vocabulary import TargetStatus

if TYPE_CHECKING:
    from .appointments import AppointmentType
    from .models import Engagement

DAYS_PER_MONTH = 365.25 / 12
HOURS_PER_DAY = 7.75  # the settings' default (PitfallSettings.hours_per_day)
DEFAULT_CLOSED_DAYS = ("12-29", "12-30", "12-31", "01-01", "01-02", "01-03")


def minutes_per_month(engagement: Engagement, hours_per_day: float = HOURS_PER_DAY) -> float | None:
    """Contracted minutes a month: the hours if recorded, else the days × hours_per_day."""
    if engagement.hours_per_month:
        return engagement.hours_per_month * 60
    if engagement.days_per_month:
        return engagement.days_per_month * hours_per_day * 60
    return None


def days_per_month(engagement: Engagement, hours_per_day: float = HOURS_PER_DAY) -> float | None:
    """Contracted days a month: the days if recorded, else the hours in days of hours_per_day."""
    if engagement.days_per_month:
        return engagement.days_per_month
    if engagement.hours_per_month:
        return engagement.hours_per_month / hours_per_day
    return None


def open_days(start: date, end: date, closed: tuple[str, ...] | list[str] = DEFAULT_CLOSED_DAYS) -> int:
    """Calendar days from start to end (both counted) that are not closure days (MM-DD)."""
    if end < start:
        return 0
    total = (end - start).days + 1
    # Closures are a handful of days a year: count them year by year, not day by day.
    shut = tuple(closed)
    return total - sum(start <= d <= end for year in range(start.year, end.year + 1) for d in _closures(shut, year))


@lru_cache(maxsize=256)
def _closures(closed: tuple[str, ...], year: int) -> tuple[date, ...]:
    """The closure days (MM-DD) that `year` has, as dates: the same few for every engagement
    checked (the rules ask every engagement's contracted days left)."""
    days = []
    for mmdd in set(closed):
        month, day = int(mmdd[:2]), int(mmdd[3:])
        try:
            days.append(date(year, month, day))
        except ValueError:
            continue  # 02-29 in a common year
    return tuple(days)


def dispatch_days_used(engagement: Engagement, year: int) -> int:
    """Distinct days with a log entry in the 年度 `year` (a dispatch advisor's days used)."""
    return len({entry.on for entry in engagement.log if fiscal_year(entry.on) == year})


def dispatch_days_allowed(engagement: Engagement, kind: AppointmentType) -> float | None:
    """A dispatch scheme's days per 年度: its cap per project times the projects (live targets, at
    least one)."""
    if kind.dispatch_days is None:
        return None
    projects = sum(1 for tg in engagement.targets if tg.status is not TargetStatus.DROPPED) or 1
    return kind.dispatch_days * projects


def days_left(
    engagement: Engagement,
    today: date,
    *,
    hours_per_day: float = HOURS_PER_DAY,
    closed: tuple[str, ...] | list[str] = DEFAULT_CLOSED_DAYS,
    kind: AppointmentType | None = None,
) -> float | None:
    """Contracted days left from today (counted) to the term end; None without a contracted time.

    Days per month × the open months left (calendar days minus closures, in months of 30.4
    days); for a dispatch scheme, no more than the days its cap leaves in this 年度.
    """
    per_month = days_per_month(engagement, hours_per_day)
    start = max(today, engagement.term_start)
    if start > engagement.term_end:
        return 0.0
    if per_month is None:
        return None
    left = per_month * open_days(start, engagement.term_end, closed) / DAYS_PER_MONTH
    if kind is not None:
        allowed = dispatch_days_allowed(engagement, kind)
        if allowed is not None:
            year = fiscal_year(start)
            left = min(left, max(0.0, allowed - dispatch_days_used(engagement, year)))
    return round(left, 1)


def term_months_in_year(engagement: Engagement, year: int) -> float:
    """How many months of the term fall in the 年度 `year` (for a dispatch plan per 年度)."""
    start = max(engagement.term_start, date(year, 4, 1))
    end = min(engagement.term_end, date(year + 1, 3, 31))
    if end < start:
        return 0.0
    return ((end - start).days + 1) / DAYS_PER_MONTH

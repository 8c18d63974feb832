"""An indicator's value on a day, from its readings (the values `current` has had, each dated).

    value_on(indicator, day) -> ValueOn       the last reading on or before the day, else the baseline
    readings_after_edit(before, current, on)   what the targets form stores when the value changes

The readings are kept in the order they were recorded; two on the same day are one correction
of the other, so the one recorded later is the value of that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .dates import DateParseError, parse_date
from .models import Indicator, Reading

READING = "reading"  # a reading on or before the day
BASELINE = "baseline"  # no reading yet: the baseline the target was agreed from
CURRENT = "current"  # the current value as recorded, with no dated reading
NONE = "none"  # neither


@dataclass(frozen=True)
class ValueOn:
    value: float | None
    source: str  # READING, BASELINE, CURRENT or NONE
    on: date | None = None  # the reading's day (READING only)


def in_order(indicator: Indicator) -> list[Reading]:
    """The readings by day; on one day, in the order they were recorded."""
    return sorted(indicator.readings, key=lambda r: r.on)  # sorted() is stable


def value_on(indicator: Indicator, day: date) -> ValueOn:
    best: Reading | None = None
    for reading in indicator.readings:
        if reading.on <= day and (best is None or reading.on >= best.on):
            best = reading
    if best is not None:
        return ValueOn(best.value, READING, best.on)
    if indicator.baseline is not None:
        return ValueOn(indicator.baseline, BASELINE)
    return ValueOn(None, NONE)


def latest(indicator: Indicator) -> ValueOn:
    """The value now: the latest reading, else the current value as recorded, else none."""
    ordered = in_order(indicator)
    if ordered:
        return ValueOn(ordered[-1].value, READING, ordered[-1].on)
    if indicator.current is not None:
        return ValueOn(indicator.current, CURRENT)
    return ValueOn(None, NONE)


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def readings_after_edit(before: Indicator | None, current: object, on: object) -> list[dict[str, Any]]:
    """The readings an indicator has once its current value is set to `current` on `on` (a date
    or the text typed for one): the ones it had, and one more when the value changed.  A second
    change on the same day replaces that day's reading (it corrects it).  A value or a day that
    cannot be read adds nothing here: the form says what is wrong with it beside the field."""
    kept = [r.model_dump() for r in (before.readings if before else [])]
    value = _number(current)
    if value is None or (before is not None and value == before.current):
        return kept
    try:
        day = on if isinstance(on, date) else parse_date(on)
    except DateParseError:
        return [*kept, {"on": on, "value": value}]  # validated with the record: the error is shown
    if kept and kept[-1]["on"] == day.isoformat():
        kept[-1] = {"on": day.isoformat(), "value": value}
        return kept
    return [*kept, {"on": day.isoformat(), "value": value}]


def readings_after(before: Indicator | None, after: Indicator | None, today: date) -> list[Reading]:
    """The readings an edit adds that are dated after `today`: a value is recorded on the day it
    was measured, so the form refuses them (a relative word like あした reads as tomorrow)."""
    kept = {(r.on, r.value) for r in (before.readings if before else [])}
    return [r for r in (after.readings if after else []) if r.on > today and (r.on, r.value) not in kept]

"""Dates as municipal staff type them, and the fiscal year (年度) they live by.

Accepted: ISO (2027-03-31), slashes or dots (2027/3/31, 2027.3.31), kanji (2027年3月31日),
and 和暦 (令和9年3月31日, 令和元年5月1日, R9.3.31, R9/3/31, H31.4.30), with full-width digits.
Typed into a form or a command: きょう/今日/本日, きのう/昨日, あした/明日/あす (today, yesterday,
tomorrow), counted from the app's today — passed in, never read from the clock here; in a file
(an import) they are refused, as is anything without an explicit year: guessing from the clock
would make the same input mean different dates on different days.  So is anything outside FIRST_DAY…LAST_DAY
(see there), whether typed into a form, imported or given as --today.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

# The range of a date we accept anywhere.  From the first day of 平成: no engagement, term or
# staff record of a living contract is older, and 和暦 before it (昭和) is only ever a typo.
# To 2200: far past any term, yet far enough from date.max (9999-12-31) that the rules' and
# exports' date arithmetic (a term end plus a margin, a due date plus a day) cannot overflow.
# The catalog's date.out_of_range message names both days (a test keeps them in step).
FIRST_DAY = date(1989, 1, 8)
LAST_DAY = date(2200, 12, 31)

class DateParseError(ValueError):
    """The text is not a date we can read; `reason` is a catalog key."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Era:
    kanji: str
    letter: str
    start: date
    end: date | None  # last valid day, inclusive


# Only eras a living contract or staff record can fall in.
ERAS: tuple[Era, ...] = (
    Era("令和", "R", date(2019, 5, 1), None),
    Era("平成", "H", date(1989, 1, 8), date(2019, 4, 30)),
    Era("昭和", "S", date(1926, 12, 25), date(1989, 1, 7)),
)
_ERA_BY_KEY = {e.kanji: e for e in ERAS} | {e.letter: e for e in ERAS}

_WAREKI = re.compile(
    r"^(?P<era>令和|平成|昭和|[RHS])\s*(?P<year>元|\d{1,3})\s*(?:年|[./\-])\s*"
    r"(?P<month>\d{1,2})\s*(?:月|[./\-])\s*(?P<day>\d{1,2})\s*日?$",
    re.IGNORECASE,
)
_SEIREKI = re.compile(
    r"^(?P<year>\d{4})\s*(?:年|[./\-])\s*(?P<month>\d{1,2})\s*(?:月|[./\-])\s*(?P<day>\d{1,2})\s*日?$"
)
_HAS_YEAR = re.compile(r"\d{4}")


def _normalise(text: str) -> str:
    # NFKC turns full-width digits and slashes (２０２７／３／３１) into ASCII.
    return unicodedata.normalize("NFKC", text).strip()


def _make(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateParseError("date.no_such_day") from None


def in_range(d: date) -> date:
    """`d` itself when it lies within FIRST_DAY…LAST_DAY; DateParseError otherwise."""
    if not FIRST_DAY <= d <= LAST_DAY:
        raise DateParseError("date.out_of_range")
    return d


# Days from today that a word names, as typed in Japanese (kanji or kana) or English.
RELATIVE_DAYS: dict[str, int] = {
    "きょう": 0, "今日": 0, "本日": 0, "ほんじつ": 0, "today": 0,
    "きのう": -1, "昨日": -1, "さくじつ": -1, "yesterday": -1,
    "あした": 1, "明日": 1, "あす": 1, "tomorrow": 1,
}


def relative_days(value: str) -> int | None:
    """How many days from today a word like きょう/あした/yesterday names; None for anything else."""
    return RELATIVE_DAYS.get(_normalise(value).lower())


def parse_date(value: object, today: date | None = None) -> date:
    """Parse a user-typed date; raises DateParseError with a catalog key as reason.

    With `today` (the app's day, from the caller) the words of RELATIVE_DAYS count from it;
    without it they are refused (date.relative_no_day)."""
    if isinstance(value, datetime):
        return in_range(value.date())
    if isinstance(value, date):
        return in_range(value)
    if not isinstance(value, str):
        raise DateParseError("date.not_text")
    offset = relative_days(value)
    if offset is not None:
        if today is None:
            raise DateParseError("date.relative_no_day")
        return in_range(add_days(today, offset))
    return in_range(_parse_text(value))


# A sign before or after a date: dateutil reads "-2026-01-01" as 2026-01-01 (the minus taken for
# a separator), silently turning what may be a negative or damaged value into a real day.
_SIGNS = "+-\u2212\u2010\u2011\u2012\u2013\u2014\ufe63"


def _parse_text(value: str) -> date:
    text = _normalise(value)
    if not text:
        raise DateParseError("date.empty")
    if text[0] in _SIGNS or text[-1] in _SIGNS:
        raise DateParseError("date.unreadable")

    m = _WAREKI.match(text)
    if m:
        era = _ERA_BY_KEY[m["era"].upper() if len(m["era"]) == 1 else m["era"]]
        nth = 1 if m["year"] == "元" else int(m["year"])
        if nth < 1:
            raise DateParseError("date.no_such_day")
        result = _make(era.start.year + nth - 1, int(m["month"]), int(m["day"]))
        if result < era.start or (era.end is not None and result > era.end):
            raise DateParseError("date.outside_era")
        return result

    m = _SEIREKI.match(text)
    if m:
        return _make(int(m["year"]), int(m["month"]), int(m["day"]))

    if not _HAS_YEAR.search(text):
        raise DateParseError("date.no_year")
    from dateutil import parser as du_parser  # only for the rare free-form date: keeps start-up fast

    try:
        # A fixed default keeps parsing independent of the clock; a missing day is refused below.
        sentinel = datetime(1, 1, 1)
        parsed = du_parser.parse(text, default=sentinel, yearfirst=True, dayfirst=False)
    except (ValueError, OverflowError, du_parser.ParserError):
        raise DateParseError("date.unreadable") from None
    if parsed.year == 1:
        raise DateParseError("date.no_year")
    return parsed.date()


def fiscal_year(d: date) -> int:
    """The 年度 a date belongs to: April to March, named by the year it starts in."""
    return d.year if d.month >= 4 else d.year - 1


_FISCAL = re.compile(r"^(?:FY)?(\d{4})(?:年度?)?$|^(令和|平成|R|H)(\d{1,2}|元)(?:年度?)?$", re.IGNORECASE)


def parse_fiscal_year(text: str) -> int:
    """A 年度 as users write it — 2026, FY2026, 2026年度, 令和8年度, R8, 令和元年度 (full-width digits
    too) — as the calendar year it starts in.  DateParseError("date.bad_fiscal_year") otherwise."""
    m = _FISCAL.match(_normalise(text).replace(" ", ""))
    if m is None:
        raise DateParseError("date.bad_fiscal_year")
    if m.group(1):
        year = int(m.group(1))
    else:
        era = _ERA_BY_KEY[m.group(2).upper() if len(m.group(2)) == 1 else m.group(2)]
        year = era.start.year + (1 if m.group(3) == "元" else int(m.group(3))) - 1
    if not 1989 <= year <= 2200:
        raise DateParseError("date.bad_fiscal_year")
    return year


def fiscal_year_end(d: date) -> date:
    return date(fiscal_year(d) + 1, 3, 31)


def era_of(d: date) -> Era | None:
    for era in ERAS:
        if d >= era.start and (era.end is None or d <= era.end):
            return era
    return None


def wareki_year(year: int, *, month: int = 12, day: int = 31) -> str:
    """"令和8" for 2026; 2019 is "令和元" (the era in force at the year's end, as 令和元年度 is written)."""
    era = era_of(date(year, month, day))
    if era is None:
        return str(year)
    nth = year - era.start.year + 1
    return f"{era.kanji}{'元' if nth == 1 else nth}"


def format_fiscal_year(d: date, lang: str) -> str:
    fy = fiscal_year(d)
    if lang == "ja":
        return f"{wareki_year(fy)}年度"
    return f"FY{fy}"


def format_wareki(d: date) -> str:
    era = era_of(d)
    if era is None:
        return d.isoformat()
    nth = d.year - era.start.year + 1
    return f"{era.kanji}{'元' if nth == 1 else nth}年{d.month}月{d.day}日"


def add_days(d: date, days: int) -> date:
    """`d` moved by `days`, held at date.min/date.max instead of raising OverflowError.

    Stored dates are within FIRST_DAY…LAST_DAY, but a rule's margin comes from a settings file
    and a projection from a division: neither may turn a check or an export into a traceback.
    """
    try:
        return d + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def months_between(start: date, end: date) -> float:
    """Calendar months from start to end, fractional by the days left over.

    What dateutil's relativedelta(end, start) says (whole months, the day clipped to a shorter
    month, then the days left; a property test compares the two), without building one: the
    rules ask this of every engagement on every check, and relativedelta cost ~30 µs a call."""
    months = (end.year - start.year) * 12 + end.month - start.month
    step = 1 if end < start else -1
    shifted = _months_later(start, months)
    while (end > shifted) if step == 1 else (end < shifted):
        months += step
        shifted = _months_later(start, months)
    return months + (end - shifted).days / 30.0


def _months_later(d: date, months: int) -> date:
    """`d` moved by whole months, its day clipped to the month's last (1/31 + 1 month = 2/28)."""
    year, month0 = divmod(d.month - 1 + months, 12)
    year += d.year
    month = month0 + 1
    if month == 2:
        last = 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    else:
        last = 30 if month in (4, 6, 9, 11) else 31
    return date(year, month, min(d.day, last))

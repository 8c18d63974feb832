"""The dashboard's rows: every engagement, ordered by urgency, searchable, filterable, sortable.

Urgency (the default order) — what needs someone's attention first:

1. engagements still open (in term, or not yet started) that have at least one critical
   warning;
2. the other open engagements;
3. ended engagements (what was not handed over has already left with the person);
4. closed ones last (完了 / 終了（未了あり）: a record, not an alarm; the default filter hides them).

Within each group: the nearest term end first, then more critical warnings, then more
warnings of any kind, then the lower transfer ratio, then the person's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Callable, Iterable

from ..i18n import LANGUAGES, get_language, t
from ..labels import label
from ..dates import fiscal_year, format_fiscal_year
from ..vocabulary import Lifecycle, Role
from ..overview import EngagementRow, engagement_row
from .signals import SEVERITIES, Signals, evaluate
from .text import bar, countdown, fold, haystack, matches

if TYPE_CHECKING:  # annotations only: rows from the cache paint without the models
    from ..models import Engagement

ENDING_WITHIN_DAYS = 90
ROLE_ORDER = {role: n for n, role in enumerate(Role)}


class Filter(StrEnum):
    OPEN = "open"  # the default: every engagement not closed
    IN_TERM = "in_term"
    ENDING = "ending"  # in term and ending within ENDING_WITHIN_DAYS days
    ENDED = "ended"  # the term is over and the engagement not closed (任期終了・引継ぎ中)
    WARNING = "warning"  # with at least one warning, critical or not
    CRITICAL = "critical"  # with at least one critical warning
    CLOSED = "closed"  # 完了 / 終了（未了あり）
    ALL = "all"  # closed ones too

    def next(self) -> "Filter":
        members = list(Filter)
        return members[(members.index(self) + 1) % len(members)]

    def label(self, lang: str | None = None) -> str:
        return t(f"dash.filter.{self.value}", lang, days=ENDING_WITHIN_DAYS)


# Sortable columns, in display order.  Each sorts "most in need of attention first" by
# default (reverse=False); `reverse=True` flips that.  Unknown values (no readiness yet) go last.
COLUMNS: tuple[str, ...] = (
    "person", "role", "organisation", "term_end", "transfer", "readiness", "bunshin", "warnings", "status",
)
# What the table shows, most telling first so that a narrow terminal still shows who, how long
# is left and how far the handover has got (the rest scrolls sideways); the days left have their
# own column (sorted like the term end).
DISPLAY: tuple[str, ...] = (
    "person", "days", "transfer", "readiness", "bunshin", "warnings", "status", "term_end", "role", "organisation",
)
SORT_OF = {"days": "term_end"}
# Columns that may be shortened (with "…") when the terminal is narrow, and how far.
MIN_WIDTH = {"role": 10, "organisation": 10}
SEVERITY_MARKS = {"critical": "●", "warning": "▲", "info": "·"}
PROGRESS_WIDTH = 5


@dataclass(frozen=True)
class DashboardRow(EngagementRow):
    kana: str = ""
    org_name: str = ""
    department: str = ""
    role_rank: int = 0
    term_start: date = date.min
    today: date = date.min
    readiness: int | None = None
    bunshin: int | None = None
    warnings: dict[str, int] = field(default_factory=dict)
    search_text: str = ""
    status: str = Lifecycle.IN_TERM.value  # a Lifecycle value
    status_label: str = ""
    fy_first: int = 0  # the 年度 the term starts in …
    fy_last: int = 0  # … and ends in
    items_overdue: int = 0  # know-how items past their due date below 自立 (models.is_overdue)
    # 分身 at the end of each 年度 from fy_first to today's (today, for the 年度 in progress),
    # from the stage history: metrics.bunshin_by_fiscal_year of this engagement (its counts).
    bunshin_years: tuple[int, ...] = ()

    @property
    def ended(self) -> bool:
        return self.days_left < 0

    @property
    def closed(self) -> bool:
        return Lifecycle(self.status).closed

    def bunshin_at_end_of(self, year: int) -> int | None:
        """分身 at the end of 年度 `year` (today, for the 年度 in progress): 0 before the term's
        first 年度, None for a 年度 not begun yet."""
        if year < self.fy_first:
            return 0
        index = year - self.fy_first
        return self.bunshin_years[index] if index < len(self.bunshin_years) else None

    def in_fiscal_year(self, year: int | None) -> bool:
        """The term overlaps the 年度 `year` (None: any)."""
        return year is None or self.fy_first <= year <= self.fy_last

    @property
    def started(self) -> bool:
        return self.term_start <= self.today

    @property
    def in_term(self) -> bool:
        return not self.ended and self.started

    @property
    def critical(self) -> int:
        return self.warnings.get("critical", 0)

    @property
    def warning_total(self) -> int:
        return sum(self.warnings.values())

    @property
    def transfer_ratio(self) -> float:
        return self.items_transferred / self.items_total if self.items_total else 0.0

    def progress(self, width: int = 5) -> str:
        """"███░░ 3/7": a text bar of the transferred share and the counts."""
        return f"{bar(self.transfer_ratio, width)} {self.transfer_text}"

    def term_text(self, fiscal_year: bool = True) -> str:
        return f"{self.term_end.isoformat()} {self.fiscal_year}" if fiscal_year else self.term_end.isoformat()

    def countdown(self, lang: str | None = None) -> str:
        return countdown(self.term_start, self.term_end, self.today, lang)

    def readiness_text(self) -> str:
        return "—" if self.readiness is None else str(self.readiness)

    def bunshin_text(self) -> str:
        return "—" if self.bunshin is None else str(self.bunshin)

    def badges(self) -> list[tuple[str, int]]:
        """(severity, count) for each severity with warnings, most serious first."""
        return [(s, self.warnings.get(s, 0)) for s in SEVERITIES if self.warnings.get(s, 0)]

    def badge_text(self) -> str:
        """"●2 ▲3 ·1" (critical, warning, info); empty without warnings."""
        return " ".join(f"{SEVERITY_MARKS.get(s, '?')}{n}" for s, n in self.badges())

    def cells(self, lang: str | None = None, *, organisation: bool = True, fiscal_year: bool = True) -> dict[str, str]:
        """The plain text of each DISPLAY column (the screen adds colour); without `fiscal_year`
        the term end is the date alone (a narrow terminal: 年度 whole or not at all)."""
        return {
            "person": self.person,
            "role": self.role,
            "organisation": self.organisation if organisation else (self.department or self.org_name),
            "term_end": self.term_text(fiscal_year),
            "days": self.countdown(lang),
            "transfer": self.progress(PROGRESS_WIDTH),
            "readiness": self.readiness_text(),
            "bunshin": self.bunshin_text(),
            "warnings": self.badge_text(),
            "status": self.status_label,
        }

    def urgency(self) -> tuple:
        group = 3 if self.closed else 2 if self.ended else (0 if self.critical else 1)
        return (
            group,
            self.days_left if not self.ended else -self.days_left,
            -self.critical,
            -self.warning_total,
            self.transfer_ratio,
            fold(self.kana or self.person),
        )


def search_fields(engagement: Engagement) -> list[str]:
    """Everything incremental search looks in (role labels in every language)."""
    parts = [
        engagement.id,
        engagement.person.name,
        engagement.person.name_kana,
        engagement.person.affiliation,
        engagement.role_note,
        engagement.organisation,
        engagement.department,
        engagement.sponsor,
    ]
    parts += [label(engagement.role, lang) for lang in LANGUAGES]
    parts += [target.title for target in engagement.targets]
    parts += [item.title for item in engagement.items]
    parts += [staff.name for staff in engagement.staff]
    return parts


def dashboard_row(
    engagement: Engagement, today: date, lang: str | None = None, signals: Signals | None = None, settings: Any = None
) -> DashboardRow:
    from ..metrics import bunshin_fiscal_year_counts
    from ..models import is_overdue

    signals = signals if signals is not None else evaluate(engagement, today, lang, settings)
    base = engagement_row(engagement, today, lang or get_language())
    return DashboardRow(
        **base.__dict__,
        kana=engagement.person.name_kana,
        org_name=engagement.organisation,
        department=engagement.department,
        role_rank=ROLE_ORDER[engagement.role],
        today=today,
        readiness=signals.readiness,
        bunshin=signals.bunshin,
        warnings=signals.severity_counts(),
        search_text=haystack(search_fields(engagement)),
        status=(status := engagement.lifecycle(today)).value,
        status_label=t(f"lifecycle.short.{status.value}", lang),
        fy_first=fiscal_year(engagement.term_start),
        fy_last=fiscal_year(engagement.term_end),
        items_overdue=sum(1 for item in engagement.items if is_overdue(item, today)),
        bunshin_years=bunshin_fiscal_year_counts(engagement, today),
    )


def build_rows(
    engagements: Iterable[Engagement], today: date, lang: str | None = None, settings: Any = None
) -> list[DashboardRow]:
    # `engagements` is usually Store.scan(): each one is read, validated, checked and dropped
    # here, so the collector never has many of them to walk.
    return [dashboard_row(e, today, lang, settings=settings) for e in engagements]


def keep(row: DashboardRow, which: Filter) -> bool:
    if which is Filter.ALL:
        return True
    if which is Filter.CLOSED:
        return row.closed
    if row.closed:
        return False  # a record, not an alarm: only the filters above show it
    if which is Filter.IN_TERM:
        return row.in_term
    if which is Filter.ENDING:
        return row.in_term and row.days_left <= ENDING_WITHIN_DAYS
    if which is Filter.ENDED:
        return row.ended
    if which is Filter.WARNING:
        return row.critical > 0 or row.warnings.get("warning", 0) > 0
    if which is Filter.CRITICAL:
        return row.critical > 0
    return True


def counts(rows: Iterable[DashboardRow]) -> dict[Filter, int]:
    rows = list(rows)
    return {which: sum(1 for r in rows if keep(r, which)) for which in Filter}


def fiscal_years(rows: Iterable[DashboardRow]) -> list[int]:
    """Every 年度 a term of these rows touches, oldest first (the 年度 filter's choices)."""
    years: set[int] = set()
    for row in rows:
        years.update(range(row.fy_first, row.fy_last + 1))
    return sorted(years)


def next_fiscal_year(current: int | None, rows: Iterable[DashboardRow], today: date) -> int | None:
    """The 年度 filter's cycle: all → the current 年度 → the following ones → the earlier ones → all."""
    years = fiscal_years(rows)
    if not years:
        return None
    now = fiscal_year(today)
    order = [y for y in years if y >= now] + [y for y in years if y < now]
    if current is None:
        return order[0]
    index = order.index(current) + 1 if current in order else len(order)
    return order[index] if index < len(order) else None


def fiscal_year_label(year: int | None, lang: str | None = None) -> str:
    if year is None:
        return t("dash.fy_all", lang)
    return format_fiscal_year(date(year, 4, 1), lang or get_language())


_SORT_KEYS: dict[str, Callable[[DashboardRow], object]] = {
    "person": lambda r: fold(r.kana or r.person),
    "role": lambda r: r.role_rank,
    "organisation": lambda r: fold(r.organisation),
    "term_end": lambda r: r.term_end,
    "transfer": lambda r: (r.transfer_ratio, r.items_total),
    "readiness": lambda r: r.readiness,
    "bunshin": lambda r: r.bunshin,
    "warnings": lambda r: tuple(-r.warnings.get(s, 0) for s in SEVERITIES),
    "status": lambda r: list(Lifecycle).index(Lifecycle(r.status)),
}


def sort_rows(rows: Iterable[DashboardRow], column: str | None = None, reverse: bool = False) -> list[DashboardRow]:
    """By urgency (column None) or by a column; ties keep urgency order; unknowns last."""
    ordered = sorted(rows, key=DashboardRow.urgency)
    if column is None:
        return list(reversed(ordered)) if reverse else ordered
    key = _SORT_KEYS[column]
    known = [r for r in ordered if key(r) is not None]
    unknown = [r for r in ordered if key(r) is None]
    return sorted(known, key=key, reverse=reverse) + unknown  # type: ignore[arg-type]


def next_sort(column: str | None) -> str | None:
    """The sort cycle: urgency → each column in display order → urgency."""
    if column is None:
        return COLUMNS[0]
    index = COLUMNS.index(column) + 1
    return COLUMNS[index] if index < len(COLUMNS) else None


def common_organisation(rows: Iterable[DashboardRow]) -> str | None:
    """The one organisation every engagement belongs to (a municipality's own database), if so:
    then the table shows departments only and the status line names the organisation."""
    names = {r.org_name for r in rows}
    return names.pop() if len(names) == 1 else None


@dataclass(frozen=True)
class DashboardView:
    rows: list[DashboardRow]  # what to show, in order
    total: int
    counts: dict[Filter, int]
    organisation: str | None = None  # shared by all rows: shown once, not in every row


def next_organisation(current: str | None, rows: Iterable[DashboardRow]) -> str | None:
    """The organisation filter's cycle (o): every organisation → each one in turn → every one.
    Organisations compared by organisations.key, as everywhere."""
    from .. import organisations

    names = [o.name for o in organisations.registry(r.org_name for r in rows)]
    if len(names) < 2:
        return None
    if current is None:
        return names[0]
    keys = [organisations.key(n) for n in names]
    k = organisations.key(current)
    index = keys.index(k) + 1 if k in keys else len(names)
    return names[index] if index < len(names) else None


def view(
    rows: Iterable[DashboardRow],
    query: str = "",
    which: Filter = Filter.OPEN,
    column: str | None = None,
    reverse: bool = False,
    year: int | None = None,
    organisation: str | None = None,
) -> DashboardView:
    rows = list(rows)
    shown = [r for r in rows if keep(r, which) and r.in_fiscal_year(year) and matches(query, r.search_text)]
    if organisation:  # the organisations' key only for a filter set (o): the first paint has none
        from .. import organisations

        shown = [r for r in shown if organisations.matches(r.org_name, organisation)]
    return DashboardView(sort_rows(shown, column, reverse), len(rows), counts(rows),
                         common_organisation(shown if organisation else rows))


# How each sort reads, in words (the default direction first: most in need of attention).
# Ascending columns put the smallest value (あ, the nearest date, the lowest share) on top.
ASCENDING: dict[str, bool] = {
    "person": True, "role": True, "organisation": True, "term_end": True, "transfer": True,
    "readiness": True, "bunshin": True, "warnings": False, "status": True,
}


def sort_order_text(column: str | None, reverse: bool, lang: str | None = None) -> str:
    """"あ→ん" / "ん→あ", "近い順" / "遠い順"…: what the current sort puts on top."""
    name = "urgency" if column is None else column
    return t(f"dash.order.{name}.{'reverse' if reverse else 'default'}", lang)


def sort_marker(column: str | None, reverse: bool) -> str:
    """The header's mark: ▲ smallest value on top (あ first, nearest date first), ▼ largest."""
    if column is None:
        return ""
    ascending = ASCENDING.get(column, True) != reverse
    return "▲" if ascending else "▼"


def status_text(
    v: DashboardView, query: str, which: Filter, column: str | None, reverse: bool, lang: str | None = None,
    year: int | None = None,
) -> str:
    """The status line: what is shown, the filter, the 年度, the search and the sort (in words)."""
    sort = t("dash.sort.urgency", lang) if column is None else t(f"dash.col.{column}", lang)
    parts = [t("dash.status.organisation", lang, name=v.organisation)] if v.organisation else []
    parts += [
        t("dash.status.shown", lang, shown=len(v.rows), total=v.total),
        t("dash.status.filter", lang, name=which.label(lang)),
    ]
    if year is not None:
        parts.append(t("dash.status.fiscal_year", lang, name=fiscal_year_label(year, lang)))
    parts += [
        t("dash.status.sort_order", lang, name=sort, order=sort_order_text(column, reverse, lang)),
    ]
    if query.strip():
        parts.append(t("dash.status.search", lang, query=query.strip()))
    return "  ".join(parts)


"""One line per engagement, as the dashboard and `xtalent list` show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Iterable, TypeVar

from .dates import format_fiscal_year
from .labels import label

if TYPE_CHECKING:  # annotations only: the dashboard paints without importing the models
    from .models import Engagement


@dataclass(frozen=True)
class EngagementRow:
    id: str
    person: str
    role: str
    organisation: str
    term_end: date
    days_left: int
    fiscal_year: str
    items_transferred: int
    items_total: int
    term_start: date = date.min  # the countdown says "開始まで…" before it

    @property
    def transfer_text(self) -> str:
        return f"{self.items_transferred}/{self.items_total}"


R = TypeVar("R", bound=EngagementRow)


def engagement_row(engagement: Engagement, today: date, lang: str) -> EngagementRow:
    return EngagementRow(
        id=engagement.id,
        person=engagement.person.name,
        role=label(engagement.role, lang),
        organisation=" ".join(p for p in (engagement.organisation, engagement.department) if p),
        term_start=engagement.term_start,
        term_end=engagement.term_end,
        days_left=engagement.days_left(today),
        fiscal_year=format_fiscal_year(engagement.term_end, lang),
        items_transferred=engagement.transferred_count(),
        items_total=len(engagement.items),
    )


def rows(engagements: Iterable[Engagement], today: date, lang: str) -> list[EngagementRow]:
    return ordered(engagement_row(e, today, lang) for e in engagements)


def ordered(rows: Iterable[R]) -> list[R]:
    """Ended engagements last; otherwise the nearest term end first."""
    return sorted(rows, key=lambda r: (r.days_left < 0, r.days_left if r.days_left >= 0 else -r.days_left, r.person))

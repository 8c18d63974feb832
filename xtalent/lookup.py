"""Finding an engagement from what a user types: its id, an id prefix, or the person's name.

Names are matched loosely, the way people type them: spaces (half- or full-width) and case do
not matter, full-width letters equal half-width ones (NFKC), hiragana equals katakana, and a
unique part is enough (the surname alone, the given name alone, the reading in kana).
"""

from __future__ import annotations

from typing import Iterable, Protocol, Sequence, TypeVar

from .views.text import fold


class _Person(Protocol):
    name: str
    name_kana: str


class Named(Protocol):
    """What lookup reads of an engagement: an Engagement, or only its name (models.StoredName)."""

    id: str
    person: _Person


E = TypeVar("E", bound=Named)


def normalise(text: str) -> str:
    """The search folding of the dashboard (views.text.fold), with no spaces or ・ at all."""
    return "".join(ch for ch in fold(text or "") if ch not in " ・")


def _names(engagement: Named) -> list[str]:
    return [n for n in (normalise(engagement.person.name), normalise(engagement.person.name_kana)) if n]


def candidates(engagements: Sequence[E], query: str) -> list[E]:
    """The engagements `query` points at, best tier only: several means it is ambiguous.

    Tiers, first non-empty wins: the exact id; the id, typed loosely; a whole name or reading;
    an id prefix or a part of a name or reading.
    """
    exact = [e for e in engagements if e.id == query]
    if exact:
        return exact
    q = normalise(query)
    if not q:
        return []
    tiers: Iterable[list[E]] = (
        [e for e in engagements if normalise(e.id) == q],
        [e for e in engagements if q in _names(e)],
        [e for e in engagements if normalise(e.id).startswith(q) or any(q in n for n in _names(e))],
    )
    for tier in tiers:
        if tier:
            return tier
    return []

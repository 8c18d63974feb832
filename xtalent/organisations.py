"""Organisations (自治体・組織): the registry of the ones a database names, and the one way to
tell whether two spellings are the same organisation.

Derived, not stored: the organisations are those the engagements and employees name, so a
stored list would be a second truth that can disagree with them (a town named by an
engagement but missing from the list, or listed with no engagement left).  What makes the
organisation first-class is that it is compared by one key (spaces, full/half width and kana
folded, as names are found: lookup.normalise), offered as a choice wherever one is typed, and
filtered and grouped by that key everywhere (dashboard, attention, staff, report, exports).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from .lookup import normalise


def key(name: str) -> str:
    """The organisation's identity: 'みどり野市' and ' みどり野 市' are one organisation."""
    return normalise(name or "")


def same(a: str, b: str) -> bool:
    return key(a) == key(b)


def matches(organisation: str, wanted: str | None) -> bool:
    """Whether a record of `organisation` passes a filter on `wanted` (None or "": any)."""
    return not wanted or key(organisation) == key(wanted)


@dataclass(frozen=True, slots=True)
class Organisation:
    name: str  # as first written in the database
    engagements: int
    key: str


def only(engagements: Iterable[Any], wanted: str | None) -> Iterator[Any]:
    """The engagements of the organisation `wanted` (None: all): the `--org` of every command."""
    return (e for e in engagements if matches(e.organisation, wanted))


def registry(names: Iterable[str]) -> list[Organisation]:
    """Each organisation once (as first written), with how many records name it, by name."""
    first: dict[str, str] = {}
    count: dict[str, int] = {}
    for name in names:
        k = key(name)
        if not k:
            continue
        first.setdefault(k, name.strip())
        count[k] = count.get(k, 0) + 1
    return sorted((Organisation(first[k], count[k], k) for k in first), key=lambda o: o.name)

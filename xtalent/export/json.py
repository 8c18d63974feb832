"""JSON: the lossless interchange document, re-importable with `xtalent import`."""

from __future__ import annotations

from datetime import date
from typing import Sequence

from ..interchange import dump_document
from ..models import Engagement, InterchangeDocument, PeopleRegistry


def render(engagements: Sequence[Engagement], today: date, people: PeopleRegistry | None = None) -> bytes:
    """`people`: the employee records; those the engagements refer to go with them, with the
    merge proposals the user rejected among them (an import into a fresh database keeps both)."""
    from ..people import referenced

    employees, distinct = referenced(people, engagements) if people is not None else ([], [])
    document = InterchangeDocument(exported_at=today.isoformat(), engagements=list(engagements),
                                   people=employees, distinct_people=distinct)
    return dump_document(document).encode("utf-8")

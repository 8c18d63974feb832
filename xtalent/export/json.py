"""JSON: the lossless interchange document, re-importable with `xtalent import`."""

from __future__ import annotations

from datetime import date
from typing import Sequence

from ..interchange import dump_document
from ..models import Engagement, InterchangeDocument


def render(engagements: Sequence[Engagement], today: date) -> bytes:
    document = InterchangeDocument(exported_at=today.isoformat(), engagements=list(engagements))
    return dump_document(document).encode("utf-8")

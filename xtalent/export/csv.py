"""CSV: one row per checklist line, UTF-8 with a BOM so Excel opens Japanese correctly.

A cell starting with = + - @ tab or CR is read by spreadsheets as a formula (CSV injection:
`=HYPERLINK(...)` in a name would become a live link); such cells get a leading quote.
"""

from __future__ import annotations

import csv
import io

from ..i18n import t
from .checklist import Checklist

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = (
    "engagement_id",
    "organisation",
    "person",
    "term_end",
    "done",
    "item_id",
    "item",
    "kind",
    "target",
    "receivers",
    "stage",
    "due",
    "evidence_on",
    "evidence",
)


def neutralise(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def render(checklist: Checklist) -> bytes:
    lang = checklist.lang
    buffer = io.StringIO(newline="")
    # CRLF and full quoting: what Excel itself writes, and safe for notes with line breaks.
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow([t(f"export.col.{c}", lang) for c in COLUMNS])
    for e in checklist.engagements:
        for line in e.lines:
            row = [
                e.id,
                e.organisation,
                e.person,
                e.term_end.isoformat(),
                t("export.ticked" if line.ticked else "export.unticked", lang),
                line.item_id,
                line.title,
                line.kind,
                line.target,
                line.receivers,
                line.stage,
                line.due_text,
                line.evidence_on.isoformat() if line.evidence_on else "",
                line.evidence,
            ]
            writer.writerow([neutralise(cell) for cell in row])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")

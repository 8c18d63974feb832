"""The 事務引継書 as CSV: one row per fact, in sections, UTF-8 with a BOM for Excel.

Columns: section, item, receiver or who, stage or kind, date, detail, check, checked by (and
on).  Every cell goes through `neutralise` (a name starting with = stays text), and the last two
columns are empty: the people who verify fill them in.
"""

from __future__ import annotations

import csv
import io
from typing import Sequence

from ..i18n import t
from .csv import neutralise
from .handover import HandoverRecord

COLUMNS = ("engagement_id", "revision", "section", "key", "name", "stage", "date", "detail", "check", "checked_by")


def _rows(r: HandoverRecord) -> list[list[str]]:
    lang = r.lang

    def sec(key: str) -> str:
        return t(f"handover.section.{key}", lang)

    rows: list[list[str]] = []
    add = lambda *cells: rows.append([r.id, str(r.revision), *cells, ""])  # noqa: E731  (checked by: empty)
    for f in r.header:
        add(sec("header"), f.label, f.value, "", "", "", "")
    for key, targets in (("targets", r.agreed_targets), ("proposed", r.proposed_targets)):
        for x in targets:
            add(sec(key), x.title, x.indicator, x.status, x.agreed_text, x.movement, "")
    for x in r.rows:
        add(sec("items"), x.item, x.receiver, x.stage, x.reached, "\n".join(x.evidence), "")
    for x in r.open_items:
        add(sec("open"), x.item, x.who, x.stage, x.until, x.how, "")
    if r.remarks:
        add(sec("remarks"), "", "", "", "", r.remarks, "")
    for x in r.files:
        add(sec("files"), x.title, x.location, "", "", x.note, "")
    for x in r.equipment:
        add(sec("equipment"), x.name, "", x.kind, x.returned, x.note, "")
    for x in r.signatures:
        add(sec("signatures"), x.role, x.name, "", x.signed_on, "", "")
    return rows


def render(records: Sequence[HandoverRecord]) -> bytes:
    lang = records[0].lang if records else "ja"
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow([t(f"handover.csv.{c}", lang) for c in COLUMNS])
    for r in records:
        for row in _rows(r):
            writer.writerow([neutralise(cell) for cell in row])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")

"""The 実施報告書 as CSV: one row per consultation of each dispatch, UTF-8 with a BOM for Excel;
dates ISO (a column a spreadsheet sorts); every cell through `neutralise` (a name starting
with = stays text)."""

from __future__ import annotations

import csv
import io
from typing import Sequence

from ..i18n import t
from .csv import neutralise
from .dispatch import DispatchReport

COLUMNS = ("engagement_id", "date", "organisation", "advisor", "log_id", "kind", "department", "attendees", "topic",
           "target", "minutes", "online", "advice", "next_steps", "report_on")


def render(reports: Sequence[DispatchReport], lang: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow([t(f"dispatch.csv.{c}", lang) for c in COLUMNS])
    yes, no = t("dispatch.yes", lang), ""
    for r in reports:
        for x in r.rows:
            cells = [r.id, r.on.isoformat(), r.header_value("organisation"), r.header_value("advisor"), x.log_id, x.kind,
                     x.department, x.attendees, x.topic, x.target, str(x.minutes), yes if x.online else no, x.advice,
                     x.next_steps, r.filed_on.isoformat() if r.filed_on else ""]
            writer.writerow([neutralise(cell) for cell in cells])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")

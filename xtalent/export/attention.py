"""The attention view exported: CSV (UTF-8 with BOM, formula-safe) and an A4 xlsx list."""

from __future__ import annotations

import csv
import io
from datetime import date

from ..i18n import t
from ..views.attention import AttentionRow
from .csv import neutralise

COLUMNS = ("severity", "when", "person", "organisation", "department", "fiscal_year", "role", "rule", "subject",
           "message", "action", "engagement_id")


def _cells(row: AttentionRow, lang: str) -> list[str]:
    values = {**row.to_dict(), "severity": t(f"pitfall.severity.{row.severity}", lang), "when": row.when.isoformat() if row.when else ""}
    return [str(values[c] or "") for c in COLUMNS]


def render_csv(rows: list[AttentionRow], lang: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([t(f"attention.col.{c}", lang) for c in COLUMNS])
    for row in rows:
        writer.writerow([neutralise(c) for c in _cells(row, lang)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def render_xlsx(rows: list[AttentionRow], lang: str, today: date) -> bytes:
    from .xlsx import SHEET_NAME_MAX, printed_sheet, workbook  # xlsxwriter loads for an xlsx only

    out = io.BytesIO()
    book = workbook(out)
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"})
    cell = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    ws = printed_sheet(book, t("attention.sheet", lang)[:SHEET_NAME_MAX], landscape=True,
                       header=f"&L{t('attention.title', lang)}&R{today.isoformat()}",  # catalog text and a date only
                       footer="&C&P / &N")
    ws.repeat_rows(1)
    ws.write(0, 0, t("attention.title", lang) + f"  ({today.isoformat()})", book.add_format({"bold": True, "font_size": 14}))
    widths = {"severity": 6, "when": 11, "person": 14, "organisation": 14, "department": 12, "fiscal_year": 10,
              "role": 12, "rule": 16, "subject": 22, "message": 48, "action": 40, "engagement_id": 18}
    for n, column in enumerate(COLUMNS):
        ws.set_column(n, n, widths[column])
        ws.write(1, n, t(f"attention.col.{column}", lang), head)
    for r, row in enumerate(rows, start=2):
        for n, value in enumerate(_cells(row, lang)):
            ws.write_string(r, n, value[:32767], cell)
    ws.autofilter(1, 0, 1 + len(rows), len(COLUMNS) - 1)
    ws.freeze_panes(2, 0)
    book.close()
    return out.getvalue()

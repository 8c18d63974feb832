"""The 年度実績報告 as an Excel workbook: one summary sheet, then one sheet per engagement with
every figure and how it was computed.  A4 landscape for the summary, portrait for the others,
fitted to the width, headings repeated; user text through `write_string` only."""

from __future__ import annotations

import io
from datetime import datetime

from xlsxwriter.worksheet import Worksheet

from ..i18n import t
from ..report import FiscalReport
from ..textwidth import cell_len
from .xlsx import FONT, LINE_HEIGHT, SHEET_NAME_MAX, _lines, _sheet_header, printed_sheet, workbook

_BAD = set("[]:*?/\\")


def _figure_heading(label: str) -> str:
    """The parenthesised part of a Japanese heading on a line of its own: wrapped by width,
    活動日数（記録） left "）" alone on the next line in LibreOffice."""
    return label.replace("（", "\n（")


def _sheet_name(n: int, person: str) -> str:
    clean = "".join("_" if c in _BAD else c for c in person).strip("'") or "-"
    return f"{n:02d} {clean}"[:SHEET_NAME_MAX]


def _style(key: str) -> str:
    """Days and hours with one decimal; counts (consultations, items, staff, warnings) whole."""
    return "num" if key in ("contracted_days", "contracted_hours", "logged_hours") else "int"


def render(report: FiscalReport) -> bytes:
    lang = report.lang
    buffer = io.BytesIO()
    book = workbook(buffer, report.title, datetime(report.year, 4, 1))
    base = {"font_name": FONT, "font_size": 10, "valign": "top"}
    grid = {**base, "border": 1, "border_color": "#999999", "text_wrap": True}
    f = {
        "title": book.add_format({**base, "bold": True, "font_size": 14}),
        "note": book.add_format({**base, "font_color": "#555555"}),
        "head": book.add_format({**grid, "bold": True, "bg_color": "#DDEBF7"}),
        "text": book.add_format(grid),
        "num": book.add_format({**grid, "num_format": "0.0", "align": "right"}),
        "int": book.add_format({**grid, "num_format": "0", "align": "right"}),
        "total": book.add_format({**grid, "bold": True, "num_format": "0.0", "align": "right", "bg_color": "#F2F2F2"}),
        "total_int": book.add_format({**grid, "bold": True, "num_format": "0", "align": "right", "bg_color": "#F2F2F2"}),
        "section": book.add_format({**base, "bold": True, "font_size": 11}),
    }

    def sheet(name: str, landscape: bool) -> Worksheet:
        return printed_sheet(book, name, landscape=landscape, header=f"&L{_sheet_header(report.title)}", footer="&C&P / &N")

    ws = sheet(t("report.summary", lang), True)
    ws.write_string(0, 0, report.title, f["title"])
    ws.write_string(1, 0, t("export.label_value", lang, label=t("report.period", lang), value=report.period) + ("　" + report.as_of_note if report.as_of_note else ""), f["note"])
    heads = [t("report.person_col", lang), t("report.type_col", lang), *[_figure_heading(x.label) for x in report.totals]]
    for c, h in enumerate(heads):
        ws.write_string(3, c, h, f["head"])
    ws.set_row(3, 54)  # headings wrap onto up to three lines in the narrow figure columns
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 44)  # the appointment types are long: 30 cut them when rendered
    for c, h in enumerate(heads[2:], start=2):
        # A Japanese heading's lines whole: 自立以上の項目 needs 15.
        ws.set_column(c, c, max([11, *(cell_len(line) + 1 for line in h.splitlines() if "（" in h)]))
    ws.repeat_rows(3)
    row = 4
    for p in report.engagements:
        ws.write_string(row, 0, p.person, f["text"])
        ws.write_string(row, 1, p.type, f["text"])
        for c, fig in enumerate(p.figures):
            ws.write_number(row, 2 + c, p.numbers[fig.key], f[_style(fig.key)])
        row += 1
    if report.engagements:
        ws.write_string(row, 0, t("report.totals", lang), f["total"])
        ws.write_blank(row, 1, None, f["total"])
        for c, fig in enumerate(report.totals):
            ws.write_number(row, 2 + c, float(fig.value), f["total" if _style(fig.key) == "num" else "total_int"])
        row += 2
        ws.write_string(row, 0, t("report.how.total", lang), f["note"])
    else:
        ws.write_string(row, 0, t("report.no_engagements", lang), f["note"])

    for n, p in enumerate(report.engagements, start=1):
        ws = sheet(_sheet_name(n, p.person), False)
        ws.set_column(0, 0, 30)
        ws.set_column(1, 1, 12)
        ws.set_column(2, 2, 60)
        ws.write_string(0, 0, f"{p.person} — {p.type}", f["title"])
        ws.write_string(1, 0, t("export.label_value", lang, label=t("report.term_col", lang), value=p.term), f["note"])
        for c, key in enumerate(("figure", "value", "how")):
            ws.write_string(3, c, t(f"report.{key}_col", lang), f["head"])
        ws.repeat_rows(3)
        row = 4
        for fig in p.figures:
            ws.write_string(row, 0, fig.label, f["text"])
            ws.write_number(row, 1, p.numbers[fig.key], f[_style(fig.key)])
            ws.write_string(row, 2, fig.how, f["text"])
            row += 1
        row += 1
        ws.write_string(row, 0, t("report.departments", lang), f["section"])
        row += 1
        for d, count in p.departments:
            ws.write_string(row, 0, d, f["text"])
            ws.write_number(row, 1, count, f["int"])
            row += 1
        row += 1
        ws.write_string(row, 0, t("report.targets", lang), f["section"])
        row += 1
        for c, key in enumerate(("target", "status", "movement")):
            ws.write_string(row, c, t(f"report.{key}_col", lang), f["head"])
        row += 1
        for x in p.targets:
            ws.write_string(row, 0, x.title, f["text"])
            ws.write_string(row, 1, x.status, f["text"])
            # The movement, and under it which reading each end is: the figure with its "how".
            movement = x.movement + ("\n" + x.how if x.how else "")
            ws.write_string(row, 2, movement, f["text"])
            # Neither Excel nor LibreOffice grows a row for wrapped text written by a program.
            lines = max(_lines(x.title, 30), _lines(x.status, 12), _lines(movement, 60))
            if lines > 1:
                ws.set_row(row, lines * LINE_HEIGHT + 4)
            row += 1
    book.close()
    return buffer.getvalue()

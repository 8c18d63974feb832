"""The 実施報告書 as an Excel workbook: one sheet per dispatch, A4 portrait fitted to the page
width, the title and printed date in the page header, the page number in the footer, the
consultations' heading row repeated on every page.  User text is written with `write_string`."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any, Sequence

from ..i18n import t
from .dispatch import DispatchReport
from .handover_xlsx import RECORD_MARGINS, _Book
from .xlsx import A4, FONT, SHEET_NAME_MAX, _sheet_header, printed_sheet, workbook

WIDTHS = (28, 22, 20, 20)  # the first holds labels up to 14 full-width characters on one line


class _DispatchBook(_Book):
    # The handover record's rows and merged cells, on a book of its own.
    def __init__(self, lang: str, today: Any) -> None:  # noqa: D107
        self.buffer = io.BytesIO()
        self.book = workbook(self.buffer, t("dispatch.title", lang), datetime(today.year, today.month, today.day))
        self.f = self.formats()
        self.index = 0

    def formats(self) -> dict[str, Any]:
        base = {"font_name": FONT, "font_size": 10, "valign": "top"}
        grid = {**base, "border": 1, "border_color": "#999999", "text_wrap": True}
        return {
            "title": self.book.add_format({**base, "bold": True, "font_size": 14}),
            "note": self.book.add_format({**base, "font_color": "#555555", "text_wrap": True}),
            "section": self.book.add_format({**base, "bold": True, "font_size": 11, "bottom": 2}),
            "head": self.book.add_format({**grid, "bold": True, "bg_color": "#DDEBF7"}),
            "key": self.book.add_format({**grid, "bold": True, "bg_color": "#F2F2F2"}),
            "text": self.book.add_format(grid),
            "sign": self.book.add_format({**grid, "valign": "vcenter"}),
        }

    def report(self, r: DispatchReport, n: int) -> None:
        lang = r.lang
        w = WIDTHS
        name = f"{t('dispatch.title', lang)} {r.on.isoformat()}"[:SHEET_NAME_MAX]
        if name in self.book.sheetnames:
            name = f"{name[: SHEET_NAME_MAX - 5]} ({n})"
        ws = printed_sheet(self.book, name, margins=RECORD_MARGINS,
                           header=f"&L{_sheet_header(r.title)}&R{_sheet_header(r.printed_text)}",
                           footer=f"&L{_sheet_header(r.id)}&C{t('dispatch.page', lang)}")
        for c, width in enumerate(w):
            ws.set_column(c, c, width)
        ws.merge_range(0, 0, 0, 3, r.title, self.f["title"])
        ws.merge_range(1, 0, 1, 3, r.printed_text, self.f["note"])
        ws.set_row(0, 22)
        ws.repeat_rows(0, 1)
        row = self.section(ws, 3, "header", lang, 3)
        for f in r.header:
            row = self.row(ws, row, [(0, 0, f.label, "key"), (1, 3, f.value, "text")], w)
        row = self.section(ws, row + 1, "consultations", lang, 3)
        missing = t("dispatch.not_written", lang)
        c = lambda key: t(f"dispatch.col.{key}", lang)  # noqa: E731
        for k, x in enumerate(r.rows, start=1):
            head = t("dispatch.consultation_head", lang, n=k, kind=x.kind, department=x.department or missing)
            row = self.row(ws, row, [(0, 3, head, "head")], w)
            facts = [("attendees", x.attendees), ("topic", x.topic), ("target", x.target), ("time", x.time)]
            for key, value in facts:
                if value:
                    row = self.row(ws, row, [(0, 0, c(key), "key"), (1, 3, value, "text")], w)
            row = self.row(ws, row, [(0, 0, c("advice"), "key"), (1, 3, x.advice or missing, "text")], w, min_height=48)
            row = self.row(ws, row, [(0, 0, c("next_steps"), "key"), (1, 3, x.next_steps or missing, "text")], w, min_height=36)
            row += 1
        row = self.section(ws, row, "signatures", lang, 3)
        row = self.row(ws, row, [(0, 3, t("dispatch.sign_note", lang), "note")], w)
        row = self.row(ws, row, [(k, k, c(key), "head") for k, key in enumerate(("signer", "name", "signed_on", "signature"))], w)
        for x in r.signatures:
            row = self.row(ws, row, [(0, 0, x.role, "key"), (1, 1, x.name, "sign"), (2, 2, "", "sign"), (3, 3, "", "sign")], w,
                           min_height=40)

    def section(self, ws: Any, row: int, key: str, lang: str, last: int) -> int:
        ws.merge_range(row, 0, row, last, t(f"dispatch.section.{key}", lang), self.f["section"])
        return row + 1


def render(reports: Sequence[DispatchReport], lang: str, today: Any) -> bytes:
    book = _DispatchBook(lang, today)
    if not reports:
        ws = book.book.add_worksheet(t("dispatch.title", lang)[:SHEET_NAME_MAX])
        ws.set_paper(A4)
        ws.write_string(0, 0, t("dispatch.none", lang), book.f["note"])
    for n, r in enumerate(reports, start=1):
        book.report(r, n)
    return book.close()

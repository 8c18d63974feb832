"""The 事務引継書 as an Excel workbook a 人事課 prints and files.

Two sheets per record: the record itself (overview, targets, open items and their support, 所見,
documents, equipment, signatures) and the item × receiver table with an empty box per line.
Both print on A4 portrait fitted to the page width, repeat their heading rows on every page,
and carry the title and printed date in the page header and the revision and page number in
the page footer.  User text is written with `write_string` only.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any, Sequence

from xlsxwriter.worksheet import Worksheet

from ..i18n import t
from .handover import HandoverRecord
from .xlsx import FONT, LINE_HEIGHT, SHEET_NAME_MAX, _lines, _sheet_header, printed_sheet, workbook

MAIN_WIDTHS = (22, 26, 14, 16, 34)
ITEM_WIDTHS = (6, 30, 14, 12, 16, 34, 16)
RECORD_MARGINS = (0.5, 0.8)  # inches: room for the header and footer lines


class _Book:
    def __init__(self, records: Sequence[HandoverRecord], today: Any) -> None:
        self.buffer = io.BytesIO()
        lang = records[0].lang if records else "ja"
        self.book = workbook(self.buffer, t("handover.title", lang), datetime(today.year, today.month, today.day))
        base = {"font_name": FONT, "font_size": 10, "valign": "top"}
        grid = {**base, "border": 1, "border_color": "#999999", "text_wrap": True}
        self.f = {
            "title": self.book.add_format({**base, "bold": True, "font_size": 14}),
            "note": self.book.add_format({**base, "font_color": "#555555", "text_wrap": True}),
            "section": self.book.add_format({**base, "bold": True, "font_size": 11, "bottom": 2}),
            "head": self.book.add_format({**grid, "bold": True, "bg_color": "#DDEBF7"}),
            "key": self.book.add_format({**grid, "bold": True, "bg_color": "#F2F2F2"}),
            "text": self.book.add_format(grid),
            "box": self.book.add_format({**grid, "align": "center", "valign": "vcenter", "font_size": 14}),
            "sign": self.book.add_format({**grid, "valign": "vcenter"}),
        }
        self.index = 0

    def sheet(self, r: HandoverRecord, key: str, widths: Sequence[int], heading_rows: int) -> Worksheet:
        name = t(f"handover.sheet.{key}", r.lang)
        if self.index:
            name = f"{name[: SHEET_NAME_MAX - 4]} ({self.index + 1})"  # one pair of sheets per record
        ws = printed_sheet(self.book, name, margins=RECORD_MARGINS,
                           header=f"&L{_sheet_header(r.title)}&R{_sheet_header(r.printed_text)}",
                           footer=f"&L{_sheet_header(r.revision_text)}&C{t('handover.page', r.lang)}&R{_sheet_header(r.id)}")
        ws.repeat_rows(0, heading_rows - 1)
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        last = len(widths) - 1
        # Merged across the page: in the narrow first column of the items sheet they were cut.
        ws.merge_range(0, 0, 0, last, r.title, self.f["title"])
        ws.merge_range(1, 0, 1, last, f"{r.revision_text}　{r.printed_text}", self.f["note"])
        ws.set_row(0, 22)
        return ws

    def row(self, ws: Worksheet, row: int, cells: Sequence[tuple[int, int, str, str]], widths: Sequence[int], min_height: float = 0) -> int:
        """Cells as (first col, last col, text, style); merged when they span; height from the text."""
        lines = 1
        for first, last, text, style in cells:
            text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
            fmt = self.f[style]
            if last > first:
                ws.merge_range(row, first, row, last, "", fmt)
            if text:
                ws.write_string(row, first, text, fmt)
            else:
                ws.write_blank(row, first, None, fmt)
            lines = max(lines, _lines(text, sum(widths[first : last + 1])))
        height = max(min_height, lines * LINE_HEIGHT + 4 if lines > 1 else 0)
        if height:
            ws.set_row(row, height)
        return row + 1

    def section(self, ws: Worksheet, row: int, key: str, lang: str, last: int) -> int:
        ws.merge_range(row, 0, row, last, t(f"handover.section.{key}", lang), self.f["section"])
        return row + 1

    def main(self, r: HandoverRecord) -> None:
        lang = r.lang
        w = MAIN_WIDTHS
        ws = self.sheet(r, "record", w, 2)
        h = lambda key: t(f"handover.col.{key}", lang)  # noqa: E731
        none = t("handover.none", lang)
        row = 3
        row = self.section(ws, row, "header", lang, 4)
        for f in r.header:
            row = self.row(ws, row, [(0, 0, f.label, "key"), (1, 4, f.value, "text")], w)

        def targets(rows: Sequence[Any], row: int) -> int:
            row = self.row(ws, row, [(c, c, h(k), "head") for c, k in enumerate(("title", "agreed", "status", "indicator", "movement"))], w)
            for x in rows:
                row = self.row(ws, row, [(0, 0, x.title, "text"), (1, 1, x.agreed_text, "text"), (2, 2, x.status, "text"),
                                         (3, 3, x.indicator, "text"), (4, 4, x.movement, "text")], w)
            return row

        row = self.section(ws, row + 1, "targets", lang, 4)
        row = targets(r.agreed_targets, row) if r.agreed_targets else self.row(ws, row, [(0, 4, none, "note")], w)
        if r.proposed_targets:
            row = self.section(ws, row + 1, "proposed", lang, 4)
            row = targets(r.proposed_targets, row)

        row = self.section(ws, row + 1, "items", lang, 4)
        row = self.row(ws, row, [(0, 4, t("handover.items_elsewhere", lang, sheet=t("handover.sheet.items", lang), n=len(r.rows)), "note")], w)

        row = self.section(ws, row + 1, "open", lang, 4)
        if r.open_items:
            row = self.row(ws, row, [(c, c, h(k), "head") for c, k in enumerate(("item", "who", "stage", "until", "how"))], w)
            for x in r.open_items:
                row = self.row(ws, row, [(0, 0, x.item, "text"), (1, 1, x.who, "text"), (2, 2, x.stage, "text"),
                                         (3, 3, x.until, "text"), (4, 4, x.how, "text")], w)
        else:
            row = self.row(ws, row, [(0, 4, none, "note")], w)

        row = self.section(ws, row + 1, "remarks", lang, 4)
        row = self.row(ws, row, [(0, 4, r.remarks or t("handover.no_remarks", lang), "text")], w, min_height=60)

        row = self.section(ws, row + 1, "files", lang, 4)
        if r.files:
            row = self.row(ws, row, [(0, 1, h("file"), "head"), (2, 3, h("location"), "head"), (4, 4, h("note"), "head")], w)
            for x in r.files:
                row = self.row(ws, row, [(0, 1, x.title, "text"), (2, 3, x.location, "text"), (4, 4, x.note, "text")], w)
        else:
            row = self.row(ws, row, [(0, 4, none, "note")], w)

        row = self.section(ws, row + 1, "equipment", lang, 4)
        if r.equipment:
            row = self.row(ws, row, [(c, c, h(k), "head") for c, k in enumerate(("equipment", "kind_of", "check", "returned", "note"))], w)
            for x in r.equipment:
                row = self.row(ws, row, [(0, 0, x.name, "text"), (1, 1, x.kind, "text"), (2, 2, x.box, "box"),
                                         (3, 3, x.returned, "text"), (4, 4, x.note, "text")], w)
        else:
            row = self.row(ws, row, [(0, 4, none, "note")], w)

        row = self.section(ws, row + 1, "signatures", lang, 4)
        row = self.row(ws, row, [(0, 4, r.confidentiality, "note")], w)
        row = self.row(ws, row, [(0, 0, h("signer"), "head"), (1, 1, h("name"), "head"), (2, 3, h("signed_on"), "head"), (4, 4, h("signature"), "head")], w)
        for x in r.signatures:
            row = self.row(ws, row, [(0, 0, x.role, "key"), (1, 1, x.name, "sign"), (2, 3, x.signed_on, "sign"), (4, 4, "", "sign")], w, min_height=40)
        if r.signed_text:
            row = self.row(ws, row + 1, [(0, 4, r.signed_text, "note")], w)

    def items(self, r: HandoverRecord) -> None:
        lang = r.lang
        w = ITEM_WIDTHS
        ws = self.sheet(r, "items", w, 4)
        self.row(ws, 2, [(0, len(w) - 1, t("handover.box_note", lang), "note")], w)
        cols = ("check", "item", "receiver", "stage", "reached", "evidence", "checked_by")
        row = self.row(ws, 3, [(c, c, t(f"handover.col.{k}", lang), "head") for c, k in enumerate(cols)], w)
        for x in r.rows:
            item = x.item + "\n" + " · ".join(p for p in (x.kind, x.target) if p)
            evidence = "\n".join(f"・{ev}" for ev in x.evidence) or t("export.none", lang)
            row = self.row(ws, row, [(0, 0, x.box, "box"), (1, 1, item, "text"), (2, 2, x.receiver, "text"),
                                     (3, 3, x.stage, "text"), (4, 4, x.reached, "text"), (5, 5, evidence, "text"),
                                     (6, 6, "", "text")], w)  # who checked, and when: written on paper

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def render(records: Sequence[HandoverRecord], today: Any) -> bytes:
    book = _Book(records, today)
    for n, r in enumerate(records):
        book.index = n
        book.main(r)
        book.items(r)
    return book.close()

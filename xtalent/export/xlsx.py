"""Excel workbook: summary, targets, know-how checklist, staff, warnings and sign-off sheets.

Municipal offices live in Excel, and the checklist is printed for the handover meeting: every
sheet prints on A4 fitted to the page width with its header row repeated, columns are sized
for Japanese (a full-width character is two columns wide), and long text wraps.

User text is always written with `write_string`, and the workbook is told never to turn strings
into formulas, numbers or links: a name like `=HYPERLINK(...)` stays inert text.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any, Callable, Sequence

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from ..i18n import t
from ..textwidth import cell_width
from .checklist import Checklist, EngagementChecklist, column

A4 = 9  # xlsxwriter's paper code
SHEET_NAME_MAX = 31  # Excel's limit on a sheet's name
# A cell holds what the user typed: never a formula, number or link Excel would make of it.
SAFE_TEXT = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
MIN_WIDTH = 6
MAX_WIDTH = 40
HEADER_MAX = 12  # a header may wrap onto two lines rather than widen a narrow column
# Points per text line at 10pt: Japanese fonts (Yu Gothic, Noto CJK) set lines about 1.6em apart.
LINE_HEIGHT = 16.5
FONT = "Yu Gothic"  # Office's default Japanese font; Excel substitutes when it is missing
BOX_CHOICES = ["☐", "☑"]
# Excel holds at most 32,767 characters (UTF-16 units) in a cell; xlsxwriter silently drops
# the rest.  A longer cell (the receivers of an item with hundreds of staff) is cut here
# instead, ending in a marker that says so and where the whole text is, and the cut is
# reported to whoever exported.  Cut rather than split over several cells: the checklist is a
# table printed for a meeting, and a row spilling into the next cells would break its columns;
# the lossless text is in the JSON (and Markdown) exports.
CELL_LIMIT = 32_767


def _cut(text: str, marker: str) -> str:
    units = CELL_LIMIT - len(marker.encode("utf-16-le")) // 2
    # errors="ignore": a surrogate pair split by the cut is dropped whole.
    return text.encode("utf-16-le")[: 2 * units].decode("utf-16-le", errors="ignore") + marker


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 10
    return max((cell_width(line) for line in str(value).splitlines()), default=0)


def _lines(value: Any, width: float) -> int:
    """Printed lines a wrapped cell needs.  Neither Excel nor LibreOffice grows a row for
    wrapped text written by a program, so heights are set from this estimate."""
    if value is None or isinstance(value, (datetime, int, float)):
        return 1
    usable = max(1.0, width - 0.5)
    return sum(max(1, -(-cell_width(line) // int(usable))) for line in str(value).splitlines() or [""])


def _sheet_header(text: str) -> str:
    # '&' starts a control code in Excel page headers.
    return text.replace("&", "&&")


def workbook(buffer: io.BytesIO, title: str | None = None, created: datetime | None = None) -> xlsxwriter.Workbook:
    """A workbook that keeps user text as text; its metadata from the data's own day, not the
    clock, so the same data exports to the same bytes."""
    book = xlsxwriter.Workbook(buffer, SAFE_TEXT)
    if title is not None:
        book.set_properties({"title": title, "created": created, "author": "xtalent"})
    return book


def printed_sheet(book: xlsxwriter.Workbook, name: str, *, header: str, footer: str, landscape: bool = False,
                  margins: tuple[float, float] | None = None) -> Worksheet:
    """A sheet that prints on A4, as wide as the page and as many pages down as it takes;
    `margins`: (left and right, top and bottom) in inches, else Excel's."""
    ws = book.add_worksheet(name)
    ws.set_paper(A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    if margins is not None:
        ws.set_margins(left=margins[0], right=margins[0], top=margins[1], bottom=margins[1])
    ws.set_header(header)
    ws.set_footer(footer)
    return ws


class _Book:
    def __init__(self, checklist: Checklist) -> None:
        self.checklist = checklist
        self.lang = checklist.lang
        self.buffer = io.BytesIO()
        self.cut: list[str] = []  # what was cut, said in the UI language
        today = datetime(checklist.today.year, checklist.today.month, checklist.today.day)
        self.book = workbook(self.buffer, checklist.title, today)
        base = {"font_name": FONT, "font_size": 10, "valign": "top"}
        grid = {**base, "border": 1, "border_color": "#999999"}
        self.f = {
            "title": self.book.add_format({**base, "bold": True, "font_size": 14}),
            "subtitle": self.book.add_format({**base, "bold": True, "font_size": 12}),
            "note": self.book.add_format({**base, "italic": True, "font_color": "#555555"}),
            "head": self.book.add_format({**grid, "bold": True, "bg_color": "#DDEBF7", "text_wrap": True}),
            "key": self.book.add_format({**grid, "bold": True, "bg_color": "#F2F2F2", "text_wrap": True}),
            "subkey": self.book.add_format({**grid, "bg_color": "#F2F2F2", "text_wrap": True, "indent": 1}),
            "text": self.book.add_format({**grid, "text_wrap": True}),
            "num": self.book.add_format({**grid, "align": "right"}),
            "date": self.book.add_format({**grid, "num_format": "yyyy-mm-dd", "align": "left"}),
            "overdue": self.book.add_format(
                {**grid, "num_format": "yyyy-mm-dd", "align": "left", "font_color": "#C00000", "bold": True}
            ),
            "box": self.book.add_format({**grid, "align": "center", "font_size": 14}),
            "done": self.book.add_format({**grid, "text_wrap": True, "bg_color": "#E2EFDA"}),
            "sign": self.book.add_format({**grid, "text_wrap": True}),
            "sev_critical": self.book.add_format({**grid, "bold": True, "font_color": "#B00020", "bg_color": "#FBE4E6"}),
            "sev_warning": self.book.add_format({**grid, "bold": True, "font_color": "#8A5200", "bg_color": "#FFF2CC"}),
            "sev_info": self.book.add_format({**grid, "font_color": "#2F5597"}),
        }
        self.multi = len(checklist.engagements) != 1

    def sheet(self, key: str, *, landscape: bool) -> Worksheet:
        name = t(f"export.sheet.{key}", self.lang)
        return printed_sheet(self.book, name, landscape=landscape, margins=(0.5, 0.75),
                             header=f"&L{_sheet_header(self.checklist.title)}&R{_sheet_header(name)}",
                             footer="&C&P / &N")

    def table(
        self,
        ws: Worksheet,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        styles: Callable[[int, int], str] | None = None,
        caps: dict[int, int] | None = None,
        first_row: int = 0,
    ) -> int:
        """Header plus rows from `first_row`; sizes columns; returns the next free row."""
        headers = [column(c, self.lang) for c in columns]
        widths = [min(HEADER_MAX, _width(h)) for h in headers]
        for c, h in enumerate(headers):
            ws.write_string(first_row, c, h, self.f["head"])
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                style = self.f[styles(r, c) if styles else "text"]
                self.write(ws, first_row + 1 + r, c, value, style)
                widths[c] = max(widths[c], _width(value))
        widths = [max(MIN_WIDTH, min((caps or {}).get(c, MAX_WIDTH), w + 2)) for c, w in enumerate(widths)]
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        self.fit_rows(ws, first_row, [headers, *rows], widths)
        ws.freeze_panes(first_row + 1, 0)
        ws.repeat_rows(first_row)
        if rows:
            ws.autofilter(first_row, 0, first_row + len(rows), len(columns) - 1)
        return first_row + 1 + len(rows)

    def fit_rows(self, ws: Worksheet, first_row: int, rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> None:
        for r, row in enumerate(rows):
            lines = max((_lines(v, widths[c]) for c, v in enumerate(row)), default=1)
            if lines > 1:
                ws.set_row(first_row + r, lines * LINE_HEIGHT + 4)

    def write(self, ws: Worksheet, row: int, col: int, value: Any, style: Any) -> None:
        if value is None or value == "":
            ws.write_blank(row, col, None, style)
        elif isinstance(value, datetime):
            ws.write_datetime(row, col, value, style)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            ws.write_number(row, col, value, style)
        else:
            # Excel breaks lines in a cell on LF alone; a CR would show as a stray _x000D_.
            text = str(value).replace("\r\n", "\n").replace("\r", "\n")
            if len(text.encode("utf-16-le")) > 2 * CELL_LIMIT:
                total = len(text)
                text = _cut(text, t("export.xlsx.cut_marker", self.lang, total=total))
                self.cut.append(t("export.xlsx.cut", self.lang, sheet=ws.name, cell=xl_rowcol_to_cell(row, col), total=total))
            ws.write_string(row, col, text, style)

    def lead(self, e: EngagementChecklist) -> list[Any]:
        return [e.person] if self.multi else []

    def lead_cols(self) -> list[str]:
        return ["engagement"] if self.multi else []

    # ----- the sheets ---------------------------------------------------------------------

    def summary(self) -> None:
        ws = self.sheet("summary", landscape=False)
        ws.set_column(0, 0, 28)
        ws.set_column(1, 1, 64)
        ws.write_string(0, 0, self.checklist.title, self.f["title"])
        ws.write_string(1, 0, self.checklist.exported_text, self.f["note"])
        row = 3
        if not self.checklist.engagements:
            ws.write_string(row, 0, t("export.no_engagements", self.lang), self.f["note"])
        for e in self.checklist.engagements:
            if self.multi:
                ws.write_string(row, 0, e.title, self.f["subtitle"])
                row += 1
            pairs: list[tuple[str, str, str]] = []
            for f in e.header:
                pairs.append((f.label, f.value, "key"))
                if f.key == "readiness":
                    # The breakdown right under the score, so nobody has to trust a bare number.
                    pairs += [("", "・" + name, "subkey") for name in e.readiness.parts]
            for name, value, style in pairs:
                ws.write_string(row, 0, name, self.f[style])
                self.write(ws, row, 1, value, self.f["text"])
                self.fit_rows(ws, row, [[name, value]], (28, 64))
                row += 1
            row += 1
        ws.set_header(f"&L{_sheet_header(self.checklist.title)}")

    def targets(self) -> None:
        ws = self.sheet("targets", landscape=True)
        rows = [
            [*self.lead(e), g.title, g.scope, g.goal, g.indicator, g.agreed, g.status, g.owner]
            for e in self.checklist.engagements
            for g in e.targets
        ]
        cols = [*self.lead_cols(), "title", "scope", "goal", "indicator", "agreed", "status", "owner"]
        k = len(self.lead_cols())
        self.table(ws, cols, rows, caps={k: 30, k + 2: 36, k + 3: 30, k + 4: 20})

    def checklist_sheet(self) -> None:
        ws = self.sheet("checklist", landscape=True)
        k = len(self.lead_cols())
        cols = [*self.lead_cols(), "done", "item", "kind", "target", "receivers", "stage", "due", "evidence_on", "evidence", "item_id"]
        rows, flags = [], []
        for e in self.checklist.engagements:
            for line in e.lines:
                box = t("export.ticked" if line.ticked else "export.unticked", self.lang)
                rows.append(
                    [
                        *self.lead(e),
                        box,
                        line.title,
                        line.kind,
                        line.target,
                        line.receivers,
                        line.stage,
                        _dt(line.due),
                        _dt(line.evidence_on),
                        line.evidence,
                        line.item_id,
                    ]
                )
                flags.append(line)

        def style(r: int, c: int) -> str:
            line = flags[r]
            if c == k:
                return "box"
            if c in (k + 6, k + 7):
                return "overdue" if c == k + 6 and line.overdue else "date"
            return "done" if line.ticked else "text"

        end = self.table(ws, cols, rows, styles=style, caps={k + 1: 36, k + 3: 20, k + 4: 28, k + 8: 34})
        ws.set_column(k, k, 6)
        # The item id is for matching rows by machine; the printed sheet stops before it.
        ws.print_area(0, 0, end + 1, k + 8)
        if rows:
            # Lets the meeting tick a box in Excel from a list instead of typing the symbol.
            ws.data_validation(1, k, end - 1, k, {"validate": "list", "source": BOX_CHOICES})
        legend_row = end + 1
        ws.write_string(legend_row, k, t("export.legend", self.lang), self.f["note"])

    def staff(self) -> None:
        ws = self.sheet("staff", landscape=True)
        k = len(self.lead_cols())
        cols = [*self.lead_cols(), "name", "department", "position", "structure_role", "rotation", "received", "independent"]
        rows = [
            [*self.lead(e), s.name, s.department, s.position, s.role, _dt(s.rotation), s.received, s.independent]
            for e in self.checklist.engagements
            for s in e.staff
        ]

        def style(r: int, c: int) -> str:
            return {k + 4: "date", k + 5: "num", k + 6: "num"}.get(c, "text")

        self.table(ws, cols, rows, styles=style)

    def warnings(self) -> None:
        ws = self.sheet("warnings", landscape=True)
        k = len(self.lead_cols())
        cols = [*self.lead_cols(), "severity", "warning", "action", "subject"]
        rows, levels = [], []
        for e in self.checklist.engagements:
            for w in e.warnings:
                rows.append([*self.lead(e), w.severity, w.message, w.action, w.subject])
                levels.append(f"sev_{w.severity_value}" if f"sev_{w.severity_value}" in self.f else "text")

        def style(r: int, c: int) -> str:
            return levels[r] if c == k else "text"

        end = self.table(ws, cols, rows, styles=style, caps={k + 1: 56, k + 2: 44, k + 3: 24})
        unevaluated = [e for e in self.checklist.engagements if not e.warnings_evaluated]
        if unevaluated:
            ws.write_string(end + 1, 0, t("export.not_evaluated", self.lang), self.f["note"])
        elif not rows:
            ws.write_string(end + 1, 0, t("export.no_warnings", self.lang), self.f["note"])

    def signoff(self) -> None:
        ws = self.sheet("signoff", landscape=False)
        widths = (18, 26, 16, 30)
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        row = 0
        breaks = []
        for e in self.checklist.engagements:
            if row:
                breaks.append(row)  # each engagement's sign-off on its own printed page
            ws.write_string(row, 0, e.title, self.f["subtitle"])
            ws.write_string(row + 1, 0, t("export.signoff.note", self.lang), self.f["note"])
            row += 3
            for c, key in enumerate(("role", "name", "date", "signature")):
                ws.write_string(row, c, t(f"export.col.signoff_{key}", self.lang), self.f["head"])
            row += 1
            for s in e.signoff:
                # Tall rows: room for a signature or a 印 stamp on the printed page.
                ws.set_row(row, 42)
                ws.write_string(row, 0, s.role, self.f["key"])
                self.write(ws, row, 1, s.name, self.f["sign"])
                ws.write_blank(row, 2, None, self.f["sign"])
                ws.write_blank(row, 3, None, self.f["sign"])
                row += 1
            row += 2
        if breaks:
            ws.set_h_pagebreaks(breaks)
        if not self.checklist.engagements:
            ws.write_string(0, 0, t("export.no_engagements", self.lang), self.f["note"])

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def _dt(d: Any) -> datetime | None:
    return datetime(d.year, d.month, d.day) if d else None


def render(checklist: Checklist, notices: list[str] | None = None) -> bytes:
    """The workbook; `notices` receives a message for each cell cut to Excel's limit."""
    book = _Book(checklist)
    book.summary()
    book.targets()
    book.checklist_sheet()
    book.staff()
    book.warnings()
    book.signoff()
    if notices is not None:
        notices.extend(book.cut)
    return book.close()

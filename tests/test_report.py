"""The 年度実績報告: figures derived from the record, with how; md and xlsx; the CLI."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from xtalent.cli import main
from xtalent.export.report_md import render as render_md
from xtalent.export.report_xlsx import render as render_xlsx
from xtalent.models import InterchangeDocument, LogEntry, LogKind
from xtalent.paths import demo_file
from xtalent.report import KEYS, build_report
from xtalent.store import Store

TODAY = date(2026, 11, 23)


def demo() -> InterchangeDocument:
    return InterchangeDocument.model_validate_json(demo_file().read_text(encoding="utf-8"))


def test_the_figures_come_from_the_record() -> None:
    doc = demo()
    r = build_report(doc.engagements, 2026, TODAY, "ja")
    assert r.title == "令和8年度 外部デジタル人材 実績報告"
    assert "令和8年11月23日 時点" in r.as_of_note
    # Only the engagements whose term reaches into the 年度 (the one closed in March 2026 is not).
    assert "en-2024-cdoh-sakuraba" not in [p.id for p in r.engagements]
    hayase = next(p for p in r.engagements if p.id == "en-2025-cdo-hayase")
    e = next(e for e in doc.engagements if e.id == "en-2025-cdo-hayase")
    log = [g for g in e.log if date(2026, 4, 1) <= g.on <= date(2027, 3, 31)]
    consultations = [g for g in log if g.kind is LogKind.CONSULTATION]
    assert hayase.numbers["logged_days"] == len({g.on for g in log})
    assert hayase.numbers["logged_hours"] == round(sum(g.minutes for g in log) / 60, 1)
    assert hayase.numbers["consultations"] == len(consultations)
    assert hayase.numbers["in_scope"] + hayase.numbers["out_of_scope"] == len(consultations)
    assert sum(n for _, n in hayase.departments) == len(consultations)
    assert hayase.numbers["contracted_days"] == 72  # 月6日 × 12か月
    assert all(f.how for f in hayase.figures)
    for total in r.totals:
        assert float(total.value) == pytest.approx(sum(p.numbers[total.key] for p in r.engagements), abs=0.05)
    # A log entry after the year end does not count.
    later = e.model_copy(update={"log": [*e.log, LogEntry(on=date(2027, 4, 2), minutes=60, from_department="X")]})
    again = build_report([later], 2026, TODAY, "ja").engagements[0]
    assert again.numbers["logged_days"] == hayase.numbers["logged_days"]


def test_markdown_and_xlsx() -> None:
    r = build_report(demo().engagements, 2026, TODAY, "ja")
    text = render_md(r).decode("utf-8")
    assert text.startswith("# 令和8年度 外部デジタル人材 実績報告")
    assert "## 合計" in text and "算出方法" in text and "早瀬 誠司" in text
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(r)))
    assert book.sheetnames[0] == "集計" and len(book.sheetnames) == 1 + len(r.engagements)
    summary = book["集計"]
    assert summary.page_setup.paperSize == 9 and summary.print_title_rows
    for ws in book.worksheets:  # every sheet printable: A4, fitted to the width, headings and page numbers on each page
        assert ws.page_setup.paperSize == 9 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0 and ws.print_title_rows
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        assert ws.oddHeader.left.text == r.title
    assert summary.page_setup.orientation == "landscape"
    total_row = [c.value for c in next(row for row in summary.iter_rows() if row[0].value == "合計")]
    assert total_row[2:2 + len(KEYS)] == [pytest.approx(float(f.value)) for f in r.totals]


def test_cli_accepts_the_wareki_year(tmp_path: Path, capsysbinary) -> None:
    db = tmp_path / "db"
    Store.open(db).import_document(demo())
    assert main(["--db", str(db), "report", "--fy", "令和8年度"], today=TODAY) == 0
    out = capsysbinary.readouterr().out.decode("utf-8")
    assert out.startswith("# 令和8年度 外部デジタル人材 実績報告")
    assert main(["--db", str(db), "--lang", "en", "report", "--fy", "2026", "--format", "xlsx", "-o", str(tmp_path / "r.xlsx")], today=TODAY) == 0
    assert openpyxl.load_workbook(tmp_path / "r.xlsx").sheetnames[0] == "Summary"
    assert main(["--db", str(db), "report", "--fy", "昭和10年"], today=TODAY) == 2


def test_the_extension_of_o_chooses_the_format_as_export_does(tmp_path: Path, capsys) -> None:
    # A first-time user's `report --fy 令和8年度 -o 実績報告.xlsx` wrote Markdown into the .xlsx
    # (LibreOffice: "source file could not be loaded").
    db = tmp_path / "db"
    Store.open(db).import_document(demo())
    assert main(["--db", str(db), "report", "--fy", "令和8年度", "-o", str(tmp_path / "実績報告.xlsx")], today=TODAY) == 0
    assert openpyxl.load_workbook(tmp_path / "実績報告.xlsx").sheetnames[0] == "集計"
    assert main(["--db", str(db), "report", "--fy", "R8", "-o", str(tmp_path / "r.markdown")], today=TODAY) == 0
    assert (tmp_path / "r.markdown").read_text(encoding="utf-8").startswith("# 令和8年度")
    # A folder: the derived name, Markdown as before.
    assert main(["--db", str(db), "report", "--fy", "2026", "-o", str(tmp_path)], today=TODAY) == 0
    assert (tmp_path / "実績報告_FY2026.md").read_text(encoding="utf-8").startswith("# 令和8年度")
    # An extension it cannot write: refused with the choices, nothing written.
    capsys.readouterr()
    assert main(["--db", str(db), "--lang", "en", "report", "--fy", "2026", "-o", str(tmp_path / "r.html")], today=TODAY) == 2
    err = capsys.readouterr().err
    assert "md, xlsx" in err and "html" in err and not (tmp_path / "r.html").exists()
    # --format still wins.
    assert main(["--db", str(db), "report", "--fy", "2026", "--format", "md", "-o", str(tmp_path / "plain.txt")], today=TODAY) == 0
    assert (tmp_path / "plain.txt").read_text(encoding="utf-8").startswith("# 令和8年度")


def test_the_summary_headings_break_before_their_parenthesis_and_fit_their_columns() -> None:
    # LibreOffice wrapped 活動日数（記録） by width and left "）" alone on the next line.
    from xtalent.textwidth import cell_len

    r = build_report(demo().engagements, 2026, TODAY, "ja")
    summary = openpyxl.load_workbook(io.BytesIO(render_xlsx(r)))["集計"]
    heads = {c.value: c.column for c in summary[4] if c.value}
    assert "活動日数\n（記録）" in heads and "自立以上の項目\n（年度初め）" in heads and "契約日数" in heads

    def width(column: int) -> float:  # xlsxwriter writes neighbours of one width as one range
        return next(d.width for d in summary.column_dimensions.values() if d.min <= column <= d.max)

    for text, column in heads.items():
        if "（" in text:
            assert all(cell_len(line) < width(column) for line in text.splitlines()), text
    english = openpyxl.load_workbook(io.BytesIO(render_xlsx(build_report(demo().engagements, 2026, TODAY, "en"))))["Summary"]
    assert "Days logged" in [c.value for c in english[4]]

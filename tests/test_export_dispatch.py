"""The 実施報告書 after each dispatch (issue 14): what a dispatch is, the record, and each format
parsed back; the CLI."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from test_export_data import HOSTILE

from xtalent.cli import main
from xtalent.dispatch import dispatches, is_dispatched
from xtalent.errors import XtalentError
from xtalent.export import default_filename, export_dispatch, export_record
from xtalent.export.dispatch import build
from xtalent.models import Engagement, InterchangeDocument, LogEntry, LogKind
from xtalent.paths import demo_file
from xtalent.store import Store

TODAY = date(2026, 11, 23)
KURODA = "en-2026-ria-kuroda"
GOLDEN = Path(__file__).parent / "golden"


def demo() -> InterchangeDocument:
    return InterchangeDocument.model_validate_json(demo_file().read_text(encoding="utf-8"))


def kuroda() -> Engagement:
    return next(e for e in demo().engagements if e.id == KURODA)


def two_on_one_day() -> Engagement:
    """The demo's advisor with a second consultation on 5/27 (online; hostile text) and that
    day's report filed for one entry only."""
    e = kuroda()
    extra = LogEntry(id="lg-extra", on=date(2026, 5, 27), kind=LogKind.CONSULTATION, from_department="税務課",
                     attendees=HOSTILE, topic="課税データの集計", advice="=SUM(A1)\n二行目の助言", next_steps="",
                     minutes=45, online=True, report_on=date(2026, 6, 1), target_id="tg-opendata")
    return e.model_copy(update={"log": [*e.log, extra]})


# ----- what a dispatch is -----------------------------------------------------------------


def test_a_dispatch_is_a_day_of_log_entries() -> None:
    e = two_on_one_day()
    found = dispatches(e)
    assert [d.on for d in found] == [date(2026, 4, 15), date(2026, 5, 27), date(2026, 6, 24)]
    may = found[1]
    assert [x.id for x in may.entries] == ["lg-kuroda-002", "lg-extra"]
    assert may.minutes == 150 + 45 and not may.online  # online only when every entry was
    assert may.report_on is None  # filed only once every entry of the day says so
    assert found[0].report_on == date(2026, 4, 20)
    assert is_dispatched(e) and not is_dispatched(next(x for x in demo().engagements if x.id == "en-2025-cdo-hayase"))


def test_the_record_holds_the_day_hours_advice_and_next_steps() -> None:
    [r] = build([two_on_one_day()], TODAY, "ja", on=date(2026, 5, 27))
    assert r.title == "実施報告書 — 黒田 智明（令和8年5月27日派遣）"
    assert r.header_value("date") == "令和8年5月27日"
    assert r.header_value("number") == "令和8年度 2回目"
    assert r.header_value("time") == "3.2時間"  # 195 minutes
    assert r.header_value("method") == "訪問（対面）"
    assert r.header_value("projects") == "庁内データ活用（EBPM）の推進（案）、オープンデータの公開拡大（案）"
    assert r.header_value("report_on") == "未提出（提出期限 令和8年6月3日）"  # 7 days after, the scheme's rule
    assert r.header_value("advisor") == "黒田 智明（株式会社みなせ総研 主席研究員）"
    assert [x.department for x in r.rows] == ["企画政策課", "税務課"]
    assert r.rows[0].advice.startswith("EBPMの考え方") and r.rows[0].next_steps.startswith("各課で使えそうな")
    assert [(s.key, s.name) for s in r.signatures] == [("advisor", "黒田 智明"), ("receiver", "原田 直樹")]


def test_not_a_dispatch_scheme_or_no_dispatch_that_day_is_refused() -> None:
    hayase = next(x for x in demo().engagements if x.id == "en-2025-cdo-hayase")
    with pytest.raises(XtalentError) as err:
        export_dispatch([hayase], "md", TODAY, "ja")
    assert err.value.key == "dispatch.error.not_dispatched" and "早瀬 誠司" in err.value.message("ja")
    with pytest.raises(XtalentError) as err:
        export_dispatch([kuroda()], "md", TODAY, "ja", on=date(2026, 5, 28))
    assert "2026-04-15、2026-05-27、2026-06-24" in err.value.message("ja")
    with pytest.raises(XtalentError):
        export_dispatch([kuroda()], "ics", TODAY, "ja")


# ----- the formats, parsed back ---------------------------------------------------------------


def test_csv_one_row_per_consultation() -> None:
    data = export_dispatch([two_on_one_day()], "csv", TODAY, "ja")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [(r["派遣日"], r["記録ID"]) for r in rows] == [
        ("2026-04-15", "lg-kuroda-001"), ("2026-05-27", "lg-kuroda-002"), ("2026-05-27", "lg-extra"), ("2026-06-24", "lg-kuroda-003")]
    extra = rows[2]
    assert extra["助言内容"] == "'=SUM(A1)\n二行目の助言"  # a formula stays text; the line break stays
    assert extra["相談者・出席者"].startswith("'") and extra["時間（分）"] == "45" and extra["オンライン"] == "はい"
    assert rows[0]["報告書の提出日"] == "2026-04-20" and rows[1]["報告書の提出日"] == ""
    for row in rows:
        assert not any(v.startswith(("=", "+", "-", "@")) for v in row.values())


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.sections: list[str] = []
        self.cols: dict[str, list[str]] = {}
        self.signers: list[str] = []
        self.scripts = 0
        self._col: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.scripts += tag == "script"
        if tag == "section":
            self.sections.append(a.get("data-date") or "")
        if a.get("data-signer"):
            self.signers.append(a["data-signer"] or "")
        if tag == "dd":
            self._col = a.get("data-col")
            if self._col:
                self.cols.setdefault(self._col, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "dd":
            self._col = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._col:
            self.cols[self._col][-1] += data


def test_html_one_section_per_dispatch() -> None:
    html = export_dispatch([two_on_one_day()], "html", TODAY, "ja").decode("utf-8")
    p = _Collect()
    p.feed(html)
    assert p.scripts == 0 and "<script>alert" not in html
    assert p.sections == ["2026-04-15", "2026-05-27", "2026-06-24"]
    assert p.signers == ["advisor", "receiver"] * 3
    assert len(p.cols["advice"]) == len(p.cols["next_steps"]) == 4
    assert p.cols["next_steps"][2] == "（記入なし）"  # the extra entry has none: said, not left blank
    text = "".join(p.text)
    for needle in ("実施報告書 — 黒田 智明（令和8年5月27日派遣）", "派遣先団体・担当部署", "令和8年度 2回目", "未提出（提出期限 令和8年6月3日）",
                   "報告者（アドバイザー）", "受領者（派遣先団体の担当者）", "印刷日 令和8年11月23日"):
        assert needle in text, needle
    assert "section.record + section.record { break-before: page; }" in html  # each dispatch on its own pages
    assert ".dispatch .pageline { position: static;" in html


def test_xlsx_one_sheet_per_dispatch_with_print_settings() -> None:
    data = export_dispatch([two_on_one_day()], "xlsx", TODAY, "ja")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["実施報告書 2026-04-15", "実施報告書 2026-05-27", "実施報告書 2026-06-24"]
    for ws in book.worksheets:
        assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows == "$1:$2"
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        assert ws.oddHeader.right.text == "印刷日 令和8年11月23日"
    cells = [str(c.value) for row in book["実施報告書 2026-05-27"].iter_rows() for c in row if c.value is not None]
    for needle in ("派遣日", "令和8年5月27日", "助言内容", "次回までの課題", "=SUM(A1)\n二行目の助言", HOSTILE, "原田 直樹"):
        assert needle in cells, needle
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not any("<f>" in z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_english_uses_iso_dates() -> None:
    text = export_dispatch([kuroda()], "md", TODAY, "en").decode("utf-8")
    assert "# Dispatch report — 黒田 智明, 2026-05-27" in text and "令和" not in text
    assert "| Report filed on | Not filed (due 2026-06-03) |" in text


def test_no_dispatch_yet() -> None:
    e = kuroda().model_copy(update={"log": []})
    for fmt in ("md", "html", "csv", "xlsx"):
        assert export_dispatch([e], fmt, TODAY, "ja")
    assert "この契約には派遣の記録がありません。" in export_dispatch([e], "md", TODAY, "ja").decode("utf-8")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_markdown_layout_matches_the_golden_file(lang: str) -> None:
    """The demo advisor's reports, whole (XTALENT_UPDATE_GOLDEN=1 rewrites the file, to be read
    before committing)."""
    text = export_record("dispatch", [kuroda()], "md", TODAY, lang).decode("utf-8")
    path = GOLDEN / f"dispatch_{lang}.md"
    if os.environ.get("XTALENT_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


# ----- the CLI ----------------------------------------------------------------------------


def test_cli_one_dispatch_or_all(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    db = tmp_path / "db"
    Store.open(db).import_document(demo())
    base = ["--db", str(db), "export", KURODA, "--record", "dispatch"]
    assert main([*base, "--date", "令和8年5月27日", "--format", "md"], today=TODAY) == 0
    out = capsysbinary.readouterr().out.decode("utf-8")
    assert out.count("# 実施報告書 — ") == 1 and "令和8年5月27日派遣" in out
    assert main([*base, "--format", "md"], today=TODAY) == 0
    assert capsysbinary.readouterr().out.decode("utf-8").count("# 実施報告書 — ") == 3
    folder = tmp_path / "out"
    folder.mkdir()
    assert main([*base, "--date", "2026-05-27", "--format", "xlsx", "-o", str(folder) + "/"], today=TODAY) == 0
    (written,) = folder.iterdir()
    assert written.name == default_filename(kuroda(), "xlsx", TODAY, "ja", record="dispatch", on=date(2026, 5, 27))
    assert written.name == "実施報告書_黒田_智明_20260527.xlsx"
    assert openpyxl.load_workbook(written).sheetnames == ["実施報告書 2026-05-27"]
    # --all: the dispatched engagements only.
    assert main(["--db", str(db), "export", "--all", "--record", "dispatch", "--format", "csv"], today=TODAY) == 0
    rows = list(csv.DictReader(io.StringIO(capsysbinary.readouterr().out.decode("utf-8-sig"))))
    assert {r["契約ID"] for r in rows} == {KURODA}
    # Refusals, each with its reason.
    assert main([*base, "--date", "2026-05-28", "--format", "md"], today=TODAY) == 2
    assert main([*base, "--date", "あした", "--format", "md"], today=TODAY) == 2
    assert main([*base, "--format", "ics"], today=TODAY) == 2
    assert main(["--db", str(db), "export", KURODA, "--date", "2026-05-27", "--format", "md"], today=TODAY) == 2
    assert main(["--db", str(db), "export", "en-2025-cdo-hayase", "--record", "dispatch", "--format", "md"], today=TODAY) == 2

"""The 事務引継書 (handover record): its data, its sign-off, and each format parsed back."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from test_export_data import HOSTILE, TODAY, make_engagement

from xtalent.cli import main
from xtalent.edits import EditRefused
from xtalent.export import default_filename, export_handover
from xtalent.export.handover import build_handover
from xtalent.lifecycle import sign_off
from xtalent.models import (
    ChangeTarget,
    ClosureOutcome,
    Engagement,
    Evidence,
    Handover,
    HandoverEquipment,
    HandoverFile,
    InterchangeDocument,
    Lifecycle,
    Signature,
    SupportPlan,
    TargetStatus,
)
from xtalent.paths import demo_file
from xtalent.store import Store

HANDOVER_DAY = date(2027, 3, 19)


def handover(**overrides: object) -> Handover:
    data: dict[str, object] = dict(
        on=HANDOVER_DAY,
        remarks="運用は安定しています。\n<script>alert(1)</script> は文字のまま",
        files=[HandoverFile(title="手順書（第2版）", location="共有/情報政策課/手順書", note=HOSTILE)],
        equipment=[
            HandoverEquipment(name="貸与PC MD-117", returned_on=date(2027, 3, 31)),
            HandoverEquipment(name="VPNアカウント", account=True),
        ],
        head=Signature(name="情報政策課長 田中 守"),
        hr=Signature(name="人事課 佐々木 智子"),
    )
    data.update(overrides)
    return Handover(**data)


def recorded(revision: int = 7) -> Engagement:
    e = make_engagement()
    targets = [*e.targets, ChangeTarget(id="tg-prop", title="提案だけの目標", status=TargetStatus.PROPOSED)]
    items = list(e.items)
    items[1] = items[1].model_copy(update={"evidence": [
        Evidence(on=date(2026, 6, 1), note="最初の証跡"), Evidence(on=date(2026, 9, 1), note="二つ目の証跡", link="共有/記録.pdf"),
    ]})
    return e.model_copy(update={"targets": targets, "items": items, "handover": handover(), "revision": revision})


def demo_closed() -> Engagement:
    doc = InterchangeDocument.model_validate_json(demo_file().read_text(encoding="utf-8"))
    return next(e for e in doc.engagements if e.closure is not None)


# ----- the data ----------------------------------------------------------------------------


def test_handover_is_kept_in_the_interchange_format_and_the_store(tmp_path: Path) -> None:
    e = recorded()
    again = Engagement.model_validate_json(e.model_dump_json())
    assert again.handover == e.handover
    assert e.model_dump(mode="json")["handover"]["equipment"][0]["returned_on"] == "2027-03-31"
    store = Store.open(tmp_path / "db")
    store.import_document(InterchangeDocument(engagements=[e]))
    assert store.find(e.id).handover == e.handover
    # Optional with a default: a record without it (every older file) still reads.
    plain = make_engagement().model_dump(mode="json")
    assert "handover" not in {k for k, v in plain.items() if v is not None}
    assert Engagement.model_validate({k: v for k, v in plain.items() if k != "handover"}).handover is None


def test_the_demo_closed_engagement_has_a_complete_record() -> None:
    e = demo_closed()
    assert e.handover is not None and e.handover.signed_on is not None
    r = build_handover(e, date(2026, 12, 1), "ja")
    assert r.remarks and r.files and r.equipment
    assert all(s.name and s.signed_on for s in r.signatures if s.key != "witness")


def test_sign_off_records_the_signatures_and_closes_the_engagement() -> None:
    e = make_engagement()
    plans = [SupportPlan(item_id=i.id, who="佐藤 花子", how="月1回の確認", until=date(2027, 9, 30)) for i in e.items if not i.transferred]
    signed = sign_off(e, handover(), HANDOVER_DAY, "人事課 佐々木 智子", support=plans)
    assert signed.closure is not None and signed.closure.on == HANDOVER_DAY
    assert signed.lifecycle(TODAY) is Lifecycle.CLOSED_OPEN  # items still open: 終了（未了あり）
    h = signed.handover
    assert h.signed_on == HANDOVER_DAY
    # Names the record holds fill in; every named signer gets the day; no 立会人 means none.
    assert (h.external.name, h.external.signed_on) == ("北村 彩", HANDOVER_DAY)
    assert (h.lead.name, h.head.signed_on, h.witness) == ("佐藤 花子", HANDOVER_DAY, None)


def test_sign_off_with_every_item_independent_completes() -> None:
    e = make_engagement()
    e = e.model_copy(update={"items": [i for i in e.items if i.transferred]})
    h = handover(external=Signature(name="北村 彩"), lead=Signature(name="佐藤 花子"), scan="/scans/引継書.pdf")
    signed = sign_off(e, h, HANDOVER_DAY, "人事課")
    assert signed.closure.outcome is ClosureOutcome.COMPLETED
    assert signed.lifecycle(TODAY) is Lifecycle.COMPLETED
    assert signed.handover.scan == "/scans/引継書.pdf"
    assert build_handover(signed, TODAY, "ja").signed_text.endswith("（署名済みの写し: /scans/引継書.pdf）")


def test_sign_off_needs_the_signers_names_and_the_open_items_plans() -> None:
    e = make_engagement()
    with pytest.raises(EditRefused) as refused:
        sign_off(e, handover(hr=Signature()), HANDOVER_DAY, "人事課")
    assert refused.value.key == "handover.error.missing_hr"
    with pytest.raises(EditRefused) as refused:
        sign_off(e, handover(), HANDOVER_DAY, "人事課")  # open items, no plans
    assert refused.value.key == "lifecycle.error.plan_missing"


def test_the_view_model_never_ticks_and_splits_agreed_from_proposed() -> None:
    r = build_handover(recorded(), TODAY, "ja")
    assert {x.box for x in r.rows} == {"☐"}
    assert [x.title for x in r.proposed_targets] == ["提案だけの目標"]
    assert "提案だけの目標" not in [x.title for x in r.agreed_targets]
    online = next(x for x in r.agreed_targets if x.title == "子育て申請のオンライン化")
    assert online.movement == "12% → 35.5% → 60%"
    # One line per item × receiver; an item nobody receives still has its line.
    e = recorded()
    assert len(r.rows) == sum(max(1, len(i.receivers)) for i in e.items)
    # All the evidence, oldest first, dated in 和暦.
    second = next(x for x in r.rows if x.item_id == e.items[1].id)
    assert second.evidence == ("令和8年6月1日 最初の証跡", "令和8年9月1日 二つ目の証跡 （共有/記録.pdf）")
    assert r.header_value("term") == "令和8年4月1日 〜 令和9年3月31日"
    assert r.header_value("fiscal_year") == "令和8年度"
    assert r.handover_date == "令和9年3月19日"
    names = {s.key: s.name for s in r.signatures}
    assert names == {"external": "北村 彩", "lead": "佐藤 花子", "head": "情報政策課長 田中 守", "hr": "人事課 佐々木 智子", "witness": ""}


# ----- each format, parsed back -----------------------------------------------------------


def test_markdown_record() -> None:
    text = export_handover([recorded()], "md", TODAY, "ja").decode("utf-8")
    assert text.startswith("# 事務引継書 — 北村 彩")
    for needle in ("## 合意した変革目標", "## 提案中の変革目標（未合意）", "## 未了事項と任期後の支援計画", "## 所見（外部人材）",
                   "## 引継書類・ファイル目録", "## 返却物品・アカウント", "## 署名", "引継年月日 | 令和9年3月19日",
                   "版 7", "印刷日 令和9年1月15日", "情報政策課長 田中 守", "立会人", "共有/情報政策課/手順書"):
        assert needle in text, needle
    assert "[x]" not in text and text.count("- [ ] ") == len(build_handover(recorded(), TODAY, "ja").rows)
    assert text.count("  - 確認者・確認日：＿") == len(build_handover(recorded(), TODAY, "ja").rows)
    assert "<script>" not in text and "\\<script\\>" in text
    assert "点" not in text  # no scores in the record


def test_csv_record() -> None:
    raw = export_handover([recorded()], "csv", TODAY, "ja")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    head, body = rows[0], rows[1:]
    assert head == ["契約ID", "版", "区分", "項目", "受け手・氏名", "段階・状態", "日付", "内容", "確認", "確認者・確認日"]
    assert {r[1] for r in body} == {"7"}
    assert all(r[8] == "" and r[9] == "" for r in body)  # the check and who-checked columns are never filled by the software
    sections = {r[2] for r in body}
    assert {"概要", "合意した変革目標", "提案中の変革目標（未合意）", "ノウハウ移転の現況（項目 × 受け手）", "未了事項と任期後の支援計画",
            "所見（外部人材）", "引継書類・ファイル目録", "返却物品・アカウント", "署名"} <= sections
    files = [r for r in body if r[2] == "引継書類・ファイル目録"]
    assert files[0][7] == "'" + HOSTILE  # formula-safe
    assert ["署名"] == list({r[2] for r in body if r[3] == "所属長"})
    assert any(r[3] == "所属長" and r[4] == "情報政策課長 田中 守" for r in body)
    evidence = next(r for r in body if r[2].startswith("ノウハウ") and "二つ目の証跡" in r[7])
    assert "最初の証跡" in evidence[7]


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.boxes: list[str] = []
        self.signers: list[str] = []
        self.in_box = False
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "span" and a.get("class") == "box":
            self.in_box = True
            self.boxes.append("")
        if a.get("data-signer"):
            self.signers.append(a["data-signer"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self.in_box = False

    def handle_data(self, data: str) -> None:
        if self.in_box:
            self.boxes[-1] += data
        self.text.append(data)


def test_html_record() -> None:
    html = export_handover([recorded()], "html", TODAY, "ja").decode("utf-8")
    p = _Collect()
    p.feed(html)
    text = "".join(p.text)
    assert p.scripts == 0 and "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    r = build_handover(recorded(), TODAY, "ja")
    assert len(p.boxes) == len(r.rows) + len(r.equipment) and set(p.boxes) == {""}  # empty boxes only
    # Who checked each line, and when: an empty cell per line, under its own heading.
    assert html.count('<td class="checked-by"></td>') == len(r.rows) and "<th>確認者・確認日</th>" in html
    assert p.signers == ["external", "lead", "head", "hr", "witness"]
    for needle in ("事務引継書 — 北村 彩", "引継年月日", "令和9年3月19日", "合意した変革目標", "提案だけの目標", "所見（外部人材）",
                   "貸与PC MD-117", "VPNアカウント", "情報政策課長 田中 守", "版 7", "印刷日 令和9年1月15日", "12% → 35.5% → 60%"):
        assert needle in text, needle
    # The title, revision and date on every printed page, and the page number.
    assert '<p class="pageline">事務引継書 — 北村 彩　版 7　印刷日 令和9年1月15日</p>' in html
    assert "position: fixed" in html and "counter(page)" in html and "thead { display: table-header-group; }" in html


def test_xlsx_record_and_its_print_settings() -> None:
    data = export_handover([recorded()], "xlsx", TODAY, "ja")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["事務引継書", "移転項目"]
    for ws in book.worksheets:
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.page_setup.orientation == "portrait"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        # fit to one page wide (1 is the OOXML default, which xlsxwriter leaves out), any number tall
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows
        footer = ws.oddFooter
        assert "&P" in footer.center.text and "&N" in footer.center.text
        assert footer.left.text == "版 7"
        assert ws.oddHeader.right.text == "印刷日 令和9年1月15日"
        assert ws["B2"].value is None and ws["A2"].value == "版 7　印刷日 令和9年1月15日"
    main_ws, items_ws = book.worksheets
    assert main_ws.print_title_rows == "$1:$2" and items_ws.print_title_rows == "$1:$4"
    cells = [str(c.value) for row in main_ws.iter_rows() for c in row if c.value is not None]
    for needle in ("引継年月日", "令和9年3月19日", "合意した変革目標", "提案中の変革目標（未合意）", "所見（外部人材）", "VPNアカウント",
                   "情報政策課長 田中 守", "人事課 佐々木 智子", "立会人", HOSTILE):
        assert any(needle in c for c in cells), needle
    r = build_handover(recorded(), TODAY, "ja")
    boxes = [row[0].value for row in items_ws.iter_rows(min_row=5)]
    assert boxes == ["☐"] * len(r.rows)
    assert items_ws.cell(row=4, column=7).value == "確認者・確認日"
    assert [row[6].value for row in items_ws.iter_rows(min_row=5)] == [None] * len(r.rows)  # written on paper
    # User text is never a formula.
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not any("<f>" in z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_english_record_uses_iso_dates() -> None:
    text = export_handover([recorded()], "md", TODAY, "en").decode("utf-8")
    assert "# Handover record — 北村 彩" in text
    assert "2027-03-19" in text and "Revision 7" in text and "Printed 2027-01-15" in text
    assert "令和" not in text
    assert "## Agreed change targets" in text and "## Proposed change targets (not agreed)" in text


# ----- the CLI ----------------------------------------------------------------------------


def test_cli_exports_the_record(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    db = tmp_path / "db"
    Store.open(db).import_document(InterchangeDocument(engagements=[recorded()]))
    assert main(["--db", str(db), "export", "en-kita", "--record", "handover", "--format", "md"], today=TODAY) == 0
    assert "事務引継書 — 北村 彩" in capsysbinary.readouterr().out.decode("utf-8")
    out = tmp_path / "out"
    out.mkdir()
    assert main(["--db", str(db), "export", "en-kita", "--record", "handover", "--format", "xlsx", "-o", str(out) + "/"], today=TODAY) == 0
    (written,) = out.iterdir()
    assert written.name == default_filename(recorded(), "xlsx", TODAY, "ja", record="handover")
    assert written.name.startswith("事務引継書_")
    assert openpyxl.load_workbook(written).sheetnames == ["事務引継書", "移転項目"]
    assert main(["--db", str(db), "export", "en-kita", "--record", "handover", "--format", "ics"], today=TODAY) == 2


def test_json_handover_block_is_plain_json() -> None:
    data = json.loads(recorded().model_dump_json())
    assert data["handover"]["head"] == {"name": "情報政策課長 田中 守", "signed_on": None}


# ----- the layout, as a golden file ---------------------------------------------------------

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_markdown_layout_matches_the_golden_file(lang: str) -> None:
    """The demo's signed record, whole: a change of layout shows as a diff here
    (XTALENT_UPDATE_GOLDEN=1 rewrites the file, to be read before committing)."""
    import os

    text = export_handover([demo_closed()], "md", date(2026, 12, 1), lang).decode("utf-8")
    path = GOLDEN / f"handover_{lang}.md"
    if os.environ.get("XTALENT_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_several_records_in_one_document() -> None:
    second = recorded().model_copy(update={"id": "en-two", "person": recorded().person.model_copy(update={"name": "二人目 太郎"})})
    book = openpyxl.load_workbook(io.BytesIO(export_handover([recorded(), second], "xlsx", TODAY, "ja")))
    assert book.sheetnames == ["事務引継書", "移転項目", "事務引継書 (2)", "移転項目 (2)"]
    html = export_handover([recorded(), second], "html", TODAY, "ja").decode("utf-8")
    assert html.count('<section class="record"') == 2 and "break-before: page" in html
    # Each record's title line closes it in the flow: a fixed line would print the last
    # record's on every page. One record alone keeps its line on every page.
    assert '<body class="one">' not in html and html.count('<p class="pageline">') == 2
    assert '<body class="one">' in export_handover([recorded()], "html", TODAY, "ja").decode("utf-8")
    rows = list(csv.reader(io.StringIO(export_handover([recorded(), second], "csv", TODAY, "ja").decode("utf-8-sig"), newline="")))
    assert {r[0] for r in rows[1:]} == {"en-kita", "en-two"}
    assert export_handover([], "xlsx", TODAY, "ja")[:2] == b"PK"  # nothing to export still makes a file


def test_sign_off_of_an_engagement_already_closed_keeps_its_closing() -> None:
    e = make_engagement()
    plans = [SupportPlan(item_id=i.id, who="佐藤 花子", how="月1回", until=date(2027, 9, 30)) for i in e.items if not i.transferred]
    from xtalent.lifecycle import close

    closed = close(e, date(2027, 3, 31), "人事課", plans)
    signed = sign_off(closed, handover(), date(2027, 4, 5), "人事課 別人")
    assert signed.closure == closed.closure  # the closing stands as recorded
    assert signed.handover.signed_on == date(2027, 4, 5) and signed.handover.on == HANDOVER_DAY


def test_the_overview_says_where_the_record_stands() -> None:
    from xtalent.views.engagement import handover_facts

    assert handover_facts(make_engagement(), "ja") == []
    (draft,) = handover_facts(recorded(), "ja")
    assert draft.label == "事務引継書" and "署名前（書類 1件、物品・アカウント 2件）" in draft.value
    (signed,) = handover_facts(demo_closed(), "en")
    assert signed.value.startswith("signed on 2026-03-19; signed copy: ")

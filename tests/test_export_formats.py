"""Every export format read back with a real parser: content, Japanese, boxes, hostile text."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import date, datetime, timedelta
from html.parser import HTMLParser

import openpyxl
import pytest
from icalendar import Calendar
from test_export_data import HOSTILE, TODAY, make_engagement, ticked_ids

from xtalent.export import export_checklist
from xtalent.interchange import loads_document
from xtalent.models import Stage


def _export(fmt: str, engagements=None, lang: str = "ja", **kw) -> bytes:
    return export_checklist(engagements or [make_engagement()], fmt, TODAY, lang, **kw)


# ----- csv ----------------------------------------------------------------------------------


def _csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_one_row_per_item_with_ticks_and_japanese() -> None:
    e = make_engagement()
    rows = _csv(_export("csv"))
    assert [r["項目ID"] for r in rows] == [i.id for i in e.items]
    assert {r["項目ID"] for r in rows if r["確認"] == "☑"} == ticked_ids(e)
    assert {r["確認"] for r in rows} == {"☑", "☐"}
    row = next(r for r in rows if r["項目ID"] == "kh-3")
    assert row["ノウハウ"] == "ノウハウ3: together の手順書"
    assert row["受け手（段階）"] == "佐藤 花子（協働）、鈴木 一郎（見学）"
    assert row["外部人材"] == "北村 彩" and row["期限"] == "2027-02-04"


def test_csv_neutralises_formula_cells() -> None:
    rows = _csv(_export("csv"))
    evil = next(r for r in rows if r["項目ID"] == "kh-evil")
    assert evil["ノウハウ"] == "'" + HOSTILE
    assert evil["受け手（段階）"].startswith("'=HYPERLINK")
    assert evil["最新の証跡"].startswith("'@SUM")
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_csv_english_headers() -> None:
    rows = _csv(_export("csv", lang="en"))
    assert rows[0]["Item id"] == "kh-0" and rows[0]["Stage"] == "Not started"


# ----- xlsx ---------------------------------------------------------------------------------


def _workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _table(ws) -> list[dict[str, object]]:
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, r)) for r in rows[1:] if any(v is not None for v in r)]


def test_xlsx_has_the_six_sheets_and_every_item_ticked_right() -> None:
    e = make_engagement()
    wb = _workbook(_export("xlsx"))
    assert wb.sheetnames == ["概要", "変革目標", "チェックリスト", "受入れ体制", "警告", "署名"]
    lines = [r for r in _table(wb["チェックリスト"]) if r.get("項目ID")]
    assert [r["項目ID"] for r in lines] == [i.id for i in e.items]
    assert {r["項目ID"] for r in lines if r["確認"] == "☑"} == ticked_ids(e)
    row = next(r for r in lines if r["項目ID"] == "kh-3")
    assert row["受け手（段階）"] == "佐藤 花子（協働）、鈴木 一郎（見学）"
    assert row["期限"] == datetime(2027, 2, 4)  # a real date cell, sortable in Excel
    summary = {r[0]: r[1] for r in wb["概要"].iter_rows(values_only=True) if r[0]}
    assert summary["年度"] == "令和8年度" and summary["外部人材"].startswith("北村 彩")
    targets = _table(wb["変革目標"])
    assert targets[0]["指標（基準値 → 目標値）"] == "オンライン申請率: 12% → 60%（現在 35.5%）"
    staff = _table(wb["受入れ体制"])
    assert [s["氏名"] for s in staff][0] == "佐藤 花子"
    warnings = _table(wb["警告"])
    assert warnings and all(w["警告"] and w["対応"] for w in warnings)
    signoff = [r for r in wb["署名"].iter_rows(values_only=True) if r[0]]
    assert ("外部人材", "北村 彩", None, None) in signoff


def test_xlsx_hostile_text_is_a_string_never_a_formula() -> None:
    data = _export("xlsx")
    wb = _workbook(data)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value == HOSTILE]
    assert len(cells) >= 2  # the item title and the staff name
    assert all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(re.search(rb"<f[ >]", z.read(n)) for n in sheets)


def test_xlsx_is_printable_on_a4_with_frozen_repeated_headers() -> None:
    wb = _workbook(_export("xlsx"))
    for ws in wb:
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        # One page wide (1 is the format's default, so it may be left out), any number tall.
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    checklist = wb["チェックリスト"]
    assert checklist.page_setup.orientation == "landscape"
    assert wb["署名"].page_setup.orientation == "portrait"
    assert checklist.freeze_panes == "A2"
    assert checklist.print_title_rows == "$1:$1"
    # Sized for Japanese: the item column is wider than its half-width-counted text would need.
    assert checklist.column_dimensions["B"].width >= 20
    assert checklist["B2"].alignment.wrap_text


def test_xlsx_is_deterministic_for_the_same_day() -> None:
    assert _export("xlsx") == _export("xlsx")


# ----- html ---------------------------------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.lines: dict[str, str] = {}
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "tr" and a.get("data-item"):
            self.lines[a["data-item"]] = a["data-ticked"]

    def handle_data(self, data):
        self.text.append(data)


def _page(data: bytes) -> _Page:
    page = _Page()
    page.feed(data.decode("utf-8"))
    page.close()
    return page


def test_html_every_item_with_its_box_and_japanese() -> None:
    e = make_engagement()
    page = _page(_export("html"))
    assert list(page.lines) == [i.id for i in e.items]
    assert {k for k, v in page.lines.items() if v == "true"} == ticked_ids(e)
    text = "".join(page.text)
    for needle in ("引継ぎチェックリスト", "佐藤 花子（協働）、鈴木 一郎（見学）", "令和8年度", "確認・署名", "人事課"):
        assert needle in text
    assert ("html", {"lang": "ja"}) in page.tags


def test_html_is_self_contained_and_escapes_user_text() -> None:
    data = _export("html")
    page = _page(data)
    tags = {tag for tag, _ in page.tags}
    assert "script" not in tags and "link" not in tags and "img" not in tags
    assert not any(k in ("src", "href") for _, attrs in page.tags for k in attrs)
    assert b"<script>alert" not in data and b"<b>" not in data
    text = "".join(page.text)
    assert HOSTILE in text and "<b>太字</b>" in text  # shown literally, as text
    assert b"@media print" in data and b"@page" in data and b"A4" in data


# ----- ics ----------------------------------------------------------------------------------


def _events(data: bytes):
    return [c for c in Calendar.from_ical(data).walk("VEVENT")]


def test_ics_term_end_and_every_due_date_with_reminders() -> None:
    e = make_engagement()
    events = {str(ev["UID"]): ev for ev in _events(_export("ics"))}
    due = [i for i in e.items if i.due]
    assert len(events) == 1 + len(due)
    term = events["xtalent-en-kita-term-end@xtalent"]
    assert term.decoded("DTSTART") == date(2027, 3, 31)
    assert "北村 彩" in str(term["SUMMARY"])
    for item in due:
        ev = events[f"xtalent-en-kita-{item.id}-due@xtalent"]
        assert ev.decoded("DTSTART") == item.due
        assert item.title in str(ev["SUMMARY"])
        alarms = ev.walk("VALARM")
        # Handed-over items keep their event (re-import updates it) without a reminder.
        assert len(alarms) == (0 if item.stage.rank >= Stage.INDEPENDENT.rank else 1)
    [alarm] = term.walk("VALARM")
    assert alarm.decoded("TRIGGER") == timedelta(days=-14, hours=9)
    assert term.decoded("DTSTAMP") == datetime(2027, 1, 15, tzinfo=term.decoded("DTSTAMP").tzinfo)


def test_ics_reminder_days_are_configurable() -> None:
    events = _events(_export("ics", reminder_days=30))
    assert {ev.walk("VALARM")[0].decoded("TRIGGER") for ev in events if ev.walk("VALARM")} == {timedelta(days=-30, hours=9)}


def test_ics_uids_are_stable_across_exports_and_edits() -> None:
    first = [str(ev["UID"]) for ev in _events(_export("ics"))]
    e = make_engagement()
    e.items[0].title = "改名した手順書"
    e.revision += 1
    later = _events(export_checklist([e], "ics", TODAY + timedelta(days=10), "ja"))
    assert [str(ev["UID"]) for ev in later] == first
    assert len(set(first)) == len(first)
    assert all(int(ev["SEQUENCE"]) == 4 for ev in later)  # higher sequence: calendars update


# ----- md and json --------------------------------------------------------------------------


def test_md_boxes_ticked_exactly_for_transferred_items() -> None:
    e = make_engagement()
    text = _export("md").decode("utf-8")
    boxes = re.findall(r"^- \[( |x)\] \*\*(.+?)\*\*", text, flags=re.M)
    assert len(boxes) == len(e.items)
    titles = {i.title.replace("_", r"\_"): i.id for i in e.items}
    assert {titles[t] for mark, t in boxes if mark == "x" and t in titles} == ticked_ids(e)
    assert "## 確認・署名" in text and "令和8年度" in text
    assert r"\<b\>太字\</b\>" in text  # raw HTML in a note is shown, not rendered


def test_json_is_the_lossless_interchange_document() -> None:
    e = make_engagement()
    document = loads_document(_export("json").decode("utf-8"))
    assert document.engagements == [e]
    assert json.loads(_export("json"))["exported_at"] == "2027-01-15"


# ----- --all --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "csv", "xlsx", "html", "ics", "json"])
def test_all_engagements_in_one_document(fmt: str) -> None:
    a, b = make_engagement("en-a", "北村 彩"), make_engagement("en-b", "南 大地")
    data = export_checklist([a, b], fmt, TODAY, "ja")
    if fmt == "xlsx":
        wb = _workbook(data)
        lines = [r for r in _table(wb["チェックリスト"]) if r.get("項目ID")]
        assert [r["契約"] for r in lines] == ["北村 彩"] * len(a.items) + ["南 大地"] * len(b.items)
    elif fmt == "csv":
        assert {r["契約ID"] for r in _csv(data)} == {"en-a", "en-b"}
    elif fmt == "html":
        page = _page(data)
        assert [a_.get("data-engagement") for t_, a_ in page.tags if t_ == "section"] == ["en-a", "en-b"]
    elif fmt == "ics":
        uids = {str(ev["UID"]) for ev in _events(data)}
        assert "xtalent-en-a-term-end@xtalent" in uids and "xtalent-en-b-term-end@xtalent" in uids
    elif fmt == "json":
        assert [x.id for x in loads_document(data.decode()).engagements] == ["en-a", "en-b"]
    else:
        text = data.decode()
        assert "北村 彩" in text and "南 大地" in text and "全契約 2 件" in text


@pytest.mark.parametrize("fmt", ["md", "csv", "xlsx", "html", "ics"])
def test_no_engagements_still_makes_a_valid_file(fmt: str) -> None:
    assert export_checklist([], fmt, TODAY, "en")

"""The checklist's wording in a record people sign: no invented points, reminders that say
"before", calendar titles folded where a reader would break them."""

from __future__ import annotations

import re
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar
from test_export_data import TODAY, make_engagement

from xtalent.export import export_checklist
from xtalent.export.ics import FOLD_OCTETS, fold

POINTS = re.compile(r"\d+(\.\d+)?\s*(点|pts\b)")  # "26.2点", "26.2 pts" (not CSS "10.5pt")


def test_no_points_in_any_readable_format() -> None:
    e = make_engagement()
    for lang in ("ja", "en"):
        for fmt in ("md", "csv", "html"):
            text = export_checklist([e], fmt, TODAY, lang).decode("utf-8-sig")
            assert not POINTS.search(text), (fmt, lang, POINTS.search(text))
    from io import BytesIO

    import openpyxl

    book = openpyxl.load_workbook(BytesIO(export_checklist([e], "xlsx", TODAY, "ja")))
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if POINTS.search(c)]
    # The breakdown stays, as facts of the record: how many items reached 自立, and so on.
    assert any("「自立」以上に達したノウハウ" in c for c in cells)


def _alarm_texts(data: bytes) -> list[str]:
    return [str(a["DESCRIPTION"]) for a in Calendar.from_ical(data).walk("VALARM")]


def test_ics_reminder_says_before_and_names_the_day() -> None:
    e = make_engagement()
    texts = _alarm_texts(export_checklist([e], "ics", TODAY, "ja", reminder_days=14))
    assert texts and all(x.startswith("14日前のお知らせ: ") for x in texts)
    assert not [x for x in texts if "日後" in x]
    assert any(x.endswith(f"（{e.term_end.isoformat()}）") for x in texts)
    english = _alarm_texts(export_checklist([e], "ics", TODAY, "en", reminder_days=7))
    assert all(x.startswith("Reminder, 7 days before: ") for x in english)
    same_day = _alarm_texts(export_checklist([e], "ics", TODAY, "ja", reminder_days=0))
    assert all(x.startswith("当日のお知らせ: ") for x in same_day)
    [term] = [ev for ev in Calendar.from_ical(export_checklist([e], "ics", TODAY, "ja", reminder_days=14)).walk("VEVENT")
              if "term-end" in str(ev["UID"])]
    assert term.walk("VALARM")[0].decoded("TRIGGER") == timedelta(days=-14, hours=9)


def test_ics_title_is_folded_outside_brackets() -> None:
    e = make_engagement()
    e.role_note = "地域情報化アドバイザー（総務省派遣）"
    data = export_checklist([e], "ics", TODAY, "ja")
    raw = data.decode("utf-8")
    start = raw.index("SUMMARY:任期終了")
    physical = raw[start:].split("\r\n")
    summary = [physical[0]] + [p for p in _continuations(physical[1:])]
    assert summary[0].endswith("北村 彩"), summary  # the break comes before the bracket, not inside it
    assert summary[1].startswith(" （")
    # Unfolded, the title is whole.
    [term] = [ev for ev in Calendar.from_ical(data).walk("VEVENT") if "term-end" in str(ev["UID"])]
    assert str(term["SUMMARY"]) == "任期終了: 北村 彩（CDO補佐官 地域情報化アドバイザー（総務省派遣））"
    assert all(len(line.encode("utf-8")) <= FOLD_OCTETS for line in raw.split("\r\n"))


def _continuations(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        if not line.startswith(" "):
            break
        out.append(line)
    return out


@given(st.text(alphabet=st.sampled_from("あア漢a1 ：:、（）()「」\\n"), max_size=120))
def test_fold_keeps_the_text_and_the_line_limit(text: str) -> None:
    line = "SUMMARY:" + text
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= FOLD_OCTETS for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert parts[0] + "".join(p[1:] for p in parts[1:]) == line


def test_no_points_when_nothing_is_transferred_yet() -> None:
    # The readiness cap's line said "移転済みのノウハウがないため上限20点" in every format
    # (the demo's 石黒, 大河内, 藤堂, 望月): a score in the filed record.
    from xtalent.models import InterchangeDocument
    from xtalent.paths import demo_file

    doc = InterchangeDocument.model_validate_json(demo_file().read_text(encoding="utf-8"))
    e = next(x for x in doc.engagements if x.id == "en-2026-cdoh-ishiguro")
    assert not any(i.transferred for i in e.items)
    for lang, says in (("ja", "移転済みのノウハウがないため準備度は20/100まで"), ("en", "nothing transferred yet: readiness at most 20/100")):
        for fmt in ("md", "csv", "html"):
            text = export_checklist([e], fmt, TODAY, lang).decode("utf-8-sig")
            assert fmt == "csv" or says in text, (fmt, lang)  # the CSV has no readiness lines
            assert not POINTS.search(text) and "points" not in text, (fmt, lang)

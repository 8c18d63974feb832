"""Exports of hostile or outsized text: an iCalendar a name cannot add properties to (also
under `python -O`), and an Excel cell over Excel's limit cut visibly and reported, never silently."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from test_store_support import engagement_data, open_store, run_cli
from xtalent.export.xlsx import CELL_LIMIT
from xtalent.models import Engagement

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "望月\r\nDTSTART:19700101\r\nX-EVIL:1\rATTENDEE:mailto:x@example.com\n\x00\x1b[2J\x7f\x85\x9b"


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    root = tmp_path / "db"
    data = engagement_data("en-evil")
    data["person"]["name"] = HOSTILE
    data["organisation"] = "市\r\nEND:VCALENDAR"
    data["items"][0]["title"] = "項目\nBEGIN:VEVENT"
    data["staff"][0]["name"] = "田中\r\nX-EVIL:2"
    open_store(root).save(Engagement.model_validate(data))
    return root


def _check_ics(raw: bytes) -> None:
    from icalendar import Calendar

    # Every line ends CRLF; nothing but tab among the control characters inside a line.
    assert not re.search(rb"\r(?!\n)|(?<!\r)\n", raw)
    for line in raw.split(b"\r\n"):
        assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", line), line
        assert "\x85\x9b" not in line.decode("utf-8")
    names = [line.split(b":")[0].split(b";")[0] for line in raw.split(b"\r\n") if line and not line.startswith(b" ")]
    assert b"X-EVIL" not in names and b"ATTENDEE" not in names
    assert names.count(b"BEGIN") == names.count(b"END")
    assert names.count(b"DTSTART") == 2  # the term end and the one due date: none from a name
    cal = Calendar.from_ical(raw)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 2
    # The text is kept (escaped, not dropped): the name's words are all still there.
    summary = str(events[0]["SUMMARY"])
    assert "望月" in summary and "DTSTART:19700101" in summary and "\n" in summary
    assert "\ufffd" in summary  # the control characters, visibly replaced


def test_a_name_with_line_breaks_and_controls_cannot_break_or_extend_the_calendar(hostile_db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "x.ics"
    code, _, err = run_cli(capsys, "--db", str(hostile_db), "export", "en-evil", "--format", "ics", "-o", str(out), lang="en")
    assert code == 0, err
    _check_ics(out.read_bytes())


def test_the_same_holds_under_python_dash_O(hostile_db: Path, tmp_path: Path) -> None:
    # icalendar guards unescaped newlines with `assert`, which -O removes.
    out = tmp_path / "o.ics"
    code = (
        "import sys; from datetime import date; from xtalent.cli import main; "
        f"sys.exit(main(['--db', {str(hostile_db)!r}, 'export', 'en-evil', '--format', 'ics', '-o', {str(out)!r}], today=date(2026, 6, 1)))"
    )
    result = subprocess.run([sys.executable, "-O", "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    _check_ics(out.read_bytes())


def test_ics_escaping_holds_for_any_text() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from xtalent.export.checklist import build
    from xtalent.export.ics import render

    @settings(max_examples=150, deadline=None, derandomize=True)
    @given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=60))
    def check(name: str) -> None:
        data = engagement_data("en-x")
        data["person"]["name"] = name if name.strip() else "x"
        data["items"][0]["title"] = name if name.strip() else "x"
        try:
            engagement = Engagement.model_validate(data)
        except Exception:
            return  # not a storable name (too long once stripped, …)
        raw = render(build([engagement], __import__("datetime").date(2026, 6, 1), "ja", None))
        assert not re.search(rb"\r(?!\n)|(?<!\r)\n", raw)
        names = [line.split(b":")[0].split(b";")[0] for line in raw.split(b"\r\n") if line and not line.startswith(b" ")]
        assert names.count(b"DTSTART") == 2 and names.count(b"BEGIN") == names.count(b"END") == 5  # calendar, 2 events, 2 alarms

    check()


# ----- xlsx: a cell over 32,767 characters ------------------------------------------------------


def test_a_cell_over_excels_limit_is_cut_visibly_and_reported(tmp_path: Path, capsys) -> None:
    import openpyxl

    root = tmp_path / "db"
    data = engagement_data("en-many")
    # 200 receivers of one item, each with a long name: the item's receivers cell is ~40,000 characters.
    data["staff"] = [{"id": f"st-{n}", "name": f"{n:03d}" + "受" * 190} for n in range(200)]
    data["targets"][0]["staff_ids"] = []
    data["items"][0]["receivers"] = [{"staff_id": f"st-{n}", "stage": "together"} for n in range(200)]
    open_store(root).save(Engagement.model_validate(data))
    out = tmp_path / "x.xlsx"
    code, _, err = run_cli(capsys, "--db", str(root), "export", "en-many", "--format", "xlsx", "-o", str(out), lang="en")
    assert code == 0, err
    assert "32,767" in err and "cut" in err
    cell = re.search(r"cell (\S+) of sheet (.+?) holds (\d+) characters", err)
    assert cell, err
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    value = book[cell.group(2)][cell.group(1)].value
    assert len(value.encode("utf-16-le")) // 2 <= CELL_LIMIT
    assert value.endswith("export JSON or Markdown for all of it]")
    assert int(cell.group(3)) > CELL_LIMIT
    assert value.startswith("000" + "受" * 190)  # the start is kept as written


def test_an_astral_character_at_the_cut_is_never_split() -> None:
    from xtalent.export.xlsx import _cut

    text = "😀" * 20_000  # two UTF-16 units each
    cut = _cut(text, "[cut]")
    assert len(cut.encode("utf-16-le")) // 2 <= CELL_LIMIT and cut.endswith("[cut]")
    cut.encode("utf-8")  # no lone surrogate


def test_a_cell_within_the_limit_is_written_whole(tmp_path: Path, capsys) -> None:
    import openpyxl

    root = tmp_path / "db"
    data = engagement_data("en-ok")
    data["notes"] = "メ" * 2000
    open_store(root).save(Engagement.model_validate(data))
    out = tmp_path / "ok.xlsx"
    code, _, err = run_cli(capsys, "--db", str(root), "export", "en-ok", "--format", "xlsx", "-o", str(out), lang="en")
    assert code == 0 and "cut" not in err
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert not any("32,767" in str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value)

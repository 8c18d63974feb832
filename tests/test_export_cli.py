"""`xtalent export`: where files go, what is refused, and the exit codes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from test_export_data import TODAY, make_engagement

from xtalent.cli import main
from xtalent.export import default_filename
from xtalent.interchange import loads_document
from xtalent.models import InterchangeDocument
from xtalent.store import Store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    root = tmp_path / "db"
    engagements = [make_engagement(), make_engagement("en-evil", "../../etc/x"), make_engagement("en-con", "CON")]
    Store.open(root).import_document(InterchangeDocument(engagements=engagements))
    return root


def run(db: Path, *args: str) -> int:
    try:
        return main(["--db", str(db), *args], today=TODAY)
    except SystemExit as exc:  # argparse's own usage errors
        return int(exc.code or 0)


def test_text_formats_go_to_stdout(db: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert run(db, "export", "en-kita", "--format", "csv") == 0
    out = capsysbinary.readouterr().out
    rows = list(csv.reader(io.StringIO(out.decode("utf-8-sig"), newline="")))
    assert len(rows) == 1 + len(make_engagement().items)
    assert run(db, "--lang", "en", "export", "en-kita", "--format", "md") == 0
    assert capsysbinary.readouterr().out.decode().startswith("# Handover checklist — 北村 彩")


def test_json_keeps_exporting_everything_without_a_target(db: Path, capsysbinary) -> None:
    assert run(db, "export") == 0
    document = loads_document(capsysbinary.readouterr().out.decode())
    assert {e.id for e in document.engagements} == {"en-kita", "en-evil", "en-con"}


def test_folder_gets_a_derived_sanitised_name_inside_it(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    (folder / "etc").mkdir(parents=True)
    assert run(db, "export", "en-evil", "--format", "html", "-o", str(folder)) == 0
    written = [p for p in folder.rglob("*") if p.is_file()]
    assert len(written) == 1 and written[0].parent == folder
    assert written[0].name == "引継ぎチェックリスト_etc_x_20270115.html"
    assert not (tmp_path / "etc").exists()
    assert run(db, "export", "en-con", "--format", "md", "-o", str(folder)) == 0
    names = sorted(p.name for p in folder.iterdir() if p.is_file())
    assert "引継ぎチェックリスト_CON_20270115.md" in names  # CON only as a whole stem is reserved


def test_existing_file_is_refused_without_force(db: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "list.xlsx"
    target.write_bytes(b"keep me")
    assert run(db, "export", "en-kita", "--format", "xlsx", "-o", str(target)) == 2
    assert target.read_bytes() == b"keep me"
    assert "--force" in capsys.readouterr().err
    assert run(db, "export", "en-kita", "--format", "xlsx", "-o", str(target), "--force") == 0
    wb = openpyxl.load_workbook(target)
    assert "チェックリスト" in wb.sheetnames


def test_xlsx_without_output_goes_to_the_current_folder(db: Path, tmp_path: Path, monkeypatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert run(db, "export", "en-kita", "--format", "xlsx") == 0
    name = default_filename(make_engagement(), "xlsx", TODAY, "ja")
    assert (work / name).is_file()
    assert run(db, "export", "en-kita", "--format", "xlsx") == 2  # not again without --force
    assert run(db, "export", "--all", "--format", "xlsx") == 0
    assert (work / default_filename(None, "xlsx", TODAY, "ja")).is_file()


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--format", "md"],  # no engagement and no --all
        ["export", "en-kita", "--all", "--format", "md"],
        ["export", "nobody", "--format", "md"],
        ["export", "en-kita", "--format", "pdf"],
        ["export", "en-kita", "--format", "ics", "--reminder-days", "-3"],
        ["export", "en-kita", "--format", "md", "-o", "/nonexistent-folder/x.md"],
    ],
)
def test_bad_input_exits_2(db: Path, args: list[str], capsys) -> None:
    assert run(db, *args) == 2
    assert capsys.readouterr().err.strip()


def test_reminder_days_from_the_settings_file(db: Path, tmp_path: Path, capsysbinary) -> None:
    config = tmp_path / "settings.toml"
    config.write_text("[export]\nreminder_days = 7\n", encoding="utf-8")
    assert main(["--db", str(db), "--config", str(config), "export", "en-kita", "--format", "ics"], today=TODAY) == 0
    assert b"TRIGGER:-P6DT15H" in capsysbinary.readouterr().out


@pytest.mark.parametrize("value", ["true", '"7"', "-1", "366"])
def test_a_bad_reminder_days_in_the_settings_file_names_the_file_and_key(
    db: Path, tmp_path: Path, value: str, capsys
) -> None:
    config = tmp_path / "settings.toml"
    config.write_text(f"[export]\nreminder_days = {value}\n", encoding="utf-8")
    assert main(["--db", str(db), "--config", str(config), "export", "en-kita", "--format", "ics"], today=TODAY) == 2
    err = capsys.readouterr().err
    assert str(config) in err and "export.reminder_days" in err


# ----- the format: given, from -o's extension, or json; as the README says ---------------------
def test_without_format_the_extension_of_o_decides_else_json(db: Path, tmp_path: Path, capsysbinary) -> None:
    assert run(db, "export", "en-kita", "-o", str(tmp_path / "引継ぎ.xlsx")) == 0
    assert (tmp_path / "引継ぎ.xlsx").read_bytes()[:2] == b"PK"
    assert run(db, "export", "en-kita", "-o", str(tmp_path / "引継ぎ.MD")) == 0
    assert (tmp_path / "引継ぎ.MD").read_text(encoding="utf-8").startswith("# 引継ぎチェックリスト")
    assert run(db, "export", "en-kita", "--record", "handover", "-o", str(tmp_path / "事務引継書.html")) == 0
    assert "<html" in (tmp_path / "事務引継書.html").read_text(encoding="utf-8")
    capsysbinary.readouterr()
    assert run(db, "export", "en-kita") == 0  # no -o: the interchange JSON on stdout
    assert [e.id for e in loads_document(capsysbinary.readouterr().out.decode()).engagements] == ["en-kita"]
    assert run(db, "export", "en-kita", "--format", "csv", "-o", str(tmp_path / "x.md")) == 0  # given wins
    assert (tmp_path / "x.md").read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_handover_record_without_a_format_asks_for_one(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db, "export", "en-kita", "--record", "handover") == 2
    err = capsys.readouterr().err
    assert "--format" in err and "md, csv, xlsx, html" in err


def test_the_readme_shows_format_as_optional_and_says_what_it_defaults_to() -> None:
    root = Path(__file__).resolve().parent.parent
    for readme in ("README.md", "README.ja.md"):
        rows = [line for line in (root / readme).read_text(encoding="utf-8").splitlines()
                if line.startswith("| `xtalent export [ENGAGEMENT") or line.startswith("| `xtalent export ENGAGEMENT")]
        assert len(rows) == 3, readme  # the checklist, the handover record, the dispatch report
        assert all("[--format " in row and "-o" in row for row in rows), rows
        assert all("] --format" not in row for row in rows), rows  # never as required
        assert "-o" in rows[0].split("` |")[1] and "JSON" in rows[0].split("` |")[1], rows[0]  # says what decides


def test_the_documented_exported_at_is_what_export_prints(db: Path, capsysbinary) -> None:
    """docs/data-format.md (linked from the README) shows the document's head as the command
    writes it with --today 2026-11-23: parsed from the doc, compared with a real run."""
    import json
    import re

    root = Path(__file__).resolve().parent.parent
    doc = (root / "docs" / "data-format.md").read_text(encoding="utf-8")
    block = doc.split("```json", 1)[1].split("```", 1)[0]
    head = json.loads(re.match(r'\s*(\{"format".*?"exported_at": "[^"]*")', block, re.S).group(1) + "}")
    assert "--today 2026-11-23 export --format json" in doc
    assert main(["--db", str(db), "--today", "2026-11-23", "export", "--format", "json"]) == 0
    printed = json.loads(capsysbinary.readouterr().out.decode())
    assert {k: printed[k] for k in head} == head

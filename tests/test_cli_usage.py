"""The CLI as people type it: loose lookup, export folders, every import problem at once,
argparse and JSON errors in Japanese, `check` within the terminal, restore by number."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from test_store_support import engagement, engagement_data, open_store, run_cli, tree_bytes

from xtalent.cli import main, translate_argparse_error
from xtalent.cli.backup import backup_name
from xtalent.views.text import wrap as wrap_cells
from xtalent.errors import XtalentError
from xtalent.lookup import candidates, normalise
from xtalent.store import StoreError
from xtalent.textwidth import cell_width


cli = run_cli


@pytest.fixture
def db(tmp_path: Path) -> Path:
    root = tmp_path / "db"
    store = open_store(root)
    people = [
        ("en-2025-kigyo-miyoshi", "三好 沙也加", "みよし さやか"),
        ("en-2025-adv-okochi", "大河内 健", "おおこうち けん"),
        ("en-2026-adv-miyoshi", "三好 健太", "ミヨシ ケンタ"),
        ("en-2026-cdo-smith", "John Smith", ""),
    ]
    for engagement_id, name, kana in people:
        store.save(engagement(engagement_id, person={"name": name, "name_kana": kana}))
    return root


# ----- an engagement by id, id prefix or name typed loosely ----------------------------------


def test_normalise_ignores_spaces_case_width_and_kana_script() -> None:
    assert normalise("三好　沙也加") == normalise("三好沙也加") == normalise(" 三好 沙也加 ")
    assert normalise("みよし") == normalise("ミヨシ") == normalise("ﾐﾖｼ")
    assert normalise("ＪＯＨＮ smith") == normalise("john  Smith")


@pytest.mark.parametrize(
    "query",
    ["en-2025-kigyo-miyoshi", "en-2025-k", "EN-2025-KIGYO-MIYOSHI", "三好 沙也加", "三好沙也加", "三好　沙也加",
     "沙也加", "みよしさやか", "さやか", "サヤカ", "ﾐﾖｼ ｻﾔｶ"],
)
def test_find_accepts_what_people_type(db: Path, query: str) -> None:
    assert open_store(db).find(query).id == "en-2025-kigyo-miyoshi"


@pytest.mark.parametrize(("query", "expected"), [("大河内", "en-2025-adv-okochi"), ("smith", "en-2026-cdo-smith"),
                                                 ("けんた", "en-2026-adv-miyoshi"), ("en-2026-c", "en-2026-cdo-smith")])
def test_a_unique_part_is_enough(db: Path, query: str, expected: str) -> None:
    assert open_store(db).find(query).id == expected


def test_a_whole_name_wins_over_a_part(db: Path) -> None:
    store = open_store(db)
    store.save(engagement("en-2027-ken", person={"name": "健"}))
    assert store.find("健").id == "en-2027-ken"  # also part of 大河内 健 and 三好 健太


def test_several_matches_list_the_candidates_and_suggest_list(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(StoreError) as err:
        open_store(db).find("三好")
    assert err.value.key == "store.ambiguous_engagement"
    code, out, stderr = cli(capsys, "--db", str(db), "export", "三好", "--format", "md")
    assert code == 2 and out == ""
    assert "2 件" in stderr and "xtalent list" in stderr
    assert "en-2025-kigyo-miyoshi  三好 沙也加" in stderr and "en-2026-adv-miyoshi    三好 健太" in stderr
    assert "大河内" not in stderr


def test_no_match_suggests_list(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "--db", str(db), "check", "山田")
    assert code == 2 and "「山田」が見つかりません" in err and "xtalent list" in err
    code, _, err = cli(capsys, "--db", str(db), "export", "   ", "--format", "md", lang="en")
    assert code == 2 and "xtalent list" in err


def test_export_and_check_take_a_surname(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "--db", str(db), "export", "大河内", "--format", "md")
    assert code == 0 and "大河内 健" in out
    code, out, _ = cli(capsys, "--db", str(db), "--today", "2026-06-01", "check", "おおこうち")
    assert code in (0, 1) and "en-2025-adv-okochi" in out and "三好" not in out


def test_candidates_never_match_an_empty_query() -> None:
    assert candidates([engagement()], "　 ") == []


# ----- -o with a folder ---------------------------------------------------------------------


def test_a_trailing_slash_means_a_folder_that_must_exist(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "ncx"
    code, _, err = cli(capsys, "--db", str(db), "export", "--all", "--format", "xlsx", "-o", f"{folder}/")
    assert code == 2 and f"{folder}{os.sep}" in err and "フォルダ" in err
    assert not folder.exists() and not (tmp_path / "ncx").exists()


def test_a_trailing_slash_on_a_file_is_refused(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    existing = tmp_path / "a-file"
    existing.write_text("keep")
    code, _, err = cli(capsys, "--db", str(db), "export", "--all", "--format", "md", "-o", f"{existing}/", lang="en")
    assert code == 2 and "is not a folder" in err and existing.read_text() == "keep"


def test_an_existing_folder_gets_the_derived_name_with_its_extension(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    code, _, err = cli(capsys, "--db", str(db), "export", "--all", "--format", "xlsx", "-o", f"{folder}/")
    assert code == 0, err
    (written,) = folder.iterdir()
    assert written.suffix == ".xlsx" and str(written) in err


def test_a_missing_parent_folder_is_named(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "nope" / "list.md"
    code, _, err = cli(capsys, "--db", str(db), "export", "--all", "--format", "md", "-o", str(target), lang="en")
    assert code == 2 and f"{tmp_path / 'nope'}{os.sep}" in err and "list.md" in err and "does not exist" in err
    assert not (tmp_path / "nope").exists()


def test_a_file_path_without_extension_is_used_as_typed(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "handover"
    code, _, _ = cli(capsys, "--db", str(db), "export", "--all", "--format", "md", "-o", str(target))
    assert code == 0 and target.is_file()


# ----- every import problem at once -----------------------------------------------------------


def _bad_document() -> dict[str, Any]:
    good = engagement_data("en-good")
    bad = engagement_data("en-2025-abc")
    bad["term_end"] = "2027-02-30"  # a field error: pydantic then skips the cross-reference checks
    bad["items"][0]["receivers"].append({"staff_id": "st-nobody"})
    bad["log"][1]["target_id"] = "tg-gone"
    return {"format": "xtalent", "schema_version": 1, "engagements": [good, bad]}


def test_import_lists_a_bad_date_and_an_unknown_staff_id_together(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "db"
    open_store(root).save(engagement("en-kept"))
    before = tree_bytes(root)
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(_bad_document(), ensure_ascii=False), encoding="utf-8")

    code, out, err = cli(capsys, "--db", str(root), "import", str(source), lang="en")
    assert code == 2 and out == ""
    assert "has 3 problem(s); nothing was written" in err
    assert "engagements[1] (en-2025-abc).term_end: there is no such day" in err
    assert "engagements[1] (en-2025-abc).items[0].receivers[1].staff_id: refers to st-nobody, which does not exist" in err
    assert "engagements[1] (en-2025-abc).log[1].target_id: refers to tg-gone, which does not exist" in err
    assert tree_bytes(root) == before


def test_cross_reference_problems_are_not_repeated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = _bad_document()
    doc["engagements"][1]["term_end"] = "2027-03-31"  # now only the model validator's problems
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, _, err = cli(capsys, "--db", str(tmp_path / "db"), "import", str(source), lang="en")
    assert code == 2 and "has 2 problem(s)" in err
    assert err.count("st-nobody") == 1 and err.count("tg-gone") == 1


def test_duplicates_and_term_order_are_reported_beside_field_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = _bad_document()
    bad = doc["engagements"][1]
    bad["items"][0]["receivers"].pop()
    bad["log"][1]["target_id"] = "tg-1"
    bad["term_end"] = "2024-01-01"  # before the start
    bad["staff"].append(dict(bad["staff"][0]))  # the same id twice
    bad["role"] = "mayor"  # a field error
    doc["engagements"].append(engagement_data("en-good"))  # a duplicate engagement
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, _, err = cli(capsys, "--db", str(tmp_path / "db"), "import", str(source), lang="en")
    assert code == 2
    assert "engagements[1] (en-2025-abc).role: is not one of the choices" in err
    assert "engagements[1] (en-2025-abc): the term ends before it starts" in err
    assert "engagements[1] (en-2025-abc): id st-1 appears twice in staff" in err
    assert "(root): id en-good appears twice in engagements" in err


def test_rejected_values_are_not_echoed_and_bad_ids_not_shown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = _bad_document()
    bad = doc["engagements"][1]
    bad["id"] = "佐藤花子のメモ"  # not an id: never shown
    bad["items"][0]["receivers"][1]["staff_id"] = "hanako.sato@example.jp"  # not an id: its own error only
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, _, err = cli(capsys, "--db", str(tmp_path / "db"), "import", str(source))
    assert code == 2
    assert "佐藤花子" not in err and "hanako" not in err and "2027-02-30" not in err
    assert "engagements[1].id:" in err and "engagements[1].log[1].target_id" in err


# ----- argparse and JSON errors in the UI language -----------------------------------------------------


def test_help_is_japanese(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in ([], ["export"], ["check"], ["restore"]):
        with pytest.raises(SystemExit) as done:
            main(["--lang", "ja", *argv, "--help"])
        assert done.value.code == 0
        out = capsys.readouterr().out
        assert out.startswith("使い方: xtalent")
        assert "このヘルプを表示して終了" in out and "オプション:" in out
        for english in ("usage:", "positional arguments", "options:", "show this help message"):
            assert english not in out, (argv, english)


def test_help_in_english_keeps_argparse_words(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "en", "export", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: xtalent export") and "positional arguments:" in out and "show this help message and exit" in out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["import"], "次の引数が必要です: FILE"),
        (["list", "extra"], "認識できない引数です: extra"),
        (["check", "--format", "x"], "--format の値 'x' は選べません"),
        (["export", "--reminder-days", "x"], "--reminder-days には整数を指定してください"),
        (["--db"], "--db には値を1つ指定してください"),
    ],
)
def test_argparse_errors_are_japanese(argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--lang", "ja", *argv])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert expected in err and err.startswith("使い方:")


def test_unknown_argparse_errors_pass_through() -> None:
    assert translate_argparse_error("something new") == "something new"


def test_a_json_syntax_error_says_line_and_column_in_japanese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "broken.json"
    source.write_text('{"engagements": [\n', encoding="utf-8")
    code, _, err = cli(capsys, "--db", str(tmp_path / "db"), "import", str(source))
    assert code == 2 and "2行目 1文字目" in err and "line" not in err
    code, _, err = cli(capsys, "--db", str(tmp_path / "db"), "import", str(source), lang="en")
    assert "line 2 column 1" in err


# ----- check within the terminal --------------------------------------------------------------------


def test_wrap_cells_keeps_width_and_kinsoku() -> None:
    text = "任期は54日前（2026-09-30）に終了しましたが、3件中3件のノウハウが「自立」に達しないままです。"
    for width in (10, 17, 24, 40):
        lines = wrap_cells(text, width)
        assert "".join(lines) == text
        assert all(cell_width(line) <= width for line in lines)
        assert not any(line[0] in "、。）」" for line in lines[1:])
    assert wrap_cells("Add a second receiver with no rotation planned", 20) == [
        "Add a second", "receiver with no", "rotation planned",
    ]


@pytest.mark.parametrize("columns", [60, 80, 100, 140])
def test_check_text_fits_the_terminal(db: Path, columns: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, _ = cli(capsys, "--db", str(db), "--today", "2027-03-01", "check")
    assert code in (0, 1)
    lines = out.splitlines()
    assert max(cell_width(line) for line in lines) <= columns
    separators = [line for line in lines if set(line) <= {"-", " "} and "-" in line]
    assert separators and all(cell_width(line) <= columns for line in separators)
    assert "→" in out  # the actions are still there


# ----- restore by number or "latest" -------------------------------------------------------------------


def test_backup_name_from_number_or_latest() -> None:
    names = ["newest.json", "older.json"]
    assert backup_name("1", names) == backup_name("latest", names) == backup_name("ＬＡＴＥＳＴ", names) == "newest.json"
    assert backup_name("２", names) == "older.json"
    assert backup_name("older", names) == "older"  # a name (or prefix) goes to the store as typed
    for bad in ("0", "3"):
        with pytest.raises(XtalentError):
            backup_name(bad, names)


def test_restore_lists_numbers_and_restores_by_number(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = open_store(db).backup_now()
    store = open_store(db)
    store.save(engagement("en-late"))
    second = store.backup_now()
    code, out, _ = cli(capsys, "--db", str(db), "restore")
    assert code == 0 and "番号" in out and "xtalent restore latest" in out
    rows = {line.split()[1]: line.split()[0] for line in out.splitlines() if line.strip()[:1].isdigit()}
    assert rows[second.name] == "1"
    number = rows[first.name]

    code, out, err = cli(capsys, "--db", str(db), "restore", number)
    assert code == 0, err
    assert first.name in out
    ids = {e.id for e in open_store(db).engagements()}
    assert "en-late" not in ids and "en-2025-adv-okochi" in ids
    code, out, err = cli(capsys, "--db", str(db), "restore", "99")
    assert code == 2 and "99 番はありません" in err

"""close / reopen on the command line: support plans required for open items, recorded through
the edit session (change log), and `check` falls silent on a closed engagement."""

from __future__ import annotations

import json
from pathlib import Path

from test_store_support import run_cli


def test_close_needs_a_plan_per_open_item_then_check_is_silent_and_reopen_restores(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "db")
    assert run_cli(capsys, "--db", db, "import", "data/demo.json")[0] == 0
    code, _, err = run_cli(capsys, "--db", db, "--today", "2026-11-23", "close", "藤堂", "--by", "人事課 田中")
    assert code == 2 and "任期後の支援" in err
    plans = ["kh-asis-kashika=佐藤|月1回の確認会|2027-03-31", "kh-shinsakai-denshi=佐藤|手順書の見直し|2027-03-31",
             "kh-nissu-dashboard=鈴木|更新に同席|2027-01-31"]
    argv = ["--db", db, "--today", "2026-11-23", "close", "藤堂", "--by", "人事課 田中"]
    for plan in plans:
        argv += ["--plan", plan]
    code, out, _ = run_cli(capsys, *argv)
    assert code == 0 and "終了（未了あり）" in out
    code, out, _ = run_cli(capsys, "--db", db, "--today", "2026-11-23", "check", "藤堂", "--format", "json")
    assert code == 0 and json.loads(out) == []
    assert run_cli(capsys, "--db", db, "--today", "2026-11-23", "reopen", "藤堂")[0] == 0
    code, out, _ = run_cli(capsys, "--db", db, "--today", "2026-11-23", "check", "藤堂", "--format", "json")
    assert json.loads(out)  # its warnings are back
    code, out, _ = run_cli(capsys, "--db", db, "history", "藤堂", "--format", "json")
    assert [c["key"] for c in json.loads(out)][:2] == ["edit.reopen", "edit.close"]


def test_close_on_and_plan_dates_take_kinou_and_ashita_from_today(tmp_path: Path, capsys) -> None:
    from xtalent.store import Store

    db = str(tmp_path / "db")
    assert run_cli(capsys, "--db", db, "import", "data/demo.json")[0] == 0
    argv = ["--db", db, "--today", "2026-11-23", "close", "藤堂", "--by", "人事課 田中", "--on", "きのう"]
    for item in ("kh-asis-kashika", "kh-shinsakai-denshi", "kh-nissu-dashboard"):
        argv += ["--plan", f"{item}=佐藤|月1回の確認会|あした"]
    code, _, err = run_cli(capsys, *argv)
    assert code == 0, err
    closure = next(e for e in Store.open(tmp_path / "db").engagements() if e.person.name == "藤堂 彩").closure
    assert str(closure.on) == "2026-11-22" and {str(p.until) for p in closure.support} == {"2026-11-24"}
    code, _, err = run_cli(capsys, "--db", db, "--today", "2026-11-23", "reopen", "藤堂")
    code, _, err = run_cli(capsys, "--db", db, "--today", "2026-11-23", "close", "藤堂", "--by", "田中", "--on", "先週")
    assert code == 2 and "使える書き方" in err and "きょう・きのう・あした" in err

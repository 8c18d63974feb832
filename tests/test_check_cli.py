"""`xtalent check`: exit codes 0/1/2, the JSON shape scripts rely on, the table people read."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from pitfalls_factory import TERM_END, TODAY, days, healthy_data

from xtalent.cli import main

REQUIRED = {"code", "severity", "engagement_id", "subject_id", "message", "action", "aspect"}


def _warning_only(d: dict) -> None:
    d.update(id="en-warn", person={"name": "鈴木 次郎"})
    d["staff"][0]["role"] = "member"  # no lead: a warning, nothing critical


def _info_only(d: dict) -> None:
    d.update(id="en-info", person={"name": "田中 三郎"})
    d["items"][0]["evidence"] = []


@pytest.fixture
def db(tmp_path: Path) -> str:
    engagements = []
    for edit in (None, _warning_only, _info_only):
        data = healthy_data()
        if edit:
            edit(data)
        engagements.append(data)
    source = tmp_path / "in.json"
    source.write_text(json.dumps({"format": "xtalent", "schema_version": 1, "engagements": engagements}), "utf-8")
    path = str(tmp_path / "db")
    assert main(["--db", path, "import", str(source)]) == 0
    return path


def run(db: str, *args: str, today: str = TODAY.isoformat()) -> int:
    return main(["--db", db, "--today", today, "check", *args])


def test_exit_0_when_nothing_at_or_above_critical(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run(db) == 0
    out = capsys.readouterr().out
    # With its status the header is wider than 100 columns: wrapped, its parts are one space apart.
    assert "en-healthy 山田 花子（CDO補佐官） 在任 準備度 58/100 分身 1人" in out
    assert "落とし穴は見つかりませんでした。" in out
    assert "no-receiving-structure" in out and "transfer-unevidenced" in out
    assert "契約3件（基準日 2026-11-23）: 重大 0件・警告 1件・情報 1件" in out


@pytest.mark.parametrize(("fail_on", "expected"), [("critical", 0), ("warning", 1), ("info", 1)])
def test_fail_on_threshold_with_a_warning(db: str, fail_on: str, expected: int) -> None:
    assert run(db, "en-warn", "--fail-on", fail_on) == expected


@pytest.mark.parametrize(("fail_on", "expected"), [("warning", 0), ("info", 1)])
def test_fail_on_threshold_with_an_info(db: str, fail_on: str, expected: int) -> None:
    assert run(db, "en-info", "--fail-on", fail_on) == expected


def test_exit_1_on_a_critical_finding(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run(db, "en-healthy", today=(TERM_END - days(10)).isoformat()) == 1
    assert "term-ending-untransferred" in capsys.readouterr().out


def test_today_after_the_subcommand_overrides_the_global_one(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db, "en-healthy") == 0
    assert run(db, "en-healthy", "--today", (TERM_END + days(1)).isoformat()) == 1
    assert run(db, "en-healthy", "--today", "令和9年3月1日") == 1  # 30 days left: critical
    capsys.readouterr()
    assert main(["--db", db, "check", "en-healthy", "--today", TODAY.isoformat()]) == 0


def test_json_is_a_list_of_findings_with_the_documented_keys(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", db, "--lang", "en", "check", "--format", "json", "--today", "2026-11-23"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, list) and len(data) == 2
    for entry in data:
        assert REQUIRED <= set(entry)
        assert entry["severity"] in {"info", "warning", "critical"}
    warn = next(e for e in data if e["code"] == "no-receiving-structure")
    assert warn["engagement_id"] == "en-warn" and warn["subject_id"] is None
    assert warn["message"] == "None of the 3 receiving staff is the Receiving lead (65% of the term has passed)."
    assert data[0]["severity"] == "warning"  # worst first


def test_json_of_a_clean_engagement_is_an_empty_list(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run(db, "en-healthy", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_engagement_by_person_name_and_english_table(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", db, "--lang", "en", "--today", "2026-11-23", "check", "鈴木 次郎"]) == 0
    out = capsys.readouterr().out
    assert "readiness" in out and "Severity" in out and "→ Appoint one Receiving lead" in out
    assert "en-healthy" not in out


def test_bad_today_exits_2_with_a_clear_message(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run(db, "--today", "2026-02-30") == 2
    assert "--today" in capsys.readouterr().err


def test_unknown_engagement_exits_2(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run(db, "en-nobody") == 2
    assert "en-nobody" in capsys.readouterr().err


def test_bad_fail_on_exits_2(db: str) -> None:
    with pytest.raises(SystemExit) as exc:
        run(db, "--fail-on", "fatal")
    assert exc.value.code == 2


def test_settings_file_changes_thresholds_and_a_bad_one_exits_2(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "settings.toml"
    config.write_text("[pitfalls]\ndisabled = [\"no-receiving-structure\"]\n", "utf-8")
    assert main(["--db", db, "--config", str(config), "--today", "2026-11-23", "check", "en-warn", "--fail-on", "warning"]) == 0
    config.write_text("[pitfalls]\nstalled_days = -1\n", "utf-8")
    capsys.readouterr()
    assert main(["--db", db, "--config", str(config), "--today", "2026-11-23", "check"]) == 2
    err = capsys.readouterr().err
    assert str(config) in err and "pitfalls.stalled_days" in err


def test_config_naming_a_missing_file_exits_2_naming_it(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "settigns.toml"
    capsys.readouterr()
    assert main(["--lang", "en", "--db", db, "--config", str(missing), "--today", "2026-11-23", "check"]) == 2
    err = capsys.readouterr().err
    assert str(missing) in err and "does not exist" in err


def test_a_misspelt_section_is_refused_naming_it_and_the_known_ones(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "settings.toml"
    config.write_text("[pitfals]\nstalled_days = 30\n", "utf-8")
    capsys.readouterr()
    assert main(["--lang", "en", "--db", db, "--config", str(config), "--today", "2026-11-23", "check"]) == 2
    err = capsys.readouterr().err
    assert str(config) in err and "[pitfals]" in err and "[pitfalls]" in err and "[export]" in err
    config.write_text("[pitfalls]\nstalled_days = 30\n[export]\nreminder_days = 7\n", "utf-8")
    assert main(["--db", db, "--config", str(config), "--today", "2026-11-23", "check", "en-warn"]) in (0, 1)


def test_fail_on_choices_are_the_engines_severities() -> None:
    from xtalent.cli.check import SEVERITIES
    from xtalent.pitfalls import Severity

    assert SEVERITIES == tuple(s.value for s in sorted(Severity))


def test_today_is_read_once_whichever_side_of_the_subcommand_it_is_on() -> None:
    # One option, one parse (Context.from_args): the subcommand's --today is the global one.
    from xtalent.cli import parse_args
    from xtalent.cli.context import Context

    after = parse_args(["check", "--today", "R9.3.1"])
    before = parse_args(["--today", "2027/3/1", "check"])
    neither = parse_args(["check"])
    assert Context.from_args(after).today == Context.from_args(before).today == date(2027, 3, 1)
    assert neither.today is None


def test_the_browser_view_hands_each_connection_the_day_as_read() -> None:
    from xtalent.cli import parse_args
    from xtalent.cli.context import Context
    from xtalent.cli.serve import tui_command

    args = parse_args(["--today", "令和8年11月23日", "serve"])
    assert "--today 2026-11-23" in " ".join(tui_command(args, Context.from_args(args)).split())


def test_a_closed_engagement_exits_0_and_reopening_restores_its_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Issue 13: an ended engagement was critical forever and `check` exited 1 for good.
    from datetime import date

    from xtalent import lifecycle
    from xtalent.models import SupportPlan
    from xtalent.store import Store

    data = healthy_data()
    data.update(id="en-ended", term_end="2026-09-30")
    source = tmp_path / "in.json"
    source.write_text(json.dumps({"format": "xtalent", "schema_version": 2, "engagements": [data]}), "utf-8")
    path = str(tmp_path / "db")
    assert main(["--db", path, "import", str(source)]) == 0
    assert run(path, "en-ended", today="2026-10-10") == 1  # ended 10 days ago, 2 items open: critical
    store = Store.open(Path(path))
    ended = store.get("en-ended")
    plans = [SupportPlan(item_id=i.id, who="佐藤 一郎", how="月1回の勉強会", until=date(2027, 3, 31))
             for i in lifecycle.open_items(ended)]
    store.save(lifecycle.close(ended, date(2026, 10, 15), "人事課 佐々木", plans))
    capsys.readouterr()
    assert run(path, "en-ended", today="2029-06-01") == 0
    out = capsys.readouterr().out
    assert "終了（未了あり）" in out and "人事課 佐々木" in out and "警告は出しません" in out
    assert run(path, today="2029-06-01") == 0
    assert "完了・終了した契約1件は対象外" in capsys.readouterr().out
    store.save(lifecycle.reopen(store.get("en-ended")))
    assert run(path, "en-ended", today="2026-10-10") == 1
    capsys.readouterr()
    assert run(path, "en-ended", "--fail-on", "warning", today="2029-06-01") == 1  # reopened: it warns again
    assert "term-ended-untransferred" in capsys.readouterr().out


def test_the_browser_view_names_a_settings_file_only_when_one_was_given(tmp_path: Path) -> None:
    # Each connection runs `xtalent tui`; a --config naming a missing file is refused, so the
    # default (often absent) is left for the child to resolve: "Application failed to start".
    from xtalent.cli import parse_args
    from xtalent.cli.context import Context
    from xtalent.cli.serve import tui_command

    plain = parse_args(["serve"])
    assert "--config" not in tui_command(plain, Context.from_args(plain))
    (tmp_path / "mine.toml").write_text("[export]\nreminder_days = 7\n", "utf-8")
    given = parse_args(["--config", str(tmp_path / "mine.toml"), "serve"])
    assert f"--config {tmp_path / 'mine.toml'}" in tui_command(given, Context.from_args(given))


# ----- the JSON output, written by pydantic-core's encoder --------------------------------------

from hypothesis import given, settings as hsettings, strategies as st  # noqa: E402

from xtalent.cli.check import list_items  # noqa: E402
from xtalent.usertext import json_text  # noqa: E402

_SCALARS = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text()
_FLOATS = st.floats(allow_nan=False, allow_infinity=False)
_VALUES = st.recursive(_SCALARS | _FLOATS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3), max_leaves=12)


def _as_before(data: list) -> str:
    return json_text(json.dumps(data, ensure_ascii=False, indent=2))


def _printed(data: list) -> str:
    items = list_items(data)
    return f"[\n{items}\n]" if items else "[]"


@given(st.lists(st.dictionaries(st.text(), _VALUES, max_size=4), max_size=4))
@hsettings(max_examples=300, deadline=None, database=None, derandomize=True)
def test_the_json_items_are_the_same_json_value_as_json_dumps_wrote(data: list) -> None:
    printed = _printed(data)
    assert json.loads(printed) == json.loads(_as_before(data))
    assert all(line.isprintable() for line in printed.split("\n"))  # nothing a terminal acts on


_NO_FLOATS = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3), max_leaves=12)


@given(st.lists(st.dictionaries(st.text(), _NO_FLOATS, max_size=4), max_size=4))
@hsettings(max_examples=300, deadline=None, database=None, derandomize=True)
def test_without_floats_the_json_items_are_byte_for_byte_what_json_dumps_wrote(data: list) -> None:
    assert _printed(data) == _as_before(data)


def test_json_of_the_demo_is_byte_for_byte_what_json_dumps_wrote(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    from xtalent.interchange import load_document
    from xtalent.paths import demo_file
    from xtalent.pitfalls import evaluate
    from xtalent.settings import DEFAULTS
    from xtalent.store import Store

    db = tmp_path / "demo"
    Store.open(db).import_document(load_document(demo_file()))
    capsys.readouterr()
    for lang in ("ja", "en"):
        main(["--db", str(db), "--lang", lang, "check", "--format", "json", "--today", "2026-11-23"])
        printed = capsys.readouterr().out
        findings = [f.to_dict(lang) for e in Store.open(db).scan() if e.closure is None
                    for f in evaluate(e, date(2026, 11, 23), DEFAULTS, lang)]
        assert len(findings) > 10 and len(json.loads(printed)) == len(findings)
        assert printed == json_text(json.dumps(json.loads(printed), ensure_ascii=False, indent=2)) + "\n"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_runs_with_the_collector_off_and_leaves_it_as_it_found_it(
    db: str, fmt: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import gc

    from xtalent import pitfalls

    seen: list[bool] = []
    evaluate = pitfalls.evaluate

    def recording(*args, **kwargs):
        seen.append(gc.isenabled())
        return evaluate(*args, **kwargs)

    monkeypatch.setattr(pitfalls, "evaluate", recording)
    assert gc.isenabled()
    run(db, "--format", fmt)
    assert seen and not any(seen)  # every engagement checked with the collector off
    assert gc.isenabled()  # and on again for whatever runs next in the process
    gc.disable()
    try:
        run(db, "--format", fmt)
        assert not gc.isenabled()  # off before: left off
    finally:
        gc.enable()

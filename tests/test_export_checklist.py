"""The format-neutral checklist and safe file names."""

from __future__ import annotations

from datetime import date

import pytest
from test_export_data import HOSTILE, TODAY, make_engagement, ticked_ids

from xtalent import metrics
from xtalent.errors import XtalentError
from xtalent.export import default_filename, export_checklist, reminder_days_from
from xtalent.settings import Settings
from xtalent.settingsfile import SettingsFile
from xtalent.export.checklist import build
from xtalent.export.filenames import sanitize_filename
from xtalent.pitfalls import evaluate


def test_every_item_is_a_line_ticked_exactly_at_independent_or_beyond() -> None:
    e = make_engagement()
    [x] = build([e], TODAY, "ja").engagements
    assert [line.item_id for line in x.lines] == [i.id for i in e.items]
    assert {line.item_id for line in x.lines if line.ticked} == ticked_ids(e) == {"kh-5", "kh-6"}


def test_line_shows_receivers_stage_due_and_latest_evidence() -> None:
    [x] = build([make_engagement()], TODAY, "ja").engagements
    line = next(li for li in x.lines if li.item_id == "kh-3")
    assert line.receivers == "佐藤 花子（協働）、鈴木 一郎（見学）"
    assert line.stage == "協働"
    assert line.due == date(2027, 2, 4)
    assert (line.evidence_on, line.evidence) == (date(2026, 12, 4), "研修記録 第3回")
    overdue = next(li for li in x.lines if li.item_id == "kh-1")
    assert overdue.overdue and not line.overdue


def test_header_carries_term_fiscal_year_and_days_left() -> None:
    [x] = build([make_engagement()], TODAY, "ja").engagements
    fields = {f.key: f.value for f in x.header}
    assert fields["term"] == "2026-04-01（令和8年4月1日） 〜 2027-03-31（令和9年3月31日）"
    assert fields["fiscal_year"] == "令和8年度"
    assert fields["days_left"] == "あと75日"
    assert fields["organisation"] == "北杜市 DX推進課"
    [en] = build([make_engagement()], TODAY, "en").engagements
    assert {f.key: f.value for f in en.header}["fiscal_year"] == "FY2026"


def test_warnings_readiness_and_bunshin_come_from_the_rules_and_metrics() -> None:
    e = make_engagement()
    [x] = build([e], TODAY, "ja").engagements
    findings = evaluate(e, TODAY, lang="ja")
    assert [(w.code, w.message, w.action) for w in x.warnings] == [(f.code, f.message, f.action) for f in findings]
    assert x.warnings_evaluated
    assert x.readiness.score == int(metrics.readiness(e, TODAY, "ja").value)
    assert x.readiness.bunshin == metrics.bunshin(e).total == 1


def test_signoff_names_the_external_person_and_the_receiving_lead() -> None:
    [x] = build([make_engagement()], TODAY, "ja").engagements
    assert [(s.role, s.name) for s in x.signoff] == [("外部人材", "北村 彩"), ("受入れリーダー", "佐藤 花子"), ("人事課", "")]


def test_unknown_format_is_a_user_error() -> None:
    with pytest.raises(XtalentError):
        export_checklist([make_engagement()], "pdf", TODAY, "ja")


def test_reminder_days_explicit_then_settings_then_default(tmp_path) -> None:
    week = Settings.model_validate({"export": {"reminder_days": 7}})
    assert reminder_days_from(None) == 14
    assert reminder_days_from(week) == 7
    assert reminder_days_from(week, 3) == 3
    # The TUI holds the file unvalidated (settingsfile.py); it is read through the same section.
    config = tmp_path / "settings.toml"
    config.write_text("[export]\nreminder_days = 5\n", encoding="utf-8")
    assert reminder_days_from(SettingsFile.read(config)) == 5
    for bad in (-1, 366, True, "7"):
        with pytest.raises(XtalentError):
            reminder_days_from(None, bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name",
    ["../../etc/x", "..\\..\\windows\\x", "/etc/passwd", "a/../../b", "..", ".", "", "\x00\x1b[31m", "C:\\x"],
)
def test_hostile_names_become_one_plain_file_name(name: str) -> None:
    out = sanitize_filename(f"{name}.md")
    assert "/" not in out and "\\" not in out and ":" not in out
    assert not out.startswith(".")
    assert all(ch.isprintable() for ch in out)
    assert out.endswith(".md")


@pytest.mark.parametrize("name", ["CON", "prn", "Aux", "NUL", "COM1", "lpt9", "con.tar"])
def test_reserved_windows_names_are_prefixed(name: str) -> None:
    out = sanitize_filename(f"{name}.xlsx")
    assert out.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT9"}


def test_file_names_keep_japanese_and_stay_short() -> None:
    e = make_engagement(person="北村 彩")
    assert default_filename(e, "xlsx", TODAY, "ja") == "引継ぎチェックリスト_北村_彩_20270115.xlsx"
    assert default_filename(None, "md", TODAY, "en") == "handover-checklist_all_20270115.md"
    assert default_filename(e, "json", TODAY, "ja") == "xtalent_北村_彩_20270115.json"
    long = sanitize_filename("長" * 300 + ".html")
    assert len(long.encode("utf-8")) <= 200 and long.endswith(".html")
    hostile = default_filename(make_engagement(person=HOSTILE), "csv", TODAY, "ja")
    assert "/" not in hostile and '"' not in hostile


def test_export_messages_have_both_languages_and_matching_placeholders() -> None:
    import re

    from xtalent.i18n import catalog

    keys = [k for k in catalog() if k.startswith("export.")]
    assert len(keys) > 50
    for key in keys:
        entry = catalog()[key]
        assert set(entry) == {"ja", "en"}, key
        assert set(re.findall(r"{(\w+)}", entry["ja"])) == set(re.findall(r"{(\w+)}", entry["en"])), key

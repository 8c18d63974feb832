"""Labels the views compute: the load chart's split, kinsoku wrapping, rotation and countdown
labels, where whole-engagement warnings jump, the sort's wording."""

from __future__ import annotations

from datetime import date

import pytest

from tui_support import TODAY, engagement
from xtalent.pitfalls.registry import rules
from xtalent.textwidth import cell_width
from xtalent.views import dashboard as dash
from xtalent.views import engagement as eng
from xtalent.views.engagement import TABS, RULE_TAB, rotation_timing, rule_tab
from xtalent.views.load import MonthLoad, chart, split_cells
from xtalent.views.text import NO_LINE_END, NO_LINE_START, wrap


# ----- the monthly load chart --------------------------------------------------------------------
def test_a_tiny_month_all_in_scope_shows_no_out_of_scope_mark() -> None:
    loads = [MonthLoad(date(2026, m, 1), 30, 0, 1, 80 * 60) for m in (9, 10, 11)]
    for row in chart(loads, width=24):
        assert row.in_cells == 1 and row.out_cells == 0
        assert "▒" not in row.text()


def test_the_split_is_proportionate_and_keeps_each_nonzero_share_visible() -> None:
    assert split_cells(10, 50, 50) == 5
    assert split_cells(10, 90, 10) == 9
    assert split_cells(10, 99, 1) == 9  # the 1% out of scope still shows one cell
    assert split_cells(10, 1, 99) == 1
    assert split_cells(10, 0, 40) == 0 and split_cells(10, 40, 0) == 10
    assert split_cells(1, 20, 10) == 1 and split_cells(1, 10, 20) == 0
    assert split_cells(0, 10, 0) == 0 and split_cells(5, 0, 0) == 0
    loads = [MonthLoad(date(2026, 10, 1), 15, 0, 1, 4800), MonthLoad(date(2026, 11, 1), 0, 15, 1, 4800)]
    in_only, out_only = chart(loads, width=24)
    assert (in_only.in_cells, in_only.out_cells) == (1, 0) and (out_only.in_cells, out_only.out_cells) == (0, 1)


# ----- wrapping with kinsoku --------------------------------------------------------------------
MEMO = "受け手の職員を指名しておらず、マニュアル作成から日々の更新まで起業人本人が担っている。任期後（2026-12-31）にだれが運用するかは決まっていない。"


def test_wrap_keeps_kinsoku_and_dates_whole_at_every_width() -> None:
    # One memo at every width a column can have, from the narrowest that fits two kanji and
    # a closing mark to wider than the memo's longest phrase: each width breaks it elsewhere.
    for width in range(6, 60):
        lines = wrap(MEMO, width)
        assert "".join(lines) == MEMO, width
        assert all(cell_width(line) <= width for line in lines), (width, lines)
        for line in lines[1:]:
            assert line[0] not in NO_LINE_START, (width, lines)
        for line in lines[:-1]:
            assert line[-1] not in NO_LINE_END, (width, lines)
        if width >= len("2026-12-31") + 6:  # room for the date and the kinsoku marks around it
            assert any("2026-12-31" in line for line in lines), (width, lines)


def test_wrap_breaks_english_at_spaces_and_keeps_newlines() -> None:
    assert wrap("hello world this is text", 10) == ["hello", "world this", "is text"]
    assert wrap("一行目\n二行目", 20) == ["一行目", "二行目"]
    assert wrap("abcdefghijklmnop", 5) == ["abcde", "fghij", "klmno", "p"]  # wider than a line: cut
    assert wrap("", 10) == [""]
    assert wrap("職員です。", 8) == ["職員で", "す。"]  # not "職員です" / "。"


# ----- staff rotation --------------------------------------------------------------------------
def test_rotation_is_labelled_against_the_term() -> None:
    start, end = date(2027, 4, 1), date(2028, 3, 31)
    assert rotation_timing(date(2027, 3, 31), start, end) == "before_start"
    assert rotation_timing(date(2027, 4, 1), start, end) == "in_term"
    assert rotation_timing(end, start, end) == "in_term"
    assert rotation_timing(date(2028, 4, 1), start, end) == "soon_after_end"
    assert rotation_timing(date(2029, 4, 1), start, end) == "later"
    assert rotation_timing(None, start, end) is None


def test_rotation_text_in_the_structure_tab() -> None:
    e = engagement(term_start="2027-04-01", term_end="2028-03-31")
    e.staff[1].rotation_expected = date(2027, 3, 31)
    row = next(r for r in eng.structure_rows(e, "ja") if r.id == e.staff[1].id)
    assert row.rotation_text("ja") == "2027-03-31（任期開始前に異動）" and row.rotation_before_end
    assert row.rotation_text("en") == "2027-03-31 (moves before the term starts)"
    e.staff[1].rotation_expected = date(2028, 4, 1)
    row = next(r for r in eng.structure_rows(e, "ja") if r.id == e.staff[1].id)
    assert row.rotation_text("ja") == "2028-04-01（任期終了直後に異動）"
    e.staff[1].rotation_expected = date(2030, 4, 1)
    row = next(r for r in eng.structure_rows(e, "ja") if r.id == e.staff[1].id)
    assert row.rotation_text("ja") == "2030-04-01" and not row.rotation_before_end


# ----- the overview's countdown ----------------------------------------------------------------
def test_countdown_fact_says_start_before_the_term() -> None:
    before = eng.countdown_fact(engagement(term_start="2027-04-01", term_end="2028-03-31"), TODAY, "ja")
    assert (before.label, before.value) == ("任期開始まで", "129日")
    during = eng.countdown_fact(engagement(term_start="2026-04-01", term_end="2026-12-03"), TODAY, "ja")
    assert (during.label, during.value) == ("任期終了まで", "あと10日")
    after = eng.countdown_fact(engagement(term_start="2026-04-01", term_end="2026-11-13"), TODAY, "ja")
    assert (after.label, after.value) == ("任期終了", "10日前に終了")


@pytest.mark.parametrize(
    "term_start, term_end, ja, en",
    [
        ("2027-04-01", "2028-03-31", "開始まで129日", "starts in 129 days"),  # `list` said あと494日
        ("2026-04-01", "2026-12-03", "あと10日", "10 days left"),
        ("2026-04-01", "2026-11-23", "本日終了", "ends today"),
        ("2026-04-01", "2026-11-13", "10日前に終了", "ended 10 days ago"),
    ],
)
def test_one_countdown_in_the_list_the_dashboard_the_heading_and_the_checklist(
    tmp_path, capsys, term_start: str, term_end: str, ja: str, en: str
) -> None:
    from test_store_support import open_store
    from xtalent.cli import main
    from xtalent.export.checklist import build_engagement
    from xtalent.views.text import countdown

    e = engagement(term_start=term_start, term_end=term_end)
    for lang, text in (("ja", ja), ("en", en)):
        assert countdown(e.term_start, e.term_end, TODAY, lang) == text  # the engagement screen's heading
        assert dash.dashboard_row(e, TODAY, lang).countdown(lang) == text
        (days,) = [f.value for f in build_engagement(e, TODAY, lang).header if f.key == "days_left"]
        assert days == text
    open_store(tmp_path / "db").save(e)
    for lang, text in (("ja", ja), ("en", en)):
        assert main(["--lang", lang, "--db", str(tmp_path / "db"), "list"], today=TODAY) == 0
        assert text in capsys.readouterr().out


# ----- whole-engagement warnings jump to the tab of what they are about -------------------------------
def test_every_rule_has_a_tab() -> None:
    assert {r.code for r in rules()} <= set(RULE_TAB)
    assert set(RULE_TAB.values()) <= set(TABS) - {"warnings"}
    # Only the rules about the engagement's own record (term, type, after-term decision) open the
    # overview, where e edits it; every other rule points at the records it is about.
    assert {code for code, tab in RULE_TAB.items() if tab == "overview"} == {
        "appointment-term-outside", "contracted-time-below-type", "reappointment-notice", "budget-cycle-undecided"}


@pytest.mark.parametrize("code, tab", [
    ("no-receiving-structure", "structure"), ("receiver-rotation-risk", "structure"),
    ("scope-undefined", "targets"), ("target-unagreed", "targets"), ("goal-undefined", "targets"),
    ("wholesale-handover", "targets"), ("armchair-advice", "targets"),
    ("item-without-receiver", "items"), ("transfer-stalled", "items"), ("term-ending-untransferred", "items"),
    ("due-after-term", "items"), ("single-point-of-knowledge", "items"),
    ("consultation-overload", "log"), ("underused", "log"), ("dispatch-days-exceeded", "log"),
    ("some-future-rule", "overview"),
])
def test_rule_tab(code: str, tab: str) -> None:
    assert rule_tab(code) == tab
    assert eng.subject_tab(engagement(), None, code) == tab


def test_a_subject_record_still_decides_the_tab() -> None:
    assert eng.subject_tab(engagement(), "st-2", "scope-undefined") == "structure"


# ----- the dashboard's sort, in words --------------------------------------------------------------
def test_sort_order_is_spelled_out() -> None:
    assert dash.sort_order_text("person", False, "ja") == "あ→ん"
    assert dash.sort_order_text("person", True, "ja") == "ん→あ"
    assert dash.sort_order_text(None, False, "ja") == "急ぐ順"
    assert dash.sort_marker("person", False) == "▲" and dash.sort_marker("person", True) == "▼"
    assert dash.sort_marker("warnings", False) == "▼" and dash.sort_marker(None, False) == ""
    for column in dash.COLUMNS:
        for reverse in (False, True):
            assert dash.sort_order_text(column, reverse, "en")


def test_status_names_the_sort_and_its_reverse_key() -> None:
    v = dash.view([], column="person")
    assert "並べ替え(s/S): 氏名 あ→ん" in dash.status_text(v, "", dash.Filter.ALL, "person", False, "ja")
    assert "sort (s/S): Person Z→A" in dash.status_text(v, "", dash.Filter.ALL, "person", True, "en")


def test_term_end_without_the_fiscal_year() -> None:
    e = engagement(term_end="2027-03-31")
    r = dash.dashboard_row(e, TODAY, "ja")
    assert r.cells("ja")["term_end"] == "2027-03-31 令和8年度"
    assert r.cells("ja", fiscal_year=False)["term_end"] == "2027-03-31"


def test_wrap_keeps_ascii_runs_whole_and_no_line_starts_with_a_colon() -> None:
    # Found when `xtalent check` gave up its own wrapping for this one.
    assert wrap("--today の日付が読めません: {reason}", 26) == ["--today の日付が読めませ", "ん: {reason}"]
    assert wrap("the year is missing (e.g. 2027-03-31, R9.3.31)", 41) == ["the year is missing (e.g. 2027-03-31,", "R9.3.31)"]
    assert wrap("they hold 5 item(s).", 16) == ["they hold 5", "item(s)."]


def test_wrap_keeps_a_name_or_a_file_name_whole_where_it_fits() -> None:
    text = "契約「望月 浩二」を削除しますか？"
    assert wrap(text, 10) == ["契約「望月", "浩二」を削", "除します", "か？"]  # without keep: broken at its space
    for width in range(13, 40):  # 「望月 浩二」 is 13 cells
        assert any("「望月 浩二」" in line for line in wrap(text, width, keep=["望月 浩二"])), width
    path = "/tmp/out/引継ぎチェックリスト_望月浩二_2026-11-23.xlsx"
    for width in range(cell_width(path), 90):
        lines = wrap("書き出しました: " + path, width, keep=[path])
        assert path in lines[-1], (width, lines)

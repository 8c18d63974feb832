"""The views behind the dashboard and the engagement screen, without a terminal."""

from __future__ import annotations

from datetime import date

from tui_support import TODAY, engagement
from xtalent.models import Stage
from xtalent.views import dashboard as dash
from xtalent.views import engagement as eng
from xtalent.views.load import chart, contracted_minutes, log_rows, monthly_load
from xtalent.views.matrix import build_matrix, legend, short_stage
from xtalent.views.signals import Signals
from xtalent.views.text import bar, countdown, fold, haystack, matches


class F:  # a finding as the pitfall engine makes them (only what the views read)
    def __init__(self, severity: str, subject_id: str | None = None, code: str = "x") -> None:
        from xtalent.pitfalls.base import Aspect, Severity

        self.severity, self.subject_id, self.code = Severity(severity), subject_id, code
        self.aspect, self.message, self.action = Aspect.RECEIVING_KNOWHOW, f"msg {code}", f"act {code}"


def row(eid: str, end: str, *, critical: int = 0, warning: int = 0, name: str = "A", start: str = "2025-04-01",
        readiness: int | None = None, **kw) -> dash.DashboardRow:
    e = engagement(id=eid, term_start=start, term_end=end, person={"name": name, "name_kana": kw.pop("kana", "")}, **kw)
    findings = [F("critical")] * critical + [F("warning")] * warning
    return dash.dashboard_row(e, TODAY, "ja", Signals(findings=findings, readiness=readiness))


# ----- text ------------------------------------------------------------------------------------
def test_fold_matches_full_and_half_width_case_and_kana() -> None:
    assert fold("ＣＤＯ補佐官") == fold("cdo補佐官")
    assert fold("ｻﾄｳ") == fold("さとう") == fold("サトウ")
    assert matches("ｃｄｏ", haystack(["CDO"]))
    assert matches("佐藤花子", haystack(["佐藤 花子"]))
    assert matches("佐藤　市民課", haystack(["佐藤 花子", "市民課"]))  # full-width space splits words
    assert not matches("佐藤 税務課", haystack(["佐藤 花子", "市民課"]))
    assert matches("", "")


def test_bar_and_countdown() -> None:
    assert bar(0, 5) == "░░░░░" and bar(1, 5) == "█████"
    assert bar(3 / 7, 5) == "██░░░"
    assert bar(0.01, 5) == "█░░░░" and bar(0.99, 5) == "████░"  # never looks empty or done when it isn't
    assert countdown(date(2026, 4, 1), date(2026, 12, 3), TODAY, "ja") == "あと10日"
    assert countdown(date(2026, 4, 1), date(2026, 11, 13), TODAY, "en") == "ended 10 days ago"
    assert countdown(date(2026, 12, 1), date(2027, 3, 31), TODAY, "ja") == "開始まで8日"


# ----- dashboard -------------------------------------------------------------------------------
def test_dashboard_row_holds_what_the_table_shows() -> None:
    r = dash.dashboard_row(engagement(), TODAY, "ja", Signals(findings=[F("critical"), F("info"), F("info")], readiness=40, bunshin=1))
    assert (r.person, r.role, r.organisation) == ("山田 太郎", "CDO補佐官", "みどり野市 情報政策課")
    assert r.term_text() == "2027-03-31 令和8年度" and r.countdown("ja") == "あと128日"
    assert r.progress() == "██░░░ 1/3" and r.readiness_text() == "40" and r.bunshin_text() == "1"
    assert r.badges() == [("critical", 1), ("info", 2)]
    assert r.in_term and not r.ended


def test_urgency_puts_critical_then_nearest_end_first_and_ended_last() -> None:
    rows = [
        row("en-ended", "2026-10-31"),
        row("en-far", "2028-03-31"),
        row("en-near", "2026-12-31"),
        row("en-crit-far", "2027-09-30", critical=1),
        row("en-crit-near", "2027-03-31", critical=2),
        row("en-future", "2028-03-31", start="2027-04-01", warning=1),
    ]
    order = [r.id for r in dash.sort_rows(rows)]
    assert order == ["en-crit-near", "en-crit-far", "en-near", "en-future", "en-far", "en-ended"]


def test_sort_by_any_column_keeps_unknowns_last() -> None:
    rows = [row("en-1", "2027-03-31", readiness=70, name="B"), row("en-2", "2026-12-31", name="A"),
            row("en-3", "2027-06-30", readiness=20, name="C", kana="アイ")]
    assert [r.id for r in dash.sort_rows(rows, "readiness")] == ["en-3", "en-1", "en-2"]
    assert [r.id for r in dash.sort_rows(rows, "readiness", reverse=True)] == ["en-1", "en-3", "en-2"]
    assert [r.id for r in dash.sort_rows(rows, "person")] == ["en-2", "en-1", "en-3"]
    assert [r.id for r in dash.sort_rows(rows, "term_end")] == ["en-2", "en-1", "en-3"]
    for column in dash.COLUMNS:
        assert len(dash.sort_rows(rows, column)) == 3
    cycle, column = [], None
    for _ in range(len(dash.COLUMNS) + 1):
        column = dash.next_sort(column)
        cycle.append(column)
    assert cycle == [*dash.COLUMNS, None]


def test_person_sort_uses_kana_when_given() -> None:
    rows = [row("en-1", "2027-03-31", name="渡辺", kana="わたなべ"), row("en-2", "2027-03-31", name="伊藤", kana="いとう")]
    assert [r.id for r in dash.sort_rows(rows, "person")] == ["en-2", "en-1"]


def test_search_looks_in_every_field() -> None:
    r = dash.dashboard_row(engagement(), TODAY, "ja", Signals())
    for query in ("山田", "やまだ", "ﾔﾏﾀﾞ", "cdo deputy", "ＣＤＯ補佐官", "みどり野", "情報政策", "副市長",
                  "書かない窓口", "ベンダー調整", "rpa", "鈴木", "株式会社サンプル", "en-test"):
        assert dash.matches(query, r.search_text), query
    assert not dash.matches("存在しない", r.search_text)


def test_filters_and_their_counts() -> None:
    rows = [row("en-ended", "2026-10-31"), row("en-near", "2027-01-31", warning=2), row("en-far", "2028-03-31", critical=1),
            row("en-future", "2028-03-31", start="2027-04-01")]
    ids = lambda which: [r.id for r in dash.view(rows, which=which).rows]  # noqa: E731
    assert sorted(ids(dash.Filter.IN_TERM)) == ["en-far", "en-near"]
    assert ids(dash.Filter.ENDING) == ["en-near"]
    assert ids(dash.Filter.ENDED) == ["en-ended"]
    assert ids(dash.Filter.CRITICAL) == ["en-far"]
    assert sorted(ids(dash.Filter.WARNING)) == ["en-far", "en-near"]  # 警告あり: a critical one too
    assert len(ids(dash.Filter.ALL)) == 4
    v = dash.view(rows, query="存在しない")
    assert v.rows == [] and v.total == 4 and v.counts[dash.Filter.ENDED] == 1
    assert dash.Filter.ENDED.next() is dash.Filter.WARNING and dash.Filter.WARNING.next() is dash.Filter.CRITICAL
    assert dash.Filter.CRITICAL.next() is dash.Filter.CLOSED and dash.Filter.ALL.next() is dash.Filter.OPEN
    assert dash.Filter.WARNING.label("ja") == "警告あり（重大を含む）"


def test_status_line_says_filter_sort_and_search() -> None:
    rows = [row("en-1", "2027-01-31")]
    v = dash.view(rows, query="みどり", which=dash.Filter.ENDING)
    text = dash.status_text(v, "みどり", dash.Filter.ENDING, None, False, "ja")
    assert "1/1件" in text and "90日以内に終了" in text and "緊急度" in text and "「みどり」" in text
    assert "readiness" not in dash.status_text(v, "", dash.Filter.ALL, "transfer", True, "en")


# ----- engagement ------------------------------------------------------------------------------
def test_overview_facts() -> None:
    facts = {f.label: f.value for f in eng.overview_facts(engagement(), TODAY, Signals(bunshin=1), "ja")}
    assert facts["氏名"] == "山田 太郎（ヤマダ タロウ）"
    assert facts["任期"] == "2025-04-01 〜 2027-03-31（令和8年度）"
    assert facts["任期終了まで"] == "あと128日"
    assert facts["契約時間"] == "月4日（31時間）"  # a contracted day is 7h45m, as the rules count it
    assert facts["状態"] == "在任" and facts["任期後の方針"].startswith("未定")
    assert facts["契約上の残り"] == "約16日（閉庁日を除く）"  # 4 a month, 129 days less the 6 closed
    assert facts["ノウハウ移転"] == "1/3 項目が自立以上"
    assert facts["責任者"] == "副市長"
    assert facts["連絡先（メール）"] == "—"  # none given
    mail = engagement(person={"name": "山田 太郎", "email": "yamada@example.jp"})
    assert {f.label: f.value for f in eng.overview_facts(mail, TODAY, Signals(), "en")}["E-mail"] == "yamada@example.jp"


def test_matrix_has_items_by_staff_with_each_stage() -> None:
    m = build_matrix(engagement(), "ja")
    assert [c.id for c in m.columns] == ["st-1", "st-3", "st-2"]  # lead first, then digital leader, member
    assert [r.item_id for r in m.rows] == ["kh-1", "kh-2", "kh-3"]
    assert m.rows[0].cells == (Stage.INDEPENDENT, None, Stage.SHADOWING)
    assert m.cell("kh-2", "st-2") is Stage.DOCUMENTED and m.cell("kh-2", "st-1") is None
    assert m.rows[0].target == "書かない窓口" and m.rows[0].transferred
    assert short_stage(Stage.TOGETHER, "ja") == "3 協働" and short_stage(None) == "·"
    assert legend("ja").startswith("0 未着手 → 1 文書化") and legend("en").endswith("6 Verified")


def test_targets_and_structure() -> None:
    targets = eng.target_rows(engagement(), "ja")
    assert targets[0].indicator == "オンライン比率 12→30→60%" and targets[0].staff == "佐藤 一郎"
    assert targets[0].items == "1/1" and targets[1].agreed == "未合意"
    staff = eng.structure_rows(engagement(), "ja")
    assert [s.id for s in staff] == ["st-1", "st-3", "st-2"] and staff[0].lead
    assert staff[2].rotation_before_end and staff[2].rotation_text("ja") == "2027-01-01（任期中に異動）"
    assert (staff[0].receiving, staff[0].transferred) == (1, 1)


def test_log_and_monthly_load_against_contracted_time() -> None:
    e = engagement()
    assert [r.id for r in log_rows(e, "ja")] == ["lg-3", "lg-2", "lg-1"]
    assert contracted_minutes(e) == 4 * 7.75 * 60
    assert contracted_minutes(engagement(hours_per_month=10)) == 600
    loads = monthly_load(e, TODAY)
    assert len(loads) == 12 and loads[-1].month == date(2026, 11, 1)
    october = loads[-2]
    assert (october.in_scope, october.out_of_scope, october.entries, october.contracted) == (60, 90, 2, 1860)
    rows = chart(loads, width=20, lang="ja")
    assert rows[-2].label == "2026-10" and rows[-2].marker == 20 and not rows[-2].over
    assert rows[-2].text().endswith("│") and rows[-2].note == "2.5時間 / 契約 31時間（8%）"
    busy = engagement(hours_per_month=1)
    over = chart(monthly_load(busy, TODAY), width=20, lang="en")[-2]
    assert over.over and over.in_cells + over.out_cells == 20 and over.text()[over.marker] == "▒"
    assert monthly_load(engagement(term_start="2027-01-01"), TODAY) == []


def test_warnings_point_to_their_subject_tab() -> None:
    e = engagement()
    signals = Signals(findings=[F("info", None, "a"), F("critical", "kh-2", "b"), F("warning", "st-2", "c"),
                                F("warning", "tg-b", "d"), F("info", "lg-1", "e")])
    rows = eng.warning_rows(e, signals, "ja")
    assert [r.code for r in rows] == ["b", "c", "d", "a", "e"]
    assert [r.tab for r in rows] == ["items", "structure", "targets", "overview", "log"]
    assert rows[0].subject == "ベンダー調整の進め方" and rows[0].severity_label


# ----- fitting the table, export targets ---------------------------------------------------------
def test_fit_widths_shortens_the_widest_shrinkable_column_or_keeps_everything_whole() -> None:
    from xtalent.views.text import fit_widths

    assert fit_widths([10, 30, 20], [10, 10, 10], 100) == [10, 30, 20]
    assert fit_widths([10, 30, 20], [10, 10, 10], 50) == [10, 20, 20]
    assert fit_widths([10, 30, 20], [10, 10, 10], 40) == [10, 15, 15]
    assert fit_widths([10, 30, 20], [10, 10, 10], 20) == [10, 30, 20]  # cannot fit: scroll, do not mangle


def test_dashboard_cells_and_a_shared_organisation() -> None:
    r = dash.dashboard_row(engagement(), TODAY, "ja", Signals(findings=[F("critical"), F("warning")], readiness=55))
    cells = r.cells("ja")
    assert set(cells) == set(dash.DISPLAY)
    assert cells["days"] == "あと128日" and cells["transfer"] == "██░░░ 1/3" and cells["warnings"] == "●1 ▲1"
    assert r.cells("ja", organisation=False)["organisation"] == "情報政策課"
    rows = [r, row("en-2", "2027-01-31")]
    assert dash.common_organisation(rows) == "みどり野市"
    v = dash.view(rows)
    assert v.organisation == "みどり野市" and dash.status_text(v, "", dash.Filter.ALL, None, False, "ja").startswith("みどり野市")
    other = dash.dashboard_row(engagement(id="en-3", organisation="さくら台町"), TODAY, "ja", Signals())
    assert dash.common_organisation([r, other]) is None


def test_export_target_is_safe_and_says_what_is_wrong(tmp_path) -> None:
    import pytest

    from xtalent.views.export_target import FieldError, default_folder, resolve, with_extension

    assert with_extension("引継ぎ_山田.xlsx", "csv") == "引継ぎ_山田.csv"
    assert with_extension("report", "md") == "report.md"
    assert with_extension("v1.2", "json") == "v1.2.json"
    target = resolve(str(tmp_path), "../../etc/passwd", "csv")
    assert target.path.parent == tmp_path and not target.exists and target.path.suffix == ".csv"
    (tmp_path / "a.md").write_text("x")
    assert resolve(str(tmp_path), "a.md", "md").exists
    with pytest.raises(FieldError) as missing:
        resolve(str(tmp_path / "nowhere"), "a", "md")
    assert missing.value.field == "folder"
    with pytest.raises(FieldError) as empty:
        resolve(str(tmp_path), "  ", "md")
    assert empty.value.field == "name"
    assert default_folder(tmp_path) == tmp_path
    assert default_folder(tmp_path / "nowhere", home=tmp_path) == tmp_path

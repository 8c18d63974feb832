"""The dashboard's summary band (xtalent/views/band.py): counted from the rows alone, 分身 by the
one definition (metrics.bunshin_on / bunshin_by_fiscal_year), tiles aligned by cell width, the
one line fitted to the terminal."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from xtalent.dates import fiscal_year
from xtalent.interchange import load_document
from xtalent.metrics import bunshin_by_fiscal_year, bunshin_on
from xtalent.models import Stage, StageEvent, is_overdue
from xtalent.paths import demo_file
from xtalent.store import Store
from xtalent.textwidth import cell_width
from xtalent.views import band, rowcache
from xtalent.views import dashboard as dash

from test_bunshin_over_time import climbing

TODAY = date(2026, 11, 23)


def demo() -> list:
    return list(load_document(demo_file()).engagements)


def test_the_demo_band_counts_what_the_list_shows() -> None:
    engagements = demo()
    rows = dash.build_rows(engagements, TODAY, "ja")
    shown = dash.view(rows).rows  # the default filter: the closed one (桜庭) is not in the list
    b = band.band(shown, TODAY)
    assert b.engagements == 7
    assert {k: v for k, v in b.by_status.items() if v} == {"in_term": 6, "ended": 1}
    assert b.by_severity == {"critical": 3, "warning": 3, "info": 0, "none": 1}  # 早瀬 has none
    assert [r.id for r in b.ending] == ["en-2025-sanyo-mochizuki"]  # 38 days; the others 128 and more
    by_id = {e.id: e for e in engagements}
    open_ids = {r.id for r in shown}
    assert b.overdue_items == sum(is_overdue(i, TODAY) for eid in open_ids for i in by_id[eid].items) == 4
    assert b.overdue_engagements == 2
    # 分身: the one definition, summed over the engagements the list shows.
    assert b.bunshin == sum(len(bunshin_on(by_id[eid], TODAY)) for eid in open_ids) == 6
    start = sum(len(bunshin_on(by_id[eid], date(2026, 3, 31))) for eid in open_ids)
    assert (b.year, b.bunshin_before, b.bunshin_change) == (2026, start, 6 - start)


def test_each_row_holds_its_fiscal_years_as_bunshin_by_fiscal_year_counts_them() -> None:
    e = climbing()  # st-1 independent on 2026-02-10 (令和7年度), st-2 on 2026-05-01 (令和8年度)
    row = dash.dashboard_row(e, TODAY, "ja")
    assert row.bunshin_years == tuple(p.count for p in bunshin_by_fiscal_year([e], TODAY)) == (1, 2)
    assert [row.bunshin_at_end_of(y) for y in (2023, 2024, 2025, 2026, 2027)] == [0, 0, 1, 2, None]
    b = band.band([row], TODAY)
    assert (b.bunshin, b.bunshin_before, b.bunshin_change) == (2, 1, 1)
    past = band.band([row], TODAY, year=2025)  # the dashboard filtered to 令和7年度
    assert (past.year, past.bunshin, past.bunshin_before, past.bunshin_change) == (2025, 2, 0, 1)
    future = band.band([row], TODAY, year=2027)  # not begun: no change to give
    assert future.bunshin_change is None
    # 令和8年度 is still running: its figure is today's, not an end of 年度 to name.
    assert band.tiles(future, "ja")[-1].texts() == ["いま" + " " * 13 + "2人", "令和9年度の増減" + " " * 4 + "—"]


def test_a_term_starting_in_a_later_fiscal_year_counts_nothing_yet() -> None:
    from tui_support import engagement

    e = engagement(term_start="2027-04-01", term_end="2028-03-31")
    row = dash.dashboard_row(e, TODAY, "ja")
    assert row.bunshin_years == ()
    b = band.band([row], TODAY)
    assert (b.bunshin, b.bunshin_change, b.by_status["planned"]) == (0, 0, 1)


def test_closed_engagements_count_by_status_but_raise_no_overdue_alarm() -> None:
    rows = dash.build_rows(demo(), TODAY, "ja")
    closed = [r for r in rows if r.closed]
    assert closed and closed[0].items_overdue == 1  # 桜庭: closed with an item still open
    b = band.band(dash.view(rows, which=dash.Filter.ALL).rows, TODAY)
    assert b.engagements == 8 and b.by_status["closed_open"] == 1
    assert b.overdue_items == 4  # the same as without the closed one


def test_no_rows_no_figures() -> None:
    b = band.band([], TODAY)
    assert (b.engagements, b.bunshin, b.bunshin_change, b.ending) == (0, None, 0, [])
    assert band.tiles(b, "en")[0].lines[0].label == "—"


def test_a_cached_row_carries_the_band_figures(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "db")
    store.import_document(load_document(demo_file()))
    rows = dash.build_rows(store.engagements(), TODAY, "ja")
    rowcache.save(store.root, store.fingerprint(), rows, TODAY, "ja")
    cached = rowcache.load(store.root, store.fingerprint(), TODAY, "ja")
    assert cached is not None
    assert sorted(cached, key=lambda r: r.id) == sorted(rows, key=lambda r: r.id)  # tuples come back as tuples
    assert band.band(cached, TODAY) == band.band(rows, TODAY)


def test_tiles_line_up_by_cell_width_in_both_languages() -> None:
    rows = dash.view(dash.build_rows(demo(), TODAY, "ja")).rows
    for lang in ("ja", "en"):
        for tile in band.tiles(band.band(rows, TODAY), lang):
            widths = {cell_width(text) for line, text in zip(tile.lines, tile.texts()) if line.value}
            assert len(widths) <= 1, (lang, tile.key, tile.texts())
            assert tile.width() >= max(cell_width(text) for text in tile.texts())
    tiles = band.tiles(band.band(rows, TODAY), "ja")
    assert [tile.texts()[0] for tile in tiles[1:2]] == ["●重大あり  3件"]
    assert tiles[-1].texts() == ["いま              6人", "令和8年度の増減  +6人", "令和7年度末       0人"]
    en = band.tiles(band.band(rows, TODAY), "en")
    assert en[-1].texts() == ["now                6", "change in FY2026  +6", "end of FY2025      0"]
    # The five tiles fit side by side in 120 columns in either language (the snapshot width).
    assert max(band.tiles_width(band.tiles(band.band(rows, TODAY), lang), 1) for lang in ("ja", "en")) <= 118


def test_a_person_named_with_control_characters_is_shown_safely_in_the_band() -> None:
    rows = dash.view(dash.build_rows(demo(), TODAY, "ja")).rows
    rows = [replace(r, person="望月\x1b[31m浩二") if r.id == "en-2025-sanyo-mochizuki" else r for r in rows]
    ending = band.tiles(band.band(rows, TODAY), "ja")[2]
    assert "\x1b" not in "".join(ending.texts()) and "␛" in ending.texts()[1]


def test_the_one_line_keeps_the_legend_and_drops_the_least_telling_first() -> None:
    rows = dash.view(dash.build_rows(demo(), TODAY, "ja")).rows
    parts = band.segments(band.band(rows, TODAY), "ja")
    assert band.line_text(band.fit(parts, 200)) == (
        "●重大3 ▲警告3 ·情報0  90日以内に終了1件  期限超過4項目  分身6人（年度内+6）  在任6 引継ぎ中1")
    assert band.line_text(band.fit(parts, 78)) == "●重大3 ▲警告3 ·情報0  90日以内に終了1件  期限超過4項目  分身6人（年度内+6）"
    assert band.line_text(band.fit(parts, 60)) == "●重大3 ▲警告3 ·情報0  90日以内に終了1件  分身6人"
    en = band.segments(band.band(rows, TODAY), "en")
    assert band.line_text(band.fit(en, 78)) == "●critical 3 ▲warning 3 ·info 0  ending ≤90d 1  overdue 4  Selves 6"  # "Selves" is two cells wider than 分身: the change gives way


@given(
    st.integers(min_value=0, max_value=200),
    st.lists(st.integers(min_value=0, max_value=99_999), min_size=7, max_size=7),
    st.sampled_from(["ja", "en"]),
)
def test_the_one_line_fits_any_width_and_keeps_its_order(width: int, n: list[int], lang: str) -> None:
    b = band.Band(
        engagements=n[0], by_status={"in_term": n[0], "ended": n[1]},
        by_severity={"critical": n[1], "warning": n[2], "info": n[3], "none": 0}, ending=[],
        overdue_items=n[4], overdue_engagements=1, bunshin=n[5], year=2026, current_year=2026, bunshin_change=n[6] - 50_000,
        bunshin_before=0,
    )
    parts = band.segments(b, lang)
    fitted = band.fit(parts, width)
    keys = [p.key for p in fitted]
    assert keys == [p.key for p in parts if p.key in keys]  # nothing reordered
    assert keys[:3] == ["severity.critical", "severity.warning", "severity.info"]  # the legend always stays
    if band.line_width(fitted) > width:  # only what always stays is left
        assert set(keys) <= {"severity.critical", "severity.warning", "severity.info", "ending"}
    assert band.line_text(fitted).count("  ") == len(fitted) - 3  # severities one space apart, the rest two


def test_the_fiscal_year_of_the_change_follows_the_filter() -> None:
    rows = dash.build_rows(demo(), TODAY, "ja")
    assert band.band(rows, TODAY).year == fiscal_year(TODAY)
    assert "令和7年度" in band.tiles(band.band(rows, TODAY, 2025), "ja")[-1].texts()[1]

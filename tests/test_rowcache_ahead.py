"""The rows of the coming days, kept the day before (views/rowcache.keep_ahead): which days, and
that a day's launch takes its rows from them exactly as if it had computed them then."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from xtalent.contracted import DEFAULT_CLOSED_DAYS
from xtalent.settings import PitfallSettings, Settings
from xtalent.settingsfile import SettingsFile
from xtalent.store import Store
from xtalent.views import rowcache, rowhelper
from xtalent.views.dashboard import build_rows, dashboard_row

from tui_support import demo_store

MONDAY = date(2026, 11, 23)
A_YEAR_ON = date(2027, 11, 24)  # a Wednesday: terms have ended, items are overdue


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return demo_store(tmp_path)


def direct(store: Store, today: date, lang: str = "ja", settings=None) -> list:
    """The day's rows computed from the engagements, no cache involved: the oracle."""
    return sorted(build_rows(store.scan(), today, lang, settings), key=lambda r: r.id)


def current(store: Store, today: date, lang: str = "ja", settings=None) -> list:
    return sorted(rowcache.current_rows(store, today, lang, settings), key=lambda r: r.id)


def tamper_ahead(store: Store, day: date) -> None:
    """The rows kept ahead for `day` made to say what no engagement says: reading them shows."""
    path = rowcache.ahead_path(store.root, day)
    document = json.loads(path.read_bytes())
    for entry in document["rows"].values():
        entry["row"]["readiness"] = -1
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


YEAR_END = date(2026, 12, 28)  # a Monday: 年末年始 (12-29 to 01-03) follows
FIRST_DAY_BACK = date(2027, 1, 4)  # a Monday


@pytest.mark.parametrize(("today", "ahead"), [
    (date(2026, 11, 23), ["2026-11-24"]),  # Monday
    (date(2026, 11, 24), ["2026-11-25"]),  # Tuesday
    (date(2026, 11, 25), ["2026-11-26"]),  # Wednesday
    (date(2026, 11, 26), ["2026-11-27"]),  # Thursday
    (date(2026, 11, 27), ["2026-11-28", "2026-11-29", "2026-11-30"]),  # Friday: the weekend and Monday
    (date(2026, 11, 28), ["2026-11-29", "2026-11-30"]),  # Saturday
    (date(2026, 11, 29), ["2026-11-30"]),  # Sunday
    (YEAR_END, ["2026-12-29", "2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02", "2027-01-03",
                "2027-01-04"]),  # 年末年始: up to the first day back
    (date(2026, 12, 31), ["2027-01-01", "2027-01-02", "2027-01-03", "2027-01-04"]),  # a launch within it
    (date(2025, 12, 26), ["2025-12-27", "2025-12-28", "2025-12-29", "2025-12-30", "2025-12-31", "2026-01-01",
                          "2026-01-02", "2026-01-03", "2026-01-04", "2026-01-05"]),  # Friday: weekends both sides
])
def test_the_days_ahead_run_up_to_the_next_open_day(today: date, ahead: list[str]) -> None:
    closed = rowcache.closed_days(None)
    assert closed == DEFAULT_CLOSED_DAYS
    assert [day.isoformat() for day in rowcache.days_ahead(today, closed)] == ahead


def test_the_settings_closed_days_move_the_next_open_day(tmp_path: Path) -> None:
    tuesday = MONDAY + timedelta(days=1)
    closed = [*DEFAULT_CLOSED_DAYS, "11-24"]  # the municipality's own closure (a 創立記念日, say)
    assert rowcache.days_ahead(MONDAY, closed) == [tuesday, tuesday + timedelta(days=1)]
    pitfalls = PitfallSettings(closed_days=closed)
    file = SettingsFile(tmp_path / "settings.toml", b'[pitfalls]\nclosed_days = ["12-29", "12-30", "12-31", "11-24"]\n')
    for settings in (pitfalls, Settings(pitfalls=pitfalls), file):
        assert rowcache.days_ahead(MONDAY, rowcache.closed_days(settings)) == [tuesday, tuesday + timedelta(days=1)]
    # A list without 01-01 to 01-03 (a settings file's own): the office opens on 2027-01-01, a Friday.
    assert rowcache.days_ahead(date(2026, 12, 28), rowcache.closed_days(file))[-1] == date(2027, 1, 1)
    assert rowcache.days_ahead(date(2026, 12, 31), ()) == [date(2027, 1, 1)]  # no closure: the next weekday


def test_the_days_ahead_stop_at_the_most_one_pass_keeps() -> None:
    every_day_of_march = [f"03-{day:02d}" for day in range(1, 32)]
    days = rowcache.days_ahead(date(2027, 2, 26), every_day_of_march)  # a Friday
    assert len(days) == rowcache.AHEAD_DAYS_MAX
    assert days == [date(2027, 2, 27) + timedelta(days=n) for n in range(rowcache.AHEAD_DAYS_MAX)]
    longest = max(len(rowcache.days_ahead(date(2025, 1, 1) + timedelta(days=n), DEFAULT_CLOSED_DAYS))
                  for n in range(366 * 8))
    assert longest < rowcache.AHEAD_DAYS_MAX  # 年末年始 with its weekends never meets the cap


def test_rows_kept_ahead_are_the_days_rows_and_become_its_kept_rows(store: Store) -> None:
    friday = date(2026, 11, 27)
    assert rowcache.keep_ahead(store, friday, "ja") == rowcache.days_ahead(friday, DEFAULT_CLOSED_DAYS)
    for day in rowcache.days_ahead(friday, DEFAULT_CLOSED_DAYS):
        assert rowcache.kept_for(store.root, day, "ja")  # the launch's helper is not started for them
        assert rowcache.load(store.root, store.fingerprint(), day, "ja") == [
            dashboard_row(e, day, "ja") for e in store.scan()]
    monday = date(2026, 11, 30)
    tamper_ahead(store, monday)  # proof that they are what the day's rows are taken from
    assert {r.readiness for r in current(store, monday)} == {-1}
    assert not rowcache.ahead_path(store.root, monday).exists()  # they are the day's kept rows now
    assert rowcache.read(store.root)["today"] == monday.isoformat()
    assert {r.readiness for r in current(store, monday)} == {-1}


def test_rows_kept_ahead_equal_the_rows_computed_on_their_day(store: Store) -> None:
    rowcache.keep_ahead(store, A_YEAR_ON - timedelta(days=1), "ja")
    assert current(store, A_YEAR_ON) == direct(store, A_YEAR_ON)
    assert direct(store, A_YEAR_ON) != direct(store, MONDAY)  # the day matters to them


def test_a_file_edited_after_the_pass_has_its_row_computed_on_the_day(store: Store) -> None:
    tuesday = MONDAY + timedelta(days=1)
    rowcache.keep_ahead(store, MONDAY, "ja")
    tamper_ahead(store, tuesday)
    edited = store.engagements()[0]
    store.save(edited.model_copy(update={"department": "改名した課"}))
    rows = {r.id: r for r in current(store, tuesday)}
    assert rows[edited.id] == dashboard_row(store.get(edited.id), tuesday, "ja")
    assert rows[edited.id].readiness != -1 and rows[edited.id].department == "改名した課"
    assert {r.readiness for eid, r in rows.items() if eid != edited.id} == {-1}  # the others as kept


def test_list_takes_the_rows_kept_ahead_without_moving_them(store: Store, capsys, monkeypatch) -> None:
    from xtalent.cli import main

    tuesday = MONDAY + timedelta(days=1)
    rowcache.keep_ahead(store, MONDAY, "ja")
    monkeypatch.setattr(Store, "scan", lambda *a, **k: pytest.fail("an engagement was read"))
    assert main(["--db", str(store.root), "--today", tuesday.isoformat(), "--lang", "ja", "list"]) == 0
    assert capsys.readouterr().out
    assert rowcache.ahead_path(store.root, tuesday).exists()  # `list` reads the cache, writes none


@pytest.mark.parametrize("change", ["lang", "settings", "code"])
def test_rows_kept_ahead_for_another_language_settings_or_code_are_not_taken(store: Store, monkeypatch, change) -> None:
    tuesday = MONDAY + timedelta(days=1)
    rowcache.keep_ahead(store, MONDAY, "ja")
    tamper_ahead(store, tuesday)
    lang, settings = "ja", None
    if change == "lang":
        lang = "en"
    elif change == "settings":
        settings = PitfallSettings(term_ending_days=400, stalled_days=10)
    else:
        monkeypatch.setattr(rowcache, "code_version", lambda: "0.1.0+an-upgrade")
    assert not rowcache.kept_for(store.root, tuesday, lang, settings)
    assert current(store, tuesday, lang, settings) == direct(store, tuesday, lang, settings)


def test_a_pass_keeps_what_is_kept_for_unchanged_files_and_computes_the_others(store: Store, monkeypatch) -> None:
    tuesday = MONDAY + timedelta(days=1)
    rowcache.keep_ahead(store, MONDAY, "ja")
    monkeypatch.setattr(rowcache, "AHEAD_MIN", 1)
    assert not rowcache.ahead_wanted(store.root, store.fingerprint(), MONDAY, "ja")  # kept for these files
    assert rowcache.ahead_wanted(store.root, store.fingerprint(), MONDAY, "en")
    tamper_ahead(store, tuesday)
    edited = store.engagements()[0]
    store.save(edited.model_copy(update={"department": "改名した課"}))
    assert rowcache.ahead_wanted(store.root, store.fingerprint(), MONDAY, "ja")  # a file changed since
    rowcache.keep_ahead(store, MONDAY, "ja")
    assert not rowcache.ahead_wanted(store.root, store.fingerprint(), MONDAY, "ja")
    kept = {r.id: r for r in rowcache.load(store.root, store.fingerprint(), tuesday, "ja")}
    assert kept[edited.id] == dashboard_row(store.get(edited.id), tuesday, "ja")
    assert {r.readiness for eid, r in kept.items() if eid != edited.id} == {-1}  # not computed again


def test_too_few_engagements_want_no_pass(store: Store, monkeypatch) -> None:
    fingerprint = store.fingerprint()
    monkeypatch.setattr(rowcache, "AHEAD_MIN", len(fingerprint) + 1)
    assert not rowcache.ahead_wanted(store.root, fingerprint, MONDAY, "ja")
    monkeypatch.setattr(rowcache, "AHEAD_MIN", len(fingerprint))
    assert rowcache.ahead_wanted(store.root, fingerprint, MONDAY, "ja")


def test_past_days_are_pruned_and_later_ones_kept(store: Store) -> None:
    rowcache.keep_ahead(store, date(2026, 11, 27), "ja")  # Friday: Saturday, Sunday, Monday
    (store.root / "cache" / "dashboard-rows-notaday.json").write_text("{}", encoding="utf-8")  # not one of ours
    sunday = date(2026, 11, 29)
    rowcache.current_rows(store, sunday, "ja")  # Sunday's launch: Saturday's rows are left behind
    rowcache.keep_ahead(store, sunday, "ja")  # Sunday: Monday
    names = sorted(p.name for p in (store.root / "cache").glob("dashboard-rows-*.json"))
    assert names == ["dashboard-rows-2026-11-30.json", "dashboard-rows-notaday.json"]
    assert rowcache.read(store.root)["today"] == sunday.isoformat()  # the day's own kept rows stay


def test_a_damaged_file_gets_no_row_ahead_and_its_day_reports_it(store: Store) -> None:
    damaged = store.folder.files()[0]
    damaged.write_bytes(b"{ not json")
    tuesday = MONDAY + timedelta(days=1)
    assert rowcache.keep_ahead(store, MONDAY, "ja") == [tuesday]
    document = json.loads(rowcache.ahead_path(store.root, tuesday).read_bytes())
    assert damaged.stem not in document["rows"] and len(document["rows"]) == len(store.fingerprint()) - 1
    with pytest.raises(Exception) as reading:
        list(store.scan())
    with pytest.raises(type(reading.value)) as launching:
        rowcache.current_rows(store, tuesday, "ja")
    assert str(launching.value) == str(reading.value)  # the same error as without rows kept ahead


def test_a_pass_stops_keeping_nothing_once_its_app_has_gone(store: Store) -> None:
    assert rowcache.keep_ahead(store, MONDAY, "ja", live=lambda: False) == []
    assert not rowcache.ahead_path(store.root, MONDAY + timedelta(days=1)).exists()


def test_the_pass_process_keeps_the_rows_and_says_which_days(store: Store) -> None:
    ahead = rowhelper.ahead_pass(store.root, MONDAY, "ja", None)
    assert ahead is not None
    assert ahead.run() == [MONDAY + timedelta(days=1)]
    assert ahead.process is not None and ahead.process.returncode == 0
    assert current(store, MONDAY + timedelta(days=1)) == direct(store, MONDAY + timedelta(days=1))


def test_a_pass_stopped_before_it_runs_starts_no_process(store: Store) -> None:
    ahead = rowhelper.ahead_pass(store.root, MONDAY, "ja", None)
    ahead.stop()
    assert ahead.run() == [] and ahead.process is None
    assert rowhelper.ahead_pass(store.root, MONDAY, "ja", PitfallSettings(stalled_days=5)) is None  # not sendable


def test_the_launch_starts_no_helper_for_a_day_whose_rows_are_kept_ahead(store: Store, monkeypatch) -> None:
    tuesday = MONDAY + timedelta(days=1)
    rowcache.keep_ahead(store, MONDAY, "ja")
    monkeypatch.setattr(rowhelper, "HELPER_MIN", 1)
    monkeypatch.setattr(rowhelper, "Helper", lambda *a, **k: pytest.fail("a helper was started"))
    rowhelper.prestart(store, tuesday, "ja", None)
    assert rowhelper._waiting == {}
    rowcache.ahead_path(store.root, tuesday).unlink()
    started: list = []
    monkeypatch.setattr(rowhelper, "Helper", lambda *a, **k: started.append(a))
    rowhelper.prestart(store, tuesday, "ja", None)  # only yesterday's rows: every row is computed
    assert len(started) == 1


def test_the_year_end_pass_reads_each_file_once_and_keeps_every_day_up_to_the_first_day_back(store: Store, monkeypatch) -> None:
    from xtalent import codec
    from xtalent.views import dashboard

    parsed: list = []
    computed: list[date] = []
    parse, row = codec.parse, dashboard.dashboard_row
    monkeypatch.setattr(codec, "parse", lambda *a, **k: parsed.append(a[0]) or parse(*a, **k))
    monkeypatch.setattr(dashboard, "dashboard_row", lambda e, day, *a, **k: computed.append(day) or row(e, day, *a, **k))
    days = rowcache.days_ahead(YEAR_END, DEFAULT_CLOSED_DAYS)
    assert rowcache.keep_ahead(store, YEAR_END, "ja") == days and days[-1] == FIRST_DAY_BACK
    files = len(store.fingerprint())
    assert len(parsed) == len(set(parsed)) == files  # a file is read once for all seven days
    assert sorted(computed) == sorted(days * files)  # and a row computed for each of them
    for day in days:
        assert rowcache.load(store.root, store.fingerprint(), day, "ja") == [dashboard_row(e, day, "ja") for e in store.scan()]


def test_a_launch_within_the_closure_wants_no_pass_and_leaves_the_later_days_kept(store: Store, monkeypatch) -> None:
    rowcache.keep_ahead(store, YEAR_END, "ja")
    monkeypatch.setattr(rowcache, "AHEAD_MIN", 1)
    fingerprint = store.fingerprint()
    monkeypatch.setattr(rowcache, "_read_document", lambda path: pytest.fail(f"{path.name} was read whole"))
    for today in rowcache.days_ahead(YEAR_END, DEFAULT_CLOSED_DAYS)[:-1]:  # heads alone tell
        assert not rowcache.ahead_wanted(store.root, fingerprint, today, "ja")
    assert rowcache.ahead_wanted(store.root, fingerprint, FIRST_DAY_BACK, "ja")  # its next day is not kept
    monkeypatch.undo()
    new_years_eve = date(2026, 12, 31)
    rowcache.current_rows(store, new_years_eve, "ja")  # someone in on 12-31: the day's rows become kept
    rowcache.keep_ahead(store, new_years_eve, "ja")
    names = sorted(p.name for p in (store.root / "cache").glob("dashboard-rows-*.json"))
    assert names == [f"dashboard-rows-{day}.json" for day in ("2027-01-01", "2027-01-02", "2027-01-03", "2027-01-04")]
    tamper_ahead(store, FIRST_DAY_BACK)  # proof that the first day back takes its rows from them
    assert {r.readiness for r in current(store, FIRST_DAY_BACK)} == {-1}


def test_a_pass_keeps_the_days_up_to_the_open_day_of_its_settings(store: Store, tmp_path: Path) -> None:
    tuesday, wednesday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)
    pitfalls = PitfallSettings(closed_days=[*DEFAULT_CLOSED_DAYS, "11-24"])
    assert rowcache.keep_ahead(store, MONDAY, "ja", pitfalls) == [tuesday, wednesday]
    assert current(store, wednesday, "ja", pitfalls) == direct(store, wednesday, "ja", pitfalls)
    file = SettingsFile(tmp_path / "settings.toml", b'[pitfalls]\nclosed_days = ["11-24", "11-25"]\n')
    ahead = rowhelper.ahead_pass(store.root, MONDAY, "ja", file)  # the dashboard's pass, in its process
    assert ahead is not None and ahead.run() == [tuesday, wednesday, MONDAY + timedelta(days=3)]
    assert rowcache.kept_for(store.root, MONDAY + timedelta(days=3), "ja", file)

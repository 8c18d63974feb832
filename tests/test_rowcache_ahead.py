"""The rows of the coming days, kept the day before (views/rowcache.keep_ahead): which days, and
that a day's launch takes its rows from them exactly as if it had computed them then."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from xtalent.settings import PitfallSettings
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


@pytest.mark.parametrize(("today", "ahead"), [
    (date(2026, 11, 23), ["2026-11-24"]),  # Monday
    (date(2026, 11, 24), ["2026-11-25"]),  # Tuesday
    (date(2026, 11, 25), ["2026-11-26"]),  # Wednesday
    (date(2026, 11, 26), ["2026-11-27"]),  # Thursday
    (date(2026, 11, 27), ["2026-11-28", "2026-11-29", "2026-11-30"]),  # Friday: the weekend and Monday
    (date(2026, 11, 28), ["2026-11-29", "2026-11-30"]),  # Saturday
    (date(2026, 11, 29), ["2026-11-30"]),  # Sunday
    (date(2026, 12, 31), ["2027-01-01"]),  # across a year (holidays are not known)
])
def test_the_days_ahead_run_up_to_the_next_working_day(today: date, ahead: list[str]) -> None:
    assert [day.isoformat() for day in rowcache.days_ahead(today)] == ahead


def test_rows_kept_ahead_are_the_days_rows_and_become_its_kept_rows(store: Store) -> None:
    friday = date(2026, 11, 27)
    assert rowcache.keep_ahead(store, friday, "ja") == rowcache.days_ahead(friday)
    for day in rowcache.days_ahead(friday):
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

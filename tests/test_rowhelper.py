"""The second process that computes dashboard rows on a cold launch (views/rowhelper.py): the rows
it delivers are the rows computed here, a damaged file is reported exactly as without it, nothing
is taken from a helper of another code version, and none starts when the rows are kept."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from xtalent.settingsfile import SettingsFile
from xtalent.store import Store, StoreError
from tui_support import imported_demo
from xtalent.views import rowcache, rowhelper
from xtalent.views.dashboard import build_rows

TODAY = date(2026, 11, 23)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return imported_demo(tmp_path)


def direct(store: Store, today: date = TODAY, lang: str = "ja", settings=None) -> list:
    return build_rows(store.engagements(), today, lang, settings)


def finished(paths, today, lang, settings) -> rowhelper.Helper:
    """A helper that has done all it will do before the caller computes anything."""
    helper = rowhelper.Helper(paths, today, lang, settings)
    helper.process.wait()
    helper.reader.join()
    return helper


def test_the_helpers_rows_are_the_rows_computed_here(store: Store) -> None:
    paths = store.folder.files()
    for lang in ("ja", "en"):
        helper = finished(paths, TODAY, lang, None)
        assert sorted(helper.rows.values(), key=lambda r: r.id) == direct(store, lang=lang)


def test_with_a_settings_file_the_helper_applies_it(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("[pitfalls]\nstalled_days = 5\nterm_ending_days = 400\n", encoding="utf-8")
    settings = SettingsFile.read(path)
    helper = finished(store.folder.files(), TODAY, "ja", settings)
    rows = sorted(helper.rows.values(), key=lambda r: r.id)
    assert rows == direct(store, settings=settings)
    assert rows != direct(store)  # the thresholds change what the rows say


def test_current_rows_takes_the_helpers_rows_and_they_are_the_same(store: Store, monkeypatch) -> None:
    monkeypatch.setattr(rowhelper, "HELPER_MIN", 1)
    taken = []

    def start(paths, today, lang, settings):
        taken.append(finished(paths, today, lang, settings))
        return taken[-1]

    monkeypatch.setattr(rowhelper, "start", start)
    offered = []
    rows = rowcache.current_rows(store, TODAY, "ja", first=lambda rows, total: offered.append(rows))
    assert len(taken) == 1 and len(taken[0].rows) == 8  # every row came from the helper
    assert sorted(rows, key=lambda r: r.id) == direct(store)
    assert rowcache.load(store.root, store.fingerprint(), TODAY, "ja") == rows  # and was kept


@pytest.mark.parametrize("which", [0, -1])
def test_a_damaged_file_is_reported_as_without_a_helper(store: Store, monkeypatch, which: int) -> None:
    path = store.folder.files()[which]
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(StoreError) as without:
        rowcache.current_rows(store, TODAY, "ja")
    monkeypatch.setattr(rowhelper, "HELPER_MIN", 1)
    monkeypatch.setattr(rowhelper, "start", finished)
    with pytest.raises(StoreError) as helped:
        rowcache.current_rows(store, TODAY, "ja")
    assert str(helped.value) == str(without.value) and path.name in str(helped.value)
    assert not rowcache.cache_path(store.root).exists()


def test_nothing_is_taken_from_a_helper_of_another_code_version(store: Store, monkeypatch) -> None:
    monkeypatch.setattr(rowhelper, "code_version", lambda: "0.0.0+another")
    helper = finished(store.folder.files(), TODAY, "ja", None)
    assert helper.rows == {} and not helper.has(store.folder.files()[0].stem)
    monkeypatch.setattr(rowhelper, "HELPER_MIN", 1)
    monkeypatch.setattr(rowhelper, "start", finished)
    assert sorted(rowcache.current_rows(store, TODAY, "ja"), key=lambda r: r.id) == direct(store)


def test_a_file_deleted_before_the_helper_reads_it_is_left_out_as_here(store: Store, monkeypatch) -> None:
    paths = store.folder.files()
    gone = paths[-1]
    gone.unlink()
    helper = finished(paths, TODAY, "ja", None)
    assert helper.gone == {gone.stem} and len(helper.rows) == 7 and helper.has(gone.stem)


def test_no_helper_for_few_rows_or_for_settings_it_cannot_be_given(store: Store, monkeypatch) -> None:
    monkeypatch.setattr(rowhelper, "Helper", lambda *a: pytest.fail("a helper was started"))
    paths = store.folder.files()
    assert rowhelper.start(paths, TODAY, "ja", None) is None  # 8 < HELPER_MIN
    monkeypatch.setattr(rowhelper, "HELPER_MIN", 1)
    from xtalent.settings import PitfallSettings

    assert rowhelper.start(paths, TODAY, "ja", PitfallSettings(stalled_days=5)) is None


def test_the_launch_starts_none_when_todays_rows_are_kept(store: Store, monkeypatch) -> None:
    monkeypatch.setattr(rowhelper, "HELPER_MIN", 1)
    rowcache.current_rows(store, TODAY, "ja")  # kept
    monkeypatch.setattr(rowhelper, "Helper", lambda *a: pytest.fail("a helper was started"))
    rowhelper.prestart(store, TODAY, "ja", None)
    assert rowhelper._waiting == {}
    rowcache.current_rows(store, TODAY, "ja")  # every row kept: no helper either


def test_the_launch_starts_one_for_another_day_and_the_first_load_takes_it(store: Store, monkeypatch) -> None:
    monkeypatch.setattr(rowhelper, "HELPER_MIN", 1)
    rowcache.current_rows(store, TODAY, "ja")
    tomorrow = date(2026, 11, 24)
    rowhelper.prestart(store, tomorrow, "ja", None)
    assert len(rowhelper._waiting) == 1
    (waiting,) = rowhelper._waiting.values()
    started = []
    monkeypatch.setattr(rowhelper, "Helper", lambda *a: started.append(a))
    rows = rowcache.current_rows(store, tomorrow, "ja")
    assert rowhelper._waiting == {} and started == []  # the launch's helper was taken
    assert waiting.process.poll() is not None  # and ended
    assert sorted(rows, key=lambda r: r.id) == direct(store, tomorrow)


@pytest.mark.parametrize("change", ["day", "lang", "settings", "code", "none", "damaged"])
def test_kept_for_reads_the_key_from_the_head_of_the_file(store: Store, monkeypatch, tmp_path: Path, change: str) -> None:
    rowcache.current_rows(store, TODAY, "ja")
    assert rowcache.kept_for(store.root, TODAY, "ja")
    args = {"today": TODAY, "lang": "ja", "settings": None}
    if change == "day":
        args["today"] = date(2026, 11, 24)
    elif change == "lang":
        args["lang"] = "en"
    elif change == "settings":
        path = tmp_path / "s.toml"
        path.write_text("[pitfalls]\nstalled_days = 5\n", encoding="utf-8")
        args["settings"] = SettingsFile.read(path)
    elif change == "code":
        monkeypatch.setattr(rowcache, "code_version", lambda: "0.0.0+another")
    elif change == "none":
        rowcache.cache_path(store.root).unlink()
    else:
        rowcache.cache_path(store.root).write_bytes(b'{"format": 4, "co')
    assert not rowcache.kept_for(store.root, args["today"], args["lang"], args["settings"])


def test_a_launchs_helper_not_needed_by_the_first_load_is_ended(store: Store, monkeypatch) -> None:
    monkeypatch.setattr(rowhelper, "HELPER_MIN", 1)
    rowcache.current_rows(store, TODAY, "ja")
    monkeypatch.setattr(rowcache, "kept_for", lambda *a: False)  # as if the head could not be read
    rowhelper.prestart(store, TODAY, "ja", None)
    (waiting,) = rowhelper._waiting.values()
    rows = rowcache.current_rows(store, TODAY, "ja")  # every row kept: it is not taken
    assert rowhelper._waiting == {} and waiting.process.poll() is not None
    assert sorted(rows, key=lambda r: r.id) == direct(store)

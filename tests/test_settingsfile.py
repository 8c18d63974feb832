"""The TUI's settings file: its bytes read once, validated before the first screen the first time
they are seen, then by the first worker that needs them (xtalent/settingsfile.py)."""

from __future__ import annotations

import asyncio
import threading
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
import pytest
from tui_support import demo_store, notices

from xtalent import settingsfile
from xtalent.errors import XtalentError
from xtalent.pitfalls import evaluate
from xtalent.settings import SettingsError, load_settings
from xtalent.settingsfile import REMEMBERED, SettingsFile, checked_before, remember_checked, resolve
from xtalent.views import rowcache

TODAY = date(2026, 11, 23)


def write(path: Path, text: str, newline: str = "\n") -> Path:
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


def test_no_file_is_the_defaults_and_an_unreadable_one_names_itself(tmp_path: Path) -> None:
    assert SettingsFile.read(tmp_path / "none.toml") is None
    with pytest.raises(XtalentError) as caught:
        SettingsFile.read(tmp_path)  # a folder where the file should be
    assert caught.value.key == "settings.unreadable" and str(tmp_path) in caught.value.message("en")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_the_file_loads_as_load_settings_reads_it(tmp_path: Path, newline: str) -> None:
    path = write(tmp_path / "s.toml", "[pitfalls]\nstalled_days = 30\ndisabled = [\"underused\"]\n", newline)
    loaded = SettingsFile.read(path).load()
    assert loaded == load_settings(path)
    assert loaded.pitfalls.stalled_days == 30 and loaded.pitfalls.disabled == ["underused"]


def test_a_bad_file_is_refused_naming_file_and_key(tmp_path: Path) -> None:
    path = write(tmp_path / "s.toml", "[pitfalls]\nstalled_days = -1\n")
    with pytest.raises(SettingsError) as caught:
        SettingsFile.read(path).load()
    assert "stalled_days" in caught.value.message("en") and str(path) in caught.value.message("en")


def test_it_is_validated_once_whichever_threads_ask(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import xtalent.settings as settings_module

    calls: list[int] = []
    parse = settings_module.parse_settings

    def counting(data, path):
        calls.append(1)
        return parse(data, path)

    monkeypatch.setattr(settings_module, "parse_settings", counting)
    file = SettingsFile.read(write(tmp_path / "s.toml", "[pitfalls]\nstalled_days = 30\n"))
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(file.load())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and all(r is results[0] for r in results)


def test_the_key_follows_the_bytes_and_the_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = SettingsFile(tmp_path / "s.toml", b"[pitfalls]\nstalled_days = 30\n")
    assert SettingsFile(tmp_path / "other.toml", a.data).key == a.key  # the content, not the name
    assert SettingsFile(a.path, a.data + b"\n").key != a.key
    monkeypatch.setattr(settingsfile, "code_version", lambda: "99.0+another")
    assert SettingsFile(a.path, a.data).key != a.key  # other rules may read the same file otherwise


def test_what_was_checked_is_remembered_per_database(tmp_path: Path) -> None:
    db = tmp_path / "db"
    db.mkdir()
    files = [SettingsFile(tmp_path / "s.toml", f"# {n}\n".encode()) for n in range(REMEMBERED + 2)]
    assert not checked_before(db, files[0])
    for file in files:
        remember_checked(db, file)
    assert all(checked_before(db, f) for f in files[-REMEMBERED:])
    assert not checked_before(db, files[0])  # the oldest are forgotten
    assert not checked_before(tmp_path / "other-db", files[-1])


@pytest.mark.parametrize("damage", [b"", b"{", b"[]", b'{"keys": "file-x"}', b'{"keys": [1, 2]}', b"\xff"])
def test_a_damaged_record_means_validating_again(tmp_path: Path, damage: bytes) -> None:
    db = tmp_path / "db"
    file = SettingsFile(tmp_path / "s.toml", b"")
    (db / "cache").mkdir(parents=True)
    (db / "cache" / settingsfile.CHECKED_NAME).write_bytes(damage)
    assert not checked_before(db, file)
    remember_checked(db, file)
    assert checked_before(db, file)


def test_an_unwritable_cache_folder_only_costs_the_validation(tmp_path: Path) -> None:
    db = tmp_path / "db"
    db.mkdir()
    (db / "cache").write_text("not a folder", encoding="utf-8")
    file = SettingsFile(tmp_path / "s.toml", b"")
    remember_checked(db, file)  # no error
    assert not checked_before(db, file)


def test_rules_and_the_row_cache_take_the_file_as_its_settings(tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    file = SettingsFile.read(write(tmp_path / "s.toml", "[pitfalls]\nstalled_days = 30\nterm_ending_days = 200\n"))
    for engagement in store.engagements():
        assert evaluate(engagement, TODAY, file) == evaluate(engagement, TODAY, file.load())
    assert resolve(file) is file.load() and resolve(None) is None
    assert rowcache.settings_key(file) == file.key != rowcache.settings_key(None)


async def test_a_file_remembered_as_usable_that_is_not_is_reported_in_the_app(tmp_path: Path) -> None:
    """Say the rules changed under an unchanged version: the first worker finds the file bad and
    the app says so, naming the key, instead of failing or using the defaults."""
    from xtalent.cli import parse_args
    from xtalent.cli.context import Context
    from xtalent.cli.tui import build_app

    demo_store(tmp_path)
    path = write(tmp_path / "s.toml", "[pitfalls]\nstalled_days = -1\n")
    remember_checked(tmp_path / "db", SettingsFile.read(path))
    argv = ["--db", str(tmp_path / "db"), "--config", str(path), "--today", "2026-11-23", "--lang", "en"]
    app = build_app(Context.from_args(parse_args(argv)))
    async with app.run_test(size=(120, 40)):
        for _ in range(500):
            if any("stalled_days" in n.message for n in notices(app)):
                break
            await asyncio.sleep(0.02)
        assert any("stalled_days" in n.message for n in notices(app))
        assert app.is_running


SETTINGS_PIECES = [b"[pitfalls]\n", b"stalled_days = 30\n", b"stalled_days = -1\n", b"disabled = [\"underused\"]\n",
                   b"disabled = [\"nope\"]\n", b"overload_share = 0.5\n", b"term_ending_days = \"90\"\n", b"x = 1\n",
                   b"[other]\n", b"\r\n", b"\r", b"= broken\n", b"\xff\xfe", "# 設定\n".encode()]


@given(st.lists(st.sampled_from(SETTINGS_PIECES), max_size=8) | st.binary(max_size=80))
@settings(max_examples=300, deadline=None, database=None, derandomize=True)
def test_any_bytes_are_settings_or_an_error_naming_the_file(data: bytes) -> None:
    data = b"".join(data) if isinstance(data, list) else data
    path = Path("/somewhere/settings.toml")
    try:
        loaded = SettingsFile(path, data).load()
    except XtalentError as error:
        assert str(path) in error.message("en")
    else:
        assert loaded.pitfalls.term_ending_critical_days <= loaded.pitfalls.term_ending_days

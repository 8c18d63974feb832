"""Shared test setup: every test starts in Japanese (the default) with no user environment."""

from __future__ import annotations

import pytest

from xtalent.i18n import DEFAULT_LANGUAGE, set_language


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    # Never touch the user's database or settings, and never follow the machine's locale.
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XTALENT_DB", str(home / "db"))
    monkeypatch.setenv("XTALENT_CONFIG", str(home / "settings.toml"))
    monkeypatch.setenv("XTALENT_CACHE", str(home / "cache"))
    monkeypatch.setenv("XTALENT_LOG", str(home / "log" / "crash.log"))
    for var in ("XTALENT_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE", "XTALENT_IMPORT_MAX_MB",
                "XTALENT_IMPORT_MAX_ENGAGEMENTS", "XTALENT_IMPORT_MAX_RECORDS"):
        monkeypatch.delenv(var, raising=False)
    set_language(DEFAULT_LANGUAGE)
    yield
    set_language(DEFAULT_LANGUAGE)

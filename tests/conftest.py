"""Shared test setup: every test starts in Japanese (the default) with no user environment."""

from __future__ import annotations

import compileall
import sys
from pathlib import Path

import pytest

from install_support import OfflineInstall, build_and_install
from xtalent.i18n import DEFAULT_LANGUAGE, set_language


ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    # These machines set PYTHONDONTWRITEBYTECODE, so every process of a run (each xdist worker,
    # each `xtalent` a test starts, ~60 of them) compiled xtalent and the UI from source again,
    # and pytest rewrote every test module again. Byte code (gitignored __pycache__) is written
    # once, as a first run of xtalent does (bench/run.py does the same); a process started with
    # the variable still reads it.
    sys.dont_write_bytecode = False
    if not hasattr(config, "workerinput"):  # the controller: once, before any worker starts
        for folder in ("xtalent", "screens"):
            compileall.compile_dir(ROOT / folder, quiet=1)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    # Never touch the user's database or settings, and never follow the machine's locale.
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XTALENT_DB", str(home / "db"))
    monkeypatch.setenv("XTALENT_CONFIG", str(home / "settings.toml"))
    monkeypatch.setenv("XTALENT_CACHE", str(home / "cache"))
    monkeypatch.setenv("XTALENT_LOG", str(home / "log" / "crash.log"))
    # Nor the runner's terminal: pytest-xdist gives its workers COLUMNS=80, a terminal its own.
    for var in ("XTALENT_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE", "XTALENT_IMPORT_MAX_MB",
                "XTALENT_IMPORT_MAX_ENGAGEMENTS", "XTALENT_IMPORT_MAX_RECORDS", "COLUMNS", "LINES"):
        monkeypatch.delenv(var, raising=False)
    set_language(DEFAULT_LANGUAGE)
    yield
    set_language(DEFAULT_LANGUAGE)


@pytest.fixture(scope="session")
def offline_install(tmp_path_factory: pytest.TempPathFactory) -> OfflineInstall:
    """The offline bundle built from this tree and installed with no index (install_support.py).

    Session-wide: building and installing is most of the packaging tests' time, and the bundle's
    install is a fresh venv holding the wheel, which is what the packaging tests need too. The
    two files form one xdist group, so a parallel run builds it once.
    """
    return build_and_install(tmp_path_factory.mktemp("bundle"))

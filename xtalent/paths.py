"""Where a user's data and settings live: --db / XTALENT_DB, else the platform's user dirs."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

APP = "xtalent"
# platformdirs and importlib.resources are imported where they are used: a command given --db
# and XTALENT_CONFIG/XTALENT_CACHE (or --config) needs neither (importlib.resources alone
# brings tempfile, shutil, zipfile: a few ms of every command).


def default_db(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    if env.get("XTALENT_DB"):
        return Path(env["XTALENT_DB"]).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP, appauthor=False) / "db"


def default_config(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    if env.get("XTALENT_CONFIG"):
        return Path(env["XTALENT_CONFIG"]).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP, appauthor=False) / "settings.toml"


def default_cache(environ: Mapping[str, str] | None = None) -> Path:
    """Derived data that is not any one database's (the parsed message catalog):
    XTALENT_CACHE, else the platform's user cache folder; safe to delete."""
    env = os.environ if environ is None else environ
    if env.get("XTALENT_CACHE"):
        return Path(env["XTALENT_CACHE"]).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path(APP, appauthor=False)


def demo_file() -> Path:
    """The shipped demo dataset: data/demo.json in the repo, installed as xtalent/data/demo.json."""
    from importlib.resources import files

    # pip unpacks wheels into folders, so the resource is a file on disk, not a member of a zip.
    return Path(str(files("xtalent.data") / "demo.json"))

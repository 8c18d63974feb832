"""Where a user's data and settings live: --db / XTALENT_DB, else the platform's user dirs."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path
from typing import Mapping

from platformdirs import user_cache_path, user_config_path, user_data_path

APP = "xtalent"


def default_db(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    if env.get("XTALENT_DB"):
        return Path(env["XTALENT_DB"]).expanduser()
    return user_data_path(APP, appauthor=False) / "db"


def default_config(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    if env.get("XTALENT_CONFIG"):
        return Path(env["XTALENT_CONFIG"]).expanduser()
    return user_config_path(APP, appauthor=False) / "settings.toml"


def default_cache(environ: Mapping[str, str] | None = None) -> Path:
    """Derived data that is not any one database's (the parsed message catalog):
    XTALENT_CACHE, else the platform's user cache folder; safe to delete."""
    env = os.environ if environ is None else environ
    if env.get("XTALENT_CACHE"):
        return Path(env["XTALENT_CACHE"]).expanduser()
    return user_cache_path(APP, appauthor=False)


def demo_file() -> Path:
    """The shipped demo dataset: data/demo.json in the repo, installed as xtalent/data/demo.json."""
    # pip unpacks wheels into folders, so the resource is a file on disk, not a member of a zip.
    return Path(str(files("xtalent.data") / "demo.json"))

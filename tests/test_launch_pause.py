"""The collector paused for the launch comes back on: after the first paint, on a failed load,
when the app ends.  (bench/run.py measures what the pause saves; nothing here is timed.)"""

from __future__ import annotations

import asyncio
import gc
from datetime import date
from pathlib import Path

import pytest
from tui_support import demo_store
from textual.widgets import DataTable

import xtalent_screens.app as app_module
from xtalent.cli import parse_args
from xtalent.cli import tui as cli_tui
from xtalent.cli.context import Context
from xtalent.errors import XtalentError


@pytest.fixture(autouse=True)
def collector_back_on():
    yield
    gc.enable()  # a failing test must not leave the rest of the suite without a collector


def launch_context(tmp_path: Path) -> Context:
    demo_store(tmp_path)
    # An empty file: the defaults, and never the user's own settings.
    (tmp_path / "none.toml").write_bytes(b"")
    argv = ["--db", str(tmp_path / "db"), "--config", str(tmp_path / "none.toml"), "--today", "2026-11-23"]
    return Context.from_args(parse_args(argv))


async def wait_until(condition, seconds: float = 10.0) -> bool:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return True
        await asyncio.sleep(0.02)
    return condition()


async def test_the_collector_is_paused_for_the_launch_and_back_on_after_the_first_paint(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(app_module, "WARM_UP_DELAY", 0.05)
    monkeypatch.setattr(app_module, "LAUNCH_PAUSE_LIMIT", 600.0)  # only the first paint can resume it
    app = cli_tui.build_app(launch_context(tmp_path))
    assert not gc.isenabled()
    async with app.run_test(size=(120, 40)):
        assert await wait_until(lambda: app.screen.query_one(DataTable).row_count == 7)
        assert await wait_until(gc.isenabled)


async def test_a_dashboard_that_never_loads_still_gets_the_collector_back(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(app_module, "LAUNCH_PAUSE_LIMIT", 0.1)
    app = cli_tui.build_app(launch_context(tmp_path))

    def unreadable():
        raise OSError("disk gone")

    monkeypatch.setattr(app.store, "fingerprint", unreadable)
    async with app.run_test(size=(120, 40)):
        assert await wait_until(gc.isenabled)
        assert app.screen.query_one(DataTable).row_count == 0


def test_the_collector_is_back_on_when_the_app_ends_early(tmp_path, monkeypatch) -> None:
    ctx = launch_context(tmp_path)

    def run(self) -> None:  # the app failed or quit before its first screen
        assert not gc.isenabled()
        raise RuntimeError("no terminal")

    monkeypatch.setattr(app_module.XtalentApp, "run", run)
    with pytest.raises(RuntimeError):
        cli_tui.run_tui(None, ctx)  # type: ignore[arg-type]
    assert gc.isenabled()


def test_a_refused_settings_file_leaves_the_collector_on(tmp_path) -> None:
    ctx = launch_context(tmp_path)
    ctx.config_path.write_text("[pitfalls\n", encoding="utf-8")
    with pytest.raises(XtalentError) as refused:
        cli_tui.build_app(ctx)
    assert refused.value.key == "settings.not_toml"
    assert gc.isenabled()

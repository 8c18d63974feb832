"""The launch never switches the garbage collector: it freezes what the launch imported, once,
and the collector stays on in every thread (nothing here is timed)."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path

from textual.widgets import DataTable
from tui_support import demo_store

from xtalent.cli import parse_args
from xtalent.cli import tui as cli_tui
from xtalent.cli.context import Context


def launch_context(tmp_path: Path) -> Context:
    demo_store(tmp_path)
    argv = ["--db", str(tmp_path / "db"), "--today", "2026-11-23"]  # no settings file (conftest)
    return Context.from_args(parse_args(argv))


async def test_the_collector_stays_on_through_the_launch_and_in_workers(tmp_path) -> None:
    gc.unfreeze()  # what conftest froze for the test process: the launch must freeze on its own
    assert gc.get_freeze_count() == 0
    app = cli_tui.build_app(launch_context(tmp_path))
    assert gc.isenabled() and gc.get_freeze_count() > 0
    seen_in_worker: list[bool] = []
    async with app.run_test(size=(120, 40)):
        for _ in range(500):
            if app.screen.query_one(DataTable).row_count == 7:
                break
            await asyncio.sleep(0.02)
        assert app.screen.query_one(DataTable).row_count == 7
        worker = app.run_io(lambda: seen_in_worker.append(gc.isenabled()))
        await worker.wait()
        assert gc.isenabled()
    assert seen_in_worker == [True]


def test_a_second_launch_in_the_same_process_does_not_freeze_again(tmp_path, monkeypatch) -> None:
    # Counted by the calls, not by gc.get_freeze_count(): a frozen object freed meanwhile leaves
    # the permanent generation, so that count may drop while nothing is frozen again.
    freezes: list[int] = []
    monkeypatch.setattr(gc, "freeze", lambda: freezes.append(1))
    monkeypatch.setattr(gc, "get_freeze_count", lambda: len(freezes))
    cli_tui.build_app(launch_context(tmp_path))
    assert freezes == [1]
    cli_tui.build_app(launch_context(tmp_path / "again"))
    assert freezes == [1]

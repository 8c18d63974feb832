"""`xtalent demo` opens a throw-away copy of the demo, evaluated on the day it was written for."""

import argparse
from datetime import date

from xtalent.cli import tui
from xtalent.cli.context import Context


def run_demo(monkeypatch, tmp_path, today_arg):
    seen = {}

    def fake_run_tui(args, ctx):
        seen["today"] = ctx.today
        seen["engagements"] = len(ctx.store.engagements())
        seen["db"] = ctx.db_path
        return 0

    monkeypatch.setattr(tui, "run_tui", fake_run_tui)
    args = argparse.Namespace(today=today_arg)
    ctx = Context(db_path=tmp_path / "user-db", config_path=tmp_path / "settings.toml", lang="ja", today=date(2031, 1, 1))
    assert tui.cmd_demo(args, ctx) == 0
    return seen


def test_the_demo_is_seen_on_the_day_it_was_written_for(monkeypatch, tmp_path) -> None:
    seen = run_demo(monkeypatch, tmp_path, None)
    assert seen["today"] == date(2026, 11, 23) and seen["engagements"] == 8
    assert not (tmp_path / "user-db").exists()  # the user's database is never touched
    assert not seen["db"].exists()  # and the copy is gone afterwards


def test_today_given_on_the_command_line_wins(monkeypatch, tmp_path) -> None:
    seen = run_demo(monkeypatch, tmp_path, "2027-02-01")
    assert seen["today"] == date(2031, 1, 1)  # Context already parsed --today; the demo keeps it

"""The launch path stays light: a dashboard painted from today's row cache needs no validators,
nor the edit session (built at its first use: screens/app.py XtalentApp.session).

Not a timing test (bench/run.py measures): it checks which modules the launch loads, so a
stray top-level import of the models (pydantic, ~0.15 s of every launch) is caught here.
"""

import json
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from xtalent.interchange import load_document
from xtalent.paths import demo_file
from xtalent.store import Store
from xtalent.views import rowhelper

ROOT = Path(__file__).resolve().parent.parent

LAUNCH = r"""
import asyncio, json, os, sys
from xtalent.cli import parse_args
from xtalent.cli.context import Context
from xtalent.cli.tui import build_app
from xtalent.i18n import set_language
from textual.widgets import DataTable

async def main():
    set_language("ja")
    # The environment, not --config: --config naming a missing file is refused, and "no file"
    # is a case tried here.
    os.environ["XTALENT_CONFIG"] = sys.argv[2]
    argv = ["--db", sys.argv[1], "--today", "2026-11-23"]
    # What the paint needs, not what the warm-up loads after it (on a loaded machine the wait
    # below can outlast the warm-up's delay).
    import xtalent_screens.app
    xtalent_screens.app.WARM_UP_DELAY = 3600
    # Nor what the dashboard's follow-up computes for the attention view and the staff screen once
    # the rows are drawn (views/rowcache.keep_beside).
    import xtalent.views.rowcache
    xtalent.views.rowcache.keep_beside = lambda store, beside: {}
    # Nor what the first look for other writers builds (the edit session, every 2 s).
    import xtalent_screens.editing
    xtalent_screens.editing.Editing.start_watching = lambda editing: None
    app = build_app(Context.from_args(parse_args(argv)))
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(2500):
            tables = list(app.screen.query(DataTable))
            if tables and tables[0].row_count >= 7:
                break
            await asyncio.sleep(0.004)
        await tables[0].wait_for_refresh()
        loaded = sorted(m for m in ("pydantic", "xtalent.models", "xtalent.settings", "xtalent.pitfalls", "xtalent.cli.records", "xtalent.cli.export",
                                    "xtalent.editing", "xtalent.merge", "xtalent.changelog", "xtalent.organisations") if m in sys.modules)
        # Then let the launch finish as a user's session would: the rows computed are written to
        # the row cache after the frame that shows them (by the follow-up, started after it).
        quiet = 0
        for _ in range(2500):
            await asyncio.sleep(0.004)
            quiet = 0 if any(not w.is_finished for w in app.workers) else quiet + 1
            if quiet == 5:
                break
        print(json.dumps({"rows": tables[0].row_count, "loaded": loaded}))

asyncio.run(main())
"""


def launch(db: Path, config: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", LAUNCH, str(db), str(config)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_second_launch_of_a_day_paints_without_the_models(tmp_path: Path) -> None:
    db = tmp_path / "db"
    Store.open(db).import_document(load_document(demo_file()))
    no_settings = tmp_path / "settings.toml"  # does not exist: a user without a settings file
    first = launch(db, no_settings)
    assert first["rows"] == 7
    # No row cache yet: the rows are computed, where the system can fork by the launch's fork
    # (views/rowhelper.Forked), which the UI's process waits for instead of importing the models.
    assert ("pydantic" in first["loaded"]) is not rowhelper.FORKS
    second = launch(db, no_settings)
    assert second == {"rows": 7, "loaded": []}


def test_a_settings_file_is_validated_before_the_screen_once_per_content(tmp_path: Path) -> None:
    db = tmp_path / "db"
    Store.open(db).import_document(load_document(demo_file()))
    settings = tmp_path / "settings.toml"
    settings.write_text("[pitfalls]\nstalled_days = 30\n", encoding="utf-8")
    first = launch(db, settings)
    assert "xtalent.settings" in first["loaded"]  # new bytes: validated before the screen
    second = launch(db, settings)
    assert second == {"rows": 7, "loaded": []}  # the same bytes, validated before, rows cached
    settings.write_text("[pitfalls]\nstalled_days = -1\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-c", LAUNCH, str(db), str(settings)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert out.returncode != 0 and "stalled_days" in out.stderr


def test_launching_the_tui_parses_without_the_subcommands() -> None:
    from xtalent.cli import build_parser, names_a_command

    launch = ["--db", "/tmp/x", "--lang", "en", "--config=/tmp/c.toml", "--today", "2026-11-23"]
    assert not names_a_command(launch)
    assert not names_a_command([])
    # Anything that is, or might be, a command (or a value argparse would not give the option)
    # gets the whole parser.
    for argv in (["check"], ["--db", "/x", "list"], ["-h"], ["--db", "/x", "--help"], ["--con", "/c"], ["--", "list"]):
        assert names_a_command(argv), argv
    light = vars(build_parser(launch).parse_args(launch))
    full = vars(build_parser().parse_args(launch))
    assert light == full


TOKENS = ["--db", "--lang", "--config", "--today", "ja", "en", "xx", "/tmp/x", "2026-11-23", "--db=/x",
          "--lang=en", "--da", "--con", "--bogus", "-h", "--help", "--", "-", "check", "list", "tui", "nope",
          "--team", "--verbose", "--format", "json", "export", "schema", "restore"]


def outcome(parser, argv):
    import contextlib
    import io

    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            return ("ok", {k: v for k, v in vars(parser.parse_args(argv)).items() if k != "handler"})
    except SystemExit as stop:
        return ("exit", stop.code, err.getvalue())


@given(st.lists(st.sampled_from(TOKENS), max_size=6))
@settings(max_examples=300, deadline=None, database=None, derandomize=True)
def test_an_argv_that_names_no_command_parses_alike_without_the_subcommands(argv) -> None:
    from xtalent.cli import build_parser, names_a_command

    if not names_a_command(argv):
        assert outcome(build_parser(argv), argv) == outcome(build_parser(), argv)


@given(st.lists(st.sampled_from(TOKENS), max_size=6))
@settings(max_examples=300, deadline=None, database=None, derandomize=True)
def test_an_argv_parses_alike_with_only_the_module_of_the_command_it_names(argv) -> None:
    from xtalent.cli import build_parser

    assert outcome(build_parser(argv), argv) == outcome(build_parser(), argv)


def test_every_command_is_found_in_the_module_that_registers_it() -> None:
    import argparse
    from importlib import import_module

    from xtalent.cli import COMMAND_MODULES, COMMANDS, command_named

    registered = {}
    for module in COMMAND_MODULES:
        sub = argparse.ArgumentParser().add_subparsers()
        import_module(f"xtalent.cli.{module}").register(sub)
        registered.update((name, module) for name in sub.choices)
    assert registered == COMMANDS
    assert command_named(["--db", "/x", "--team", "--lang=en", "list", "--format", "json"]) == "list"
    for argv in (["--db"], ["--db", "list"], ["-h", "list"], ["--bogus", "list"], ["--con", "/c", "list"], []):
        assert command_named(argv) is None, argv

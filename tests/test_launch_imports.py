"""What a launch imports before its first paint, in a fresh process (not a timing test: bench/run.py
times the launch): with no rows kept for the day, a database of a few engagements is shown from
the rows the launch's helper process computed (views/rowhelper.py), so the UI's own interpreter
imports neither pydantic nor the models, the rules or the metrics before the rows are on screen."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from tui_support import imported_demo
from xtalent.views import rowcache

ROOT = Path(__file__).resolve().parent.parent

LAUNCH = r"""
import asyncio, json, os, sys
os.environ["XTALENT_CONFIG"] = sys.argv[2]
from xtalent.cli import parse_args
from xtalent.cli.context import Context
from xtalent.cli.tui import build_app
from xtalent.i18n import set_language

async def main():
    set_language("ja")
    app = build_app(Context.from_args(parse_args(["--db", sys.argv[1], "--today", sys.argv[3], "--lang", "ja"])))
    async with app.run_test(size=(120, 40)):
        from textual.widgets import DataTable
        while True:
            tables = list(app.screen.query(DataTable))
            if getattr(app.screen, "loaded", False) and tables and tables[0].row_count:
                break
            await asyncio.sleep(0.01)
        # At once: the background warm-up (WARM_UP_DELAY after the paint) imports the models on purpose.
        heavy = sorted(m for m in ("pydantic", "xtalent.models", "xtalent.pitfalls", "xtalent.metrics") if m in sys.modules)
        rows = [[str(cell) for cell in tables[0].get_row_at(n)] for n in range(tables[0].row_count)]
    print(json.dumps({"heavy": heavy, "rows": rows}))

asyncio.run(main())
"""


def launch(db: Path, tmp_path: Path, today: str) -> dict:
    out = subprocess.run([sys.executable, "-c", LAUNCH, str(db), str(tmp_path / "no-settings.toml"), today],
                         capture_output=True, text=True, cwd=ROOT, timeout=180)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_cold_launch_of_a_few_engagements_paints_without_the_models(tmp_path: Path) -> None:
    store = imported_demo(tmp_path)
    rowcache.cache_path(store.root).unlink(missing_ok=True)  # nothing kept: every row computed
    cold = launch(store.root, tmp_path, "2026-11-23")
    assert cold["heavy"] == [] and len(cold["rows"]) == 7  # the demo's 8 but the ended one
    assert rowcache.kept_for(store.root, date(2026, 11, 23), "ja")  # and kept for the next
    warm = launch(store.root, tmp_path, "2026-11-23")
    assert warm == cold  # the same rows, shown from what was kept


def test_the_launch_module_leaves_asyncio_to_textual() -> None:
    # The row helper starts before the UI is imported; asyncio (~120 M instructions) came first.
    out = subprocess.run([sys.executable, "-c", "import sys, xtalent.cli.tui; print('asyncio' in sys.modules)"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.stdout.strip() == "False", out.stderr[-2000:]


def test_a_signal_before_asyncio_is_imported_ends_the_launch(monkeypatch) -> None:
    import signal

    import pytest

    from xtalent.cli.tui import SignalsEndTheApp

    monkeypatch.delitem(sys.modules, "asyncio")
    handler = SignalsEndTheApp()
    handler.app = object()  # an app made but not running: no loop
    with pytest.raises(SystemExit) as ended:
        handler._handle(signal.SIGTERM, None)
    assert ended.value.code == 128 + signal.SIGTERM

"""What a launch imports before the UI, in a fresh process (not a timing test: bench/run.py times
the launch): the launch's own module leaves asyncio to Textual, so that with no rows kept for the
day the row helper (views/rowhelper.py) starts before ~120 M instructions of asyncio's import."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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

"""A problem beside a form's field is wrapped as Japanese is: Rich alone took 日付 2030-01-10 as
a word and moved the whole sentence after it to the next line ("✗ 日付 2030-01-10" alone)."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from forms_support import make_app, open_form, submit
from tui_support import engagement


async def test_a_dates_problem_continues_on_its_first_line(tmp_path: Path) -> None:
    app = make_app(tmp_path, "ja", engagement())
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        form = await open_form(app, pilot, "en-test", "log")
        await submit(app, pilot, on="2030-01-10", topic="相談")
        assert app.screen is form  # refused: after the app's today
        spec = next(s for s in form.specs if s.name == "on")
        error = form.query_one("#" + spec.error_id)
        assert error.display
        console = Console(width=error.content_region.width, file=io.StringIO(), record=True, legacy_windows=False)
        console.print(error.content)
        first, second, *_ = console.export_text().splitlines()
        assert first.startswith("✗ 日付 2030-01-10") and "は基準日" in first, (first, second)
        assert second.startswith("  ")  # further lines under the text, not under the mark

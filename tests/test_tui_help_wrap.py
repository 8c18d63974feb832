"""The help screen's paragraphs wrap as Japanese does: Rich alone broke at the spaces around a key
and left "y" alone on a line (一覧の⏎y⏎で年度を絞り込み), "c" and "f" at a line's end."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import Static

from tui_support import running, settle


async def test_no_line_of_the_help_is_a_key_alone(tmp_path) -> None:
    async with running(tmp_path, size=(140, 40)) as (app, pilot):
        await pilot.press("question_mark")
        await settle(app, pilot)
        lines: list[str] = []
        for static in app.screen.query(Static):
            if static.id == "help-title" or not static.content_region.width:
                continue
            console = Console(width=static.content_region.width, file=io.StringIO(), record=True)
            console.print(static.content)
            lines += console.export_text().splitlines()
        text = "\n".join(lines)
        assert "年度を絞り込み" in text.replace("\n", "")
        assert not [line for line in lines if line.strip() in ("y", "c", "f")], lines
        # A line ends early only where the paragraph ends: no ASCII key left dangling at the end.
        assert not [line for line in lines if line.rstrip().endswith((" c", " f", " y"))], lines

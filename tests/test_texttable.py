"""TextTable's column widths: set when a row is added, so no frame shows rows at a width the
header no longer has (DataTable alone measures at its next idle, and a frame drawn before that
kept the rows' renders: the staff screen's 部署 read "企…" under a wide header on a loaded run)."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from xtalent_screens.usertext import TextTable


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TextTable(id="t")


async def test_auto_width_columns_are_wide_enough_as_soon_as_a_row_is_added() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 10)):
        table = app.query_one(TextTable)
        table.clear(columns=True)
        table.add_column("部署", key="department")
        table.add_column("n", key="n")
        table.add_row("企画政策課デジタル推進係", 12345, key="a")
        table.add_row(Text("短い"), 3.5, key="b")
        # No pause: this is what a frame drawn before the table's idle would use.
        assert [c.get_render_width(table) - 2 * table.cell_padding for c in table.ordered_columns] == [24, 5]


async def test_the_idle_measuring_agrees_and_a_rebuild_starts_narrow_again() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(TextTable)
        table.add_column("部署", key="department")
        table.add_row("企画政策課デジタル推進係", key="a")
        before = table.ordered_columns[0].content_width
        await pilot.pause()
        assert table.ordered_columns[0].content_width == before == 24
        table.clear(columns=True)
        table.add_column("部署", key="department")
        table.add_row("総務", key="a")
        assert table.ordered_columns[0].content_width == 4

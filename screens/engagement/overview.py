"""The overview tab: person, contract, term countdown, sponsor, readiness with its breakdown."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from xtalent.i18n import t
from xtalent.numbers import number_text
from xtalent.textwidth import cell_width
from xtalent.views.engagement import EngagementView, notes_fact
from xtalent.views.text import bar

from .. import cells
from .pane import Pane, heading


class OverviewPane(Pane):
    tab = "overview"

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="overview-scroll"):
            yield Static(id="overview-facts", markup=False)
            yield Static(id="overview-readiness", markup=False)
            yield Static(id="overview-notes", markup=False)
            yield Static(id="overview-bunshin", markup=False)

    def show(self, view: EngagementView) -> None:
        facts = Table.grid(padding=(0, 2))
        facts.add_column(style="bold", no_wrap=True)
        facts.add_column(overflow="fold")
        label_width = max(cell_width(f.label) for f in view.facts)
        value_width = self.available() - 2 - label_width - 2  # the scroll's padding, the gap
        for fact in view.facts:
            facts.add_row(Text(fact.label), cells.wrapped(fact.value, value_width))
        self.query_one("#overview-facts", Static).update(facts)

        score = view.signals.readiness
        title = heading(t("eng.readiness_title"))
        title.append("  ")
        title.append_text(cells.readiness(score))
        if score is not None:
            title.append(" / 100  ")
            title.append(bar(score / 100, 20), style="cyan")
        body = Table.grid(padding=(0, 2))
        body.add_column(no_wrap=True, justify="right")
        body.add_column(overflow="fold")
        for part, points in view.signals.readiness_parts:
            signed = ("+" if points >= 0 else "") + number_text(points)  # the cap's line is negative: "-13点", not "+-13点"
            body.add_row(Text(t("eng.points", points=signed), style="cyan" if points else "dim"), Text(part))
        readiness = Table.grid()
        readiness.add_row(title)
        if score is None:
            readiness.add_row(Text(t("eng.readiness_unknown"), style="dim"))
        else:
            readiness.add_row(body)
        self.query_one("#overview-readiness", Static).update(readiness)
        self.show_bunshin(view)
        notes = notes_fact(view.engagement)
        box = self.query_one("#overview-notes", Static)
        box.display = notes is not None
        if notes is not None:
            grid = Table.grid(padding=(0, 2))
            width = max(cell_width(f.label) for f in view.facts)  # line up with the facts above
            grid.add_column(style="bold", no_wrap=True, min_width=width)
            grid.add_column(overflow="fold")
            grid.add_row(Text(notes.label), cells.wrapped(notes.value, self.available() - 2 - width - 2))
            box.update(grid)

    def show_bunshin(self, view: EngagementView) -> None:
        """分身 month by month: the guidance's measure of success, as it grew during the term."""
        box = self.query_one("#overview-bunshin", Static)
        points = view.bunshin[-12:]  # the last year of the term so far
        box.display = bool(points)
        if not points:
            return
        top = max((p.count for p in points), default=0)
        chart = heading(t("eng.bunshin_title"))
        chart.append("  " + t("eng.bunshin_now", n=points[-1].count), style="bold")
        if top == 0:  # a column of zeros says less than one line
            chart.append("  " + t("eng.bunshin_none"), style="dim")
            box.update(chart)
            return
        for point in points:
            chart.append(f"\n{point.label} ")
            chart.append(bar(point.count / top if top else 0, 24, empty=" "), style="green")
            chart.append(f" {point.count}")
        box.update(chart)

    def focus_content(self) -> None:
        self.query_one("#overview-scroll").focus()

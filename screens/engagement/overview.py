"""The overview tab: person, contract, term countdown, sponsor, readiness with its breakdown."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from xtalent.i18n import t
from xtalent.views.engagement import EngagementView
from xtalent.views.text import bar

from .. import cells
from .pane import Pane, heading


class OverviewPane(Pane):
    tab = "overview"

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="overview-scroll"):
            yield Static(id="overview-facts")
            yield Static(id="overview-readiness")

    def show(self, view: EngagementView) -> None:
        facts = Table.grid(padding=(0, 2))
        facts.add_column(style="bold", no_wrap=True)
        facts.add_column()
        for fact in view.facts:
            facts.add_row(Text(fact.label), Text(fact.value))
        self.query_one("#overview-facts", Static).update(facts)

        readiness = Table.grid(padding=(0, 2))
        readiness.add_column(no_wrap=True)
        readiness.add_column(no_wrap=True)
        readiness.add_column()
        score = view.signals.readiness
        title = heading(t("eng.readiness_title"))
        title.append("  ")
        title.append_text(cells.readiness(score))
        for part, value in view.signals.readiness_parts:
            readiness.add_row(Text(part), cells.readiness(value), Text(bar(value / 100, 20), style="cyan"))
        body = Table.grid()
        body.add_row(title)
        if view.signals.readiness_parts:
            body.add_row(readiness)
        elif score is None:
            body.add_row(Text(t("eng.readiness_unknown"), style="dim"))
        self.query_one("#overview-readiness", Static).update(body)

    def focus_content(self) -> None:
        self.query_one("#overview-scroll").focus()

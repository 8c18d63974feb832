"""The 年度実績報告 from the dashboard (R): the 年度 (the dashboard's 年度 filter, else the current
one), the organisation (the dashboard's organisation filter, else every one: the CLI's --org),
the format, the folder and the file name; writes in a worker, as the export dialog does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select, Static

from xtalent.dates import DateParseError, fiscal_year, format_fiscal_year, parse_fiscal_year
from xtalent.i18n import t
from xtalent.views.export_target import FieldError, resolve, start_folder, write

from .base import XModal
from .export_dialog import LAST_FOLDER
from .footer import XFooter

FORMATS = ("xlsx", "md")


class ReportDialog(XModal[Path | None]):
    CSS_PATH = "export_dialog.tcss"
    BINDINGS = [
        Binding("ctrl+s", "write", "bind.exportui_write", id="report_write"),
        Binding("escape", "cancel", "bind.cancel", id="cancel"),
    ]

    def __init__(self, year: int | None = None, organisation: str | None = None, known: list[str] | None = None) -> None:
        super().__init__()
        self.year = year
        self.organisation = organisation  # None: every organisation's engagements
        self.known = known or []  # the organisations of the database, suggested as one types
        self.busy = False

    def name_for(self, year: int, fmt: str) -> str:
        return f"{t('report.filename_stem')}_FY{year}.{fmt}"

    def compose(self) -> ComposeResult:
        year = self.year if self.year is not None else fiscal_year(self.app.today)
        self.year = year
        with Vertical(id="export-box"):
            yield Static(t("reportui.title"), id="export-title", markup=False)
            for name, widget in (
                ("fy", Input(format_fiscal_year(self.app.today.replace(year=year, month=4, day=1), self.app.lang), id="report-fy", compact=True)),
                ("org", Input(self.organisation or "", placeholder=t("reportui.org_all"), id="report-org", compact=True,
                              suggester=SuggestFromList(self.known, case_sensitive=False))),
                ("format", Select([(t(f"exportui.format.{f}"), f) for f in FORMATS], value="xlsx", allow_blank=False, id="report-format", compact=True)),
                ("folder", Input(str(start_folder(LAST_FOLDER.get(self.app))), id="report-folder", compact=True)),
                ("name", Input(self.name_for(year, "xlsx"), id="report-name", compact=True)),
            ):
                with Horizontal(classes="export-row"):
                    yield Label(t(f"reportui.{name}_label"), classes="export-label", markup=False)
                    yield widget
            yield Static(id="export-status", markup=False)
            with Horizontal(id="export-buttons"):
                yield Button(t("bind.exportui_write"), id="export-write", variant="primary", compact=True)
                yield Button(t("bind.cancel"), id="export-cancel", compact=True)
        yield XFooter()

    def on_mount(self) -> None:
        self.query_one("#report-fy", Input).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.value != Select.NULL and self.year is not None:
            self.query_one("#report-name", Input).value = self.name_for(self.year, str(event.value))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "report-fy":
            try:
                self.year = parse_fiscal_year(event.value)
            except DateParseError:
                return
            fmt = str(self.query_one("#report-format", Select).value)
            self.query_one("#report-name", Input).value = self.name_for(self.year, fmt)

    def say(self, text: str, bad: bool = True) -> None:
        status = self.query_one("#export-status", Static)
        status.update(Text(text))
        status.set_class(bad, "-bad")

    def action_write(self) -> None:
        if self.busy:
            return
        try:
            year = parse_fiscal_year(self.query_one("#report-fy", Input).value)
        except DateParseError as exc:
            self.say("✗ " + t(exc.reason))
            return
        fmt = str(self.query_one("#report-format", Select).value)
        try:
            target = resolve(self.query_one("#report-folder", Input).value, self.query_one("#report-name", Input).value, fmt)
        except FieldError as error:
            self.say("✗ " + error.message())
            return
        organisation = self.query_one("#report-org", Input).value.strip() or None
        app: Any = self.app
        store, today, lang, settings = app.store, app.today, app.lang, app.settings
        self.busy = True
        self.say(t("exportui.writing"), bad=False)

        def work() -> Path:
            from xtalent.report import build_report

            report = build_report(store.engagements(), year, today, lang, settings, organisation=organisation)
            if fmt == "xlsx":
                from xtalent.export.report_xlsx import render
            else:
                from xtalent.export.report_md import render
            return write(target.path, render(report), team=store.team)

        self.run_io(work, self.written, name="write-report", on_error=self.failed)

    def written(self, path: Path) -> None:
        self.busy = False
        LAST_FOLDER[self.app] = path.parent
        self.dismiss(path)

    def failed(self, error: BaseException) -> None:
        from .errors import error_text

        self.busy = False
        self.say(str(error_text(error)))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export-write":
            self.action_write()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_write()

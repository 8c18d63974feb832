"""Export one engagement (x): the working handover checklist, the 事務引継書 (handover record) or,
for a dispatched advisor, the 実施報告書 of one dispatch or all of them; format, folder and file
name; asks before overwriting; writes in a worker; a notification says where the file went."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from datetime import date

from xtalent.dispatch import dispatches, is_dispatched
from xtalent.export import DISPATCH_FORMATS, FORMATS, HANDOVER_FORMATS, RECORDS, default_filename, export_record
from xtalent.export.handover import day
from xtalent.i18n import t
from xtalent.models import Engagement
from xtalent.people import named_employees
from xtalent.views.export_target import FieldError, resolve, start_folder, with_extension, write

from .base import XModal
from .footer import XFooter

DEFAULT_FORMAT = "xlsx"  # what HR opens and prints
ALL_DISPATCHES = "all"

# The folder last written to, per running app: the next export starts there.
LAST_FOLDER: WeakKeyDictionary[Any, Path] = WeakKeyDictionary()


def open_export(screen: Any, engagement_id: str, record: str = "checklist", dispatch_on: date | None = None) -> None:
    """Load the engagement (in a worker) and ask where to export it; `record` and `dispatch_on`
    preselect a record (the log tab asks for the 実施報告書 of the selected entry's day)."""
    app = screen.app
    session = app.session

    def ask(engagement: Engagement) -> None:
        def done(path: Path | None) -> None:
            if path is not None:
                app.notify_written(path)

        app.push_screen(ExportDialog(engagement, record=record, dispatch_on=dispatch_on), done)

    screen.run_io(lambda: session.current(engagement_id), ask, name="load-for-export")


class ExportDialog(XModal[Path | None]):
    CSS_PATH = "export_dialog.tcss"
    BINDINGS = [
        Binding("ctrl+s", "export", "bind.exportui_write", id="exportui_write"),
        Binding("escape", "cancel", "bind.cancel", id="cancel"),
        # Enter on the (closed) format list writes, as the default button of a dialog does;
        # Down / Space / the mouse open the list.
        Binding("enter", "enter_writes", show=False, priority=True),
    ]

    def __init__(
        self, engagement: Engagement, folder: Path | None = None, record: str = "checklist", dispatch_on: date | None = None
    ) -> None:
        super().__init__()
        self.engagement = engagement
        self.folder = folder
        self.fmt = DEFAULT_FORMAT
        self.record = record
        self.dispatch_on = dispatch_on  # one dispatch's 実施報告書; None: all of them
        self.name_edited = False
        self.busy = False

    def default_name(self, fmt: str) -> str:
        on = self.dispatch_on if self.record == "dispatch" else None
        return default_filename(self.engagement, fmt, self.app.today, self.app.lang, record=self.record, on=on)

    def records(self) -> tuple[str, ...]:
        """The 実施報告書 only for a dispatched advisor: nobody else has dispatches."""
        dispatched = is_dispatched(self.engagement, self.app.settings)
        return tuple(r for r in RECORDS if r != "dispatch" or dispatched)

    def compose(self) -> ComposeResult:
        if self.folder is None:
            self.folder = start_folder(LAST_FOLDER.get(self.app))
        with Vertical(id="export-box"):
            yield Static(id="export-title", markup=False)
            with Horizontal(classes="export-row"):
                yield Label(id="export-record-label", classes="export-label", markup=False)
                yield Select(self.record_options(), value=self.record, allow_blank=False, id="export-record", compact=True)
            with Horizontal(classes="export-row", id="export-dispatch-row"):
                yield Label(id="export-dispatch-label", classes="export-label", markup=False)
                yield Select(self.dispatch_options(), value=self.dispatch_value(), allow_blank=False, id="export-dispatch",
                             compact=True)
            with Horizontal(classes="export-row"):
                yield Label(id="export-format-label", classes="export-label", markup=False)
                yield Select(self.format_options(), value=self.fmt, allow_blank=False, id="export-format", compact=True)
            with Horizontal(classes="export-row"):
                yield Label(id="export-folder-label", classes="export-label", markup=False)
                with Vertical(classes="export-cell"):
                    yield Input(str(self.folder), id="export-folder", compact=True)
                    yield Static(id="export-folder-error", classes="export-error", markup=False)
            with Horizontal(classes="export-row"):
                yield Label(id="export-name-label", classes="export-label", markup=False)
                with Vertical(classes="export-cell"):
                    yield Input(self.default_name(self.fmt), id="export-name", compact=True)
                    yield Static(id="export-name-error", classes="export-error", markup=False)
            yield Static(id="export-hint", markup=False)
            yield Static(id="export-status", markup=False)
            with Horizontal(id="export-buttons"):
                yield Button(id="export-write", variant="primary", compact=True)
                yield Button(id="export-cancel", compact=True)
        yield XFooter()

    def on_mount(self) -> None:
        if self.record not in self.records():
            self.record = "checklist"
        self.refresh_language()
        # The format first: Down / Space open its list; Enter writes (x, Enter: the defaults).
        self.query_one("#export-format", Select).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enter_writes":  # elsewhere Enter keeps its own meaning (buttons, the open list)
            return isinstance(self.focused, Select) and not self.focused.expanded
        return super().check_action(action, parameters)

    def action_enter_writes(self) -> None:
        self.action_export()

    def formats(self) -> tuple[str, ...]:
        return {"handover": HANDOVER_FORMATS, "dispatch": DISPATCH_FORMATS}.get(self.record, FORMATS)

    def format_options(self) -> list[tuple[str, str]]:
        return [(t(f"exportui.format.{fmt}"), fmt) for fmt in self.formats()]

    def record_options(self) -> list[tuple[str, str]]:
        return [(t(f"exportui.record.{record}"), record) for record in self.records()]

    def dispatch_options(self) -> list[tuple[str, str]]:
        every = dispatches(self.engagement)
        lang = self.app.lang
        out = [(t("exportui.dispatch_all", n=len(every)), ALL_DISPATCHES)]
        out += [(t("exportui.dispatch_one", date=day(d.on, lang), n=len(d.entries)), d.on.isoformat()) for d in every]
        return out

    def dispatch_value(self) -> str:
        return self.dispatch_on.isoformat() if self.dispatch_on else ALL_DISPATCHES

    def title_key(self) -> str:
        return {"handover": "exportui.title_handover", "dispatch": "exportui.title_dispatch"}.get(self.record, "exportui.title")

    def show_dispatch_row(self) -> None:
        self.query_one("#export-dispatch-row").display = self.record == "dispatch"

    def refresh_language(self) -> None:
        self.query_one("#export-title", Static).update(t(self.title_key(), name=self.engagement.person.name))
        self.query_one("#export-dispatch-label", Label).update(t("exportui.dispatch_label"))
        dispatch = self.query_one("#export-dispatch", Select)
        with dispatch.prevent(Select.Changed):
            dispatch.set_options(self.dispatch_options())
            dispatch.value = self.dispatch_value()
        self.show_dispatch_row()
        self.query_one("#export-record-label", Label).update(t("exportui.record_label"))
        record = self.query_one("#export-record", Select)
        record.set_options(self.record_options())
        record.value = self.record
        self.query_one("#export-format-label", Label).update(t("exportui.format_label"))
        self.query_one("#export-folder-label", Label).update(t("exportui.folder_label"))
        self.query_one("#export-name-label", Label).update(t("exportui.name_label"))
        self.query_one("#export-hint", Static).update(t("exportui.hint"))
        self.query_one("#export-write", Button).label = t("bind.exportui_write")
        self.query_one("#export-cancel", Button).label = t("bind.cancel")
        select = self.query_one("#export-format", Select)
        select.set_options(self.format_options())
        select.value = self.fmt
        if not self.name_edited:
            self.query_one("#export-name", Input).value = self.default_name(self.fmt)
        self.show_error(None)

    # ----- fields -------------------------------------------------------------------------------
    def on_select_changed(self, event: Select.Changed) -> None:
        if event.value == Select.NULL:
            return
        if event.select.id == "export-record":
            self.choose_record(str(event.value))
            return
        if event.select.id == "export-dispatch":
            self.dispatch_on = None if event.value == ALL_DISPATCHES else date.fromisoformat(str(event.value))
            if not self.name_edited:
                self.query_one("#export-name", Input).value = self.default_name(self.fmt)
            return
        if event.select.id != "export-format":
            return
        self.fmt = str(event.value)
        name = self.query_one("#export-name", Input)
        name.value = with_extension(name.value, self.fmt) if self.name_edited else self.default_name(self.fmt)

    def choose_record(self, record: str) -> None:
        """The checklist, the 事務引継書 or the 実施報告書: the formats offered follow (the records
        have no ics or json)."""
        if record == self.record:
            return
        self.record = record
        if self.fmt not in self.formats():
            self.fmt = DEFAULT_FORMAT
        select = self.query_one("#export-format", Select)
        with select.prevent(Select.Changed):
            select.set_options(self.format_options())
            select.value = self.fmt
        self.query_one("#export-title", Static).update(t(self.title_key(), name=self.engagement.person.name))
        self.show_dispatch_row()
        name = self.query_one("#export-name", Input)
        if not self.name_edited:
            name.value = self.default_name(self.fmt)
        else:
            name.value = with_extension(name.value, self.fmt)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "export-name" and event.input.has_focus:
            self.name_edited = True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export-write":
            self.action_export()
        else:
            self.action_cancel()

    def show_error(self, error: BaseException | None) -> None:
        for field in ("folder", "name"):
            box = self.query_one(f"#export-{field}-error", Static)
            text = error.message() if isinstance(error, FieldError) and error.field == field else ""
            box.update("✗ " + text if text else "")
            box.display = bool(text)
        status = self.query_one("#export-status", Static)
        if error is not None and not isinstance(error, FieldError):
            from .errors import error_text

            status.update(error_text(error))
            status.set_class(True, "-bad")
        else:
            status.update(t("exportui.writing") if self.busy else "")
            status.set_class(False, "-bad")

    # ----- writing ------------------------------------------------------------------------------
    def action_export(self) -> None:
        if self.busy:
            return
        folder = self.query_one("#export-folder", Input).value
        name = self.query_one("#export-name", Input).value
        try:
            target = resolve(folder, name, self.fmt)
        except FieldError as error:
            self.show_error(error)
            return
        if target.exists:
            from .forms.confirm import ConfirmDialog

            dialog = ConfirmDialog("exportui.overwrite_title", "exportui.overwrite_message", "exportui.overwrite_yes",
                                   keys_key="confirm.overwrite_keys", path=str(target.path))
            self.app.push_screen(dialog, lambda yes: self.write(target.path) if yes else None)
            return
        self.write(target.path)

    def write(self, path: Path) -> None:
        engagement, fmt, today, lang, record = self.engagement, self.fmt, self.app.today, self.app.lang, self.record
        settings, team, on = self.app.settings, self.app.store.team, self.dispatch_on
        self.busy = True
        self.query_one("#export-write", Button).disabled = True
        self.show_error(None)

        store = self.app.store

        def work() -> Path:
            # The interchange document carries its receivers' records: only this engagement's are read.
            people = store.people(only=named_employees([engagement])) if fmt == "json" else None
            return write(path, export_record(record, [engagement], fmt, today, lang, settings, on=on, people=people),
                         team=team)

        self.run_io(work, self.written, name=f"export-{record}", on_error=self.failed)

    def written(self, path: Path) -> None:
        self.busy = False
        LAST_FOLDER[self.app] = path.parent
        self.dismiss(path)

    def failed(self, error: BaseException) -> None:
        self.busy = False
        self.query_one("#export-write", Button).disabled = False
        self.show_error(error)  # everything typed stays; the user can pick another folder

    def action_cancel(self) -> None:
        self.dismiss(None)

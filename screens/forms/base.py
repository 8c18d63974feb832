"""The one form every record kind shares: layout, reading values, validation beside the fields.

A form is a modal returning the validated record (or None on cancel).  When given `save`, it
runs it in a worker (app.run_edit) and closes only once the save succeeded; a failure — a
validation problem, a conflict, any exception — is shown in the form and everything typed
stays.  Subclasses only say which fields they have (`fields`) and how the values become the
record's data (`adjust`).
"""

from __future__ import annotations

import re
from typing import Any, Callable, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from textual.app import ComposeResult, CSSPathType
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, SelectionList, Static, TextArea

from xtalent.editing import EditConflict
from xtalent.errors import InvalidData, XtalentError, from_validation_error
from xtalent.i18n import t
from xtalent.merge import Chooser, Side, choice
from xtalent.models import Engagement
from xtalent.store import ConflictError

from ..base import XModal, form_buttons
from ..cells import Marked
from ..footer import XFooter
from .fields import (
    AREA, DATE, MULTI, SELECT, TEXT, FieldSpec, as_typed, date_hint, make_widget, read_value, shown_choices, typed_date,
    unflatten,
)

R = TypeVar("R", bound=BaseModel)

# Paths in an engagement-wide validation error start with the record's place in its collection.
_RECORD_PREFIX = re.compile(r"^(targets|items|staff|log)\[\d+\]\.?")

Problem = tuple[str, str, dict[str, Any]]


def _lookup(data: Any, path: str) -> Any:
    for part in path.split("."):
        if data is None:
            return None
        data = getattr(data, part, None)
    return data


def _merge(base: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _drop(data: dict[str, Any], path: str) -> None:
    *parents, leaf = path.split(".")
    for part in parents:
        data = data.get(part) or {}
    data.pop(leaf, None)


class RecordForm(XModal[R | None], Generic[R]):
    CSS_PATH: ClassVar[CSSPathType | None] = "forms.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "bind.save", id="save"),
        Binding("escape", "cancel", "bind.cancel", id="cancel"),
        # App bindings are not active over a modal: keep the language switch within reach.
        Binding("f2", "app.switch_language", "bind.language", id="language"),
        # Enter in a text field is handled as the key arrives (not via the Submitted message)
        # so fast typing (IME bursts, pastes) never lands in the previous field.
        Binding("enter", "input_entered", show=False, priority=True),
        # Tab likewise moves the focus as the key arrives: as a normal binding it ran only once
        # the field had handled the keys before it, so text typed fast after a Tab (a text
        # expander, an IME commit, a paste) landed in the field before.
        Binding("tab", "app.focus_next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True),
    ]
    MODEL: type[BaseModel]
    TITLE_NEW = ""
    TITLE_EDIT = ""
    # A record-level problem (no field path) shown beside a given field, by its catalog key.
    ERROR_FIELDS: dict[str, str] = {}

    def __init__(
        self,
        record: R | None = None,
        *,
        save: Callable[[R, Chooser | None], Any] | None = None,
        engagement: Engagement | None = None,
        defaults: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.record = record
        self.save_record = save
        self.engagement = engagement
        self.defaults = defaults or {}
        self.specs = self.fields()
        self.problems: list[Problem] = []
        self.failure: BaseException | None = None
        self.saving = False
        self.scroll_target: Widget | None = None
        self.original: dict[str, Any] | None = None  # the values as the form opened
        self.problem_lines: dict[str, Static] = {}  # by field name: see problem_line
        self.warned: list[str] = []  # what entry_problems warned about, said after saving
        # A save that clashed with a colleague's, and the user's answer for the next attempt.
        self.last_conflict: EditConflict | None = None
        self.choose: Chooser | None = None

    # ----- what subclasses say ----------------------------------------------------------------
    def fields(self) -> list[FieldSpec]:
        raise NotImplementedError

    def adjust(self, data: dict[str, Any]) -> dict[str, Any]:
        """Turn the form's data into the model's (e.g. empty indicator -> None)."""
        return data

    def entry_problems(self, record: R) -> tuple[list[Problem], list[str]]:
        """What the record's rules say at entry, beyond the model: (refused, warned) — refused
        problems stay in the form like validation errors; warnings are said once it is saved."""
        return [], []

    # ----- layout -------------------------------------------------------------------------------
    def title_text(self) -> str:
        return t(self.TITLE_EDIT if self.record is not None else self.TITLE_NEW)

    def initial(self, spec: FieldSpec) -> Any:
        if self.record is not None:
            return _lookup(self.record, spec.name)
        if spec.name in self.defaults:
            return self.defaults[spec.name]
        field = self.MODEL.model_fields.get(spec.name)
        return None if field is None or field.is_required() else field.get_default(call_default_factory=True)

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box"):
            yield Static(self.title_text(), id="form-title", markup=False)
            yield Static(id="form-error", classes="form-error", markup=False)
            with VerticalScroll(id="form-fields", can_focus=False):
                for spec in self.specs:
                    # One container per field: its label docked left, the editor and the lines
                    # under it (hint, problems) stacked beside it: drawn as a row holding the label
                    # and a cell drew them, with 19 containers fewer in an engagement's form.
                    with Vertical(classes="form-row form-cell"):
                        yield Label(spec.label_text(), classes="form-label", id="l-" + spec.dom_id[2:], markup=False)
                        yield make_widget(spec, self.initial(spec))
                        if spec.kind == DATE:
                            yield Static(classes="field-hint", id=spec.hint_id, markup=False)
            yield from form_buttons(t("bind.save"))
        yield XFooter()

    def on_mount(self) -> None:
        self.widget(self.specs[0]).focus()
        self.original = self.values()
        self.render_problems()  # the date fields' hints too

    def widget(self, spec: FieldSpec) -> Widget:
        return self.query_one("#" + spec.dom_id)

    def problem_line(self, spec: FieldSpec, *, make: bool = False) -> Static | None:
        """The line under a field saying what is wrong with it (None while it never had
        anything to say, unless `make`): mounted the first time it has.  A form opens with no
        problems, and its 14–19 hidden lines were composed and styled with it for nothing."""
        line = self.problem_lines.get(spec.name)
        if line is None and make:
            line = Static(classes="field-error", id=spec.error_id, markup=False)
            cell = self.widget(spec).parent
            assert isinstance(cell, Widget)
            cell.mount(line)  # last in the field's row, under its hint: where it was composed
            self.problem_lines[spec.name] = line
        return line

    def problem_shown(self, spec: FieldSpec) -> bool:
        line = self.problem_line(spec)
        return line is not None and line.display

    def spec_for(self, widget: Widget | None) -> FieldSpec | None:
        for spec in self.specs:
            if widget is not None and widget.id == spec.dom_id:
                return spec
        return None

    # ----- values and validation ----------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        today = getattr(self.app, "today", None)
        return {
            spec.name: as_typed(spec, typed_date(read_value(spec, self.widget(spec)), today) if spec.kind == DATE
                                else read_value(spec, self.widget(spec)), self.initial(spec))
            for spec in self.specs
        }

    def changed(self) -> bool:
        """Has anything been edited since the form opened?"""
        return self.original is not None and self.values() != self.original

    def blank_required(self) -> list[Problem]:
        """Required text left blank (or only spaces): refused here, whatever stored data allows."""
        values = self.values()
        return [
            (spec.name, "validation.missing", {})
            for spec in self.specs
            if spec.required and spec.kind in (TEXT, AREA) and not str(values[spec.name] or "").strip()
        ]

    def build(self) -> R:
        values = self.values()
        base = self.record.model_dump() if self.record is not None else {}
        data = _merge(base, unflatten(values))
        for spec in self.specs:
            if spec.kind == SELECT and spec.required and values[spec.name] is None:
                _drop(data, spec.name)  # so the model says "required", not "not a choice"
        return self.MODEL.model_validate(self.adjust(data))  # type: ignore[return-value]

    def field_for(self, path: str, key: str) -> FieldSpec | None:
        name = self.ERROR_FIELDS.get(key)
        path = _RECORD_PREFIX.sub("", path)
        best: FieldSpec | None = None
        for spec in self.specs:
            if spec.name == name:
                return spec
            n = spec.name
            if path == n or path.startswith(n + ".") or path.startswith(n + "["):
                if best is None or len(n) > len(best.name):
                    best = spec
        return best

    def problem_field(self, problem: Problem) -> str | None:
        spec = self.field_for(problem[0], problem[1])
        return spec.name if spec is not None else None

    def render_problems(self) -> None:
        beside: dict[str, list[str]] = {}
        general: list[str] = []
        for path, key, params in self.problems:
            text = t(key, **params)
            spec = self.field_for(path, key)
            if spec is None:
                general.append(f"{path}: {text}" if path else text)
            else:
                beside.setdefault(spec.name, []).append(text)
        for spec in self.specs:
            messages = beside.get(spec.name, [])
            error = self.problem_line(spec, make=bool(messages))
            if error is not None:
                error.update(Marked("✗ ", messages))  # wrapped by the core: a date does not end its line early
                error.display = bool(messages)
            if spec.kind == DATE:
                self.update_hint(spec)
        if self.failure is not None:
            from ..errors import error_text

            general.append(error_text(self.failure))
            if isinstance(self.failure, ConflictError):
                general.append(t("form.conflict_kept"))
        if self.problems and not general:
            general.append(t("form.fix_fields", count=len(self.problems)))
        box = self.query_one("#form-error", Static)
        box.update("\n".join(general))
        box.display = bool(general)
        if beside:
            first = next(s for s in self.specs if s.name in beside)
            error = self.problem_lines[first.name]
            row = error.parent  # its whole row
            self.scroll_target = row if isinstance(row, Widget) else error
        self.call_after_refresh(self.fit_fields)

    def focus_first_problem(self) -> None:
        for spec in self.specs:
            if any(self.field_for(path, key) is spec for path, key, _ in self.problems):
                self.widget(spec).focus(scroll_visible=False)  # the whole row is scrolled to instead
                return

    def fit_fields(self) -> None:
        """Let the fields scroll within the screen so the buttons and footer always show."""
        error = self.query_one("#form-error", Static)
        used = 1 + 1 + 2 + 1 + (error.outer_size.height if error.display else 0)  # title, buttons, border, footer
        self.query_one("#form-fields").styles.max_height = max(3, self.size.height - used)
        if self.scroll_target is not None:
            # After the new height is laid out: show the first field with a problem.
            target, self.scroll_target = self.scroll_target, None
            self.call_after_refresh(self.show_row, target, 8)

    def show_row(self, row: Widget, tries: int) -> None:
        """Scroll a field's row into view, again until it is: the problem lines beside the
        fields take their height in a later layout, and on a loaded machine the first scroll
        left the row's own problem line below the edge."""
        row.scroll_visible(animate=False)
        fields = self.query_one("#form-fields")
        if tries > 1 and not fields.scrollable_content_region.contains_region(row.region):
            self.set_timer(0.05, lambda: self.show_row(row, tries - 1))

    def on_resize(self) -> None:
        self.fit_fields()

    def show_problems(self, problems: list[Problem], failure: BaseException | None = None) -> None:
        self.problems = problems
        self.failure = failure
        self.render_problems()

    def update_hint(self, spec: FieldSpec) -> None:
        widget = self.widget(spec)
        text, is_error = date_hint(widget.value if isinstance(widget, Input) else "", today=getattr(self.app, "today", None))
        hint = self.query_one("#" + spec.hint_id, Static)
        hint.update(text)
        hint.set_class(is_error, "-bad")
        # A date that cannot be read is already explained beside it after a save attempt.
        hint.display = bool(text) and not (is_error and self.problem_shown(spec))

    # ----- saving -------------------------------------------------------------------------------
    def action_save(self) -> None:
        self.app.report_errors(self.save)

    def save(self) -> None:
        if self.saving:
            return
        blank = self.blank_required()
        try:
            record = self.build()
        except ValidationError as exc:
            problems = from_validation_error(exc, self.title_text()).problems
            named = {p[0] for p in blank}
            self.show_problems(blank + [p for p in problems if self.problem_field(p) not in named])
            self.focus_first_problem()
            return
        if blank:
            self.show_problems(blank)
            self.focus_first_problem()
            return
        refused, self.warned = self.entry_problems(record)
        if refused:
            self.show_problems(refused)
            self.focus_first_problem()
            return
        self.show_problems([])
        if self.save_record is None:
            self.saved(record)
            return
        self.set_saving(True)
        save, choose = self.save_record, self.choose
        self.app.run_edit(lambda: save(record, choose), lambda _: self.saved(record), name="form-save",
                          on_error=self.save_failed)

    def saved(self, record: R) -> None:
        self.set_saving(False)
        if self.warned:
            self.app.notify(t("apptype.entry.warned", problems=" ".join(self.warned)), severity="warning", timeout=15)
        self.dismiss(record)

    def save_failed(self, error: BaseException) -> None:
        """Keep everything typed; say what went wrong, beside the field when we know which."""
        self.set_saving(False)
        self.choose = None
        if isinstance(error, EditConflict) and error.latest is not None:
            self.last_conflict = error
            self.app.ask_about_conflict(error, self.save_choosing, back=lambda: self.show_problems([], error))
            return
        if isinstance(error, InvalidData):
            self.show_problems(error.problems)
            self.focus_first_problem()
            return
        self.show_problems([], error)
        if not isinstance(error, XtalentError):
            self.app.show_error(error)  # a bug: also a notification, as everywhere

    def save_choosing(self, side: Side) -> None:
        """Save again with the user's answer to the conflict: their side wins for exactly the
        fields they were shown (a newer clash is asked about again)."""
        if self.last_conflict is not None:
            self.choose = choice(self.last_conflict.conflicts, side)
        self.save()

    def set_saving(self, saving: bool) -> None:
        self.saving = saving
        self.query_one("#form-save", Button).disabled = saving
        self.query_one("#form-status", Static).update(t("form.saving") if saving else "")

    def action_cancel(self) -> None:
        """Esc: close; when something was edited, ask first (keeping the form is the default).
        While a save runs, Esc waits for it: the form closes (saved) or shows why not."""
        if self.saving:
            self.app.notify(t("form.still_saving"))
            return
        if not self.changed():
            self.dismiss(None)
            return
        from .confirm import ConfirmDialog

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog("form.discard_title", "form.discard_message", "form.discard_yes", keys_key="form.discard_keys"),
            answered,
        )

    # ----- events -------------------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "form-save":
            self.action_save()
        elif event.button.id == "form-cancel":
            self.action_cancel()

    def on_input_changed(self, event: Input.Changed) -> None:
        spec = self.spec_for(event.input)
        if spec is not None:
            self.app.report_errors(self.field_edited, spec)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        spec = self.spec_for(event.text_area)
        if spec is not None:
            self.app.report_errors(self.field_edited, spec)

    def on_select_changed(self, event: Select.Changed) -> None:
        spec = self.spec_for(event.select)
        if spec is not None:
            self.app.report_errors(self.field_edited, spec)

    def field_edited(self, spec: FieldSpec) -> None:
        """The user is fixing this field: its old error goes, the live date reading takes over."""
        remaining = [p for p in self.problems if self.field_for(p[0], p[1]) is not spec]
        if len(remaining) != len(self.problems):
            self.problems = remaining
            self.render_problems()
        elif spec.kind == DATE:
            self.update_hint(spec)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "input_entered":
            return isinstance(self.focused, Input)  # elsewhere Enter keeps its own meaning
        return super().check_action(action, parameters)

    def action_input_entered(self) -> None:
        focused = self.focused
        if isinstance(focused, Input):
            self.app.report_errors(self.on_input_submitted, Input.Submitted(focused, focused.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    # ----- language -----------------------------------------------------------------------------
    def refresh_language(self) -> None:
        self.query_one("#form-title", Static).update(self.title_text())
        self.query_one("#form-save", Button).label = t("bind.save")
        self.query_one("#form-cancel", Button).label = t("bind.cancel")
        for spec in self.specs:
            self.query_one("#l-" + spec.dom_id[2:], Label).update(spec.label_text())
            widget = self.widget(spec)
            if spec.kind == SELECT and isinstance(widget, Select) and spec.choices:
                value = widget.value
                widget.set_options(shown_choices(spec))
                widget.prompt = t("form.choose")
                if value != Select.NULL:
                    widget.value = value
            elif spec.kind == MULTI and isinstance(widget, SelectionList) and spec.choices:
                chosen = set(widget.selected)
                widget.clear_options()
                widget.add_options([(lab, val, val in chosen) for lab, val in shown_choices(spec)])
            elif isinstance(widget, Checkbox):
                widget.label = t("form.check_yes")
            elif spec.kind == DATE:
                self.update_hint(spec)
            elif isinstance(widget, TextArea):
                widget.placeholder = t(spec.placeholder) if spec.placeholder else ""
            elif isinstance(widget, Input):
                widget.placeholder = t(spec.placeholder) if spec.placeholder else ""
        self.render_problems()

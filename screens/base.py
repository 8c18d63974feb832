"""What every xtalent screen shares: bindings described through the catalog, and background I/O.

Binding descriptions are catalog keys (e.g. "bind.quit"); they are translated when the footer,
the help screen and the command palette ask for them, so switching the language at runtime
needs no rebuilding of classes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from textual import getters
from textual.app import ComposeResult
from textual.binding import ActiveBinding
from textual.containers import Horizontal
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Static
from textual.worker import Worker, WorkerState

from xtalent.i18n import has, t

from .host import XtalentHost

R = TypeVar("R")


# Textual's own binding descriptions that the footer shows, as catalog keys.
TEXTUAL_DESCRIPTIONS = {"palette": "bind.palette", "Dismiss menu": "bind.close_list"}  # the open list of a Select
TEXTUAL_TOOLTIPS = {"Open the command palette": "ui.palette.tooltip"}

# Shown first in every footer, so that a narrow terminal still shows how to get help and out.
FOOTER_FIRST = ("help", "quit")


def _catalog_key(text: str, textual: dict[str, str]) -> str | None:
    if not text:
        return None
    if has(text):
        return text
    return textual.get(text)


def translated_bindings(active: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """The bindings with their descriptions in the UI language; help and quit first."""
    first: dict[str, ActiveBinding] = {}
    rest: dict[str, ActiveBinding] = {}
    for key, item in active.items():
        binding = item.binding
        description = _catalog_key(binding.description, TEXTUAL_DESCRIPTIONS)
        if description:
            binding = replace(binding, description=t(description))
        own_tip = _catalog_key(binding.tooltip, TEXTUAL_TOOLTIPS)
        if own_tip:
            binding = replace(binding, tooltip=t(own_tip))
        tip = _catalog_key(item.tooltip, TEXTUAL_TOOLTIPS) if item.tooltip else None
        tooltip = t(tip) if tip else item.tooltip
        target = first if binding.id in FOOTER_FIRST else rest
        target[key] = ActiveBinding(item.node, binding, item.enabled, tooltip)
    ordered = {key: first[key] for key in sorted(first, key=lambda k: FOOTER_FIRST.index(first[k].binding.id))}
    return {**ordered, **rest}


@dataclass(frozen=True)
class OwnBinding:
    """One of xtalent's own actions on a screen, with every key that runs it."""

    action: str
    description_key: str
    keys: tuple[str, ...]
    node: Any


def own_bindings(screen: Screen[Any]) -> list[OwnBinding]:
    """The screen's active bindings that are ours (described by a catalog key), one per action.

    Textual's own bindings (cursor movement and the like) are left out: they are in every
    terminal program and would bury HR's actions in the help screen and the palette.  The
    full-width twins of single keys are folded into their action.
    """
    found: dict[str, OwnBinding] = {}
    for active in Screen.active_bindings.fget(screen).values():  # type: ignore[attr-defined]
        binding = active.binding
        if not active.enabled or not has(binding.description):
            continue
        key = screen.app.get_key_display(binding)
        if binding.action in found:
            old = found[binding.action]
            if key not in old.keys and key.isascii() and not binding.key.startswith("fullwidth"):
                found[binding.action] = OwnBinding(old.action, old.description_key, (*old.keys, key), old.node)
            continue
        found[binding.action] = OwnBinding(binding.action, binding.description, (key,), active.node)
    return list(found.values())


class XBaseScreen(Screen[Any]):
    """What XScreen and XModal share: bindings in the UI language, I/O in this screen's workers."""

    if TYPE_CHECKING:  # as Textual types its own (message_pump.py): the app screens expect
        app = getters.app(XtalentHost)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.io_jobs: dict[Worker[Any], tuple[Any, Any]] = {}  # this screen's loads, with their callbacks

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return translated_bindings(super().active_bindings)

    def run_io(
        self,
        work: Callable[[], R],
        on_done: Callable[[R], Any] | None = None,
        *,
        name: str = "io",
        on_error: Callable[[BaseException], Any] | None = None,
    ) -> None:
        """Run blocking work (a load, an export) in a thread that belongs to this screen.

        The worker is the screen's (Textual cancels it when the screen goes) and exclusive per
        `name`: a newer load of the same kind replaces a stale one.  Its result reaches the
        screen as Textual's worker message, handled below, so a screen that has gone is never
        called back; an error goes to `on_error` or, like everywhere, to the app's report.
        """
        worker = self.run_worker(work, name=name, group=f"io:{name}", thread=True, exclusive=True,
                                 exit_on_error=False)
        self.io_jobs[worker] = (on_done, on_error)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        job = self.io_jobs.get(event.worker)
        if job is None:
            return
        on_done, on_error = job
        if event.state == WorkerState.SUCCESS:
            del self.io_jobs[event.worker]
            if on_done is not None and self.is_attached:
                self.app.report_errors(on_done, event.worker.result)
        elif event.state == WorkerState.ERROR:
            del self.io_jobs[event.worker]
            error = event.worker.error or RuntimeError("?")
            if on_error is not None and self.is_attached:
                self.app.report_errors(on_error, error)
            else:
                self.app.show_error(error)
        elif event.state == WorkerState.CANCELLED:
            self.io_jobs.pop(event.worker, None)


class XScreen(XBaseScreen):
    pass


class WholeDatabaseScreen(XScreen):
    """A screen computed from every engagement (the attention view, the staff screen), by its
    own `compute` worker: a change saved while another screen is on top is computed when this
    one shows again, not underneath it."""

    stale = False

    def compute(self) -> object:  # a worker of the screen's own group
        raise NotImplementedError

    def compute_once_drawn(self) -> None:
        """Compute every row once the screen's opening frames are drawn: the frame showing what
        was kept, and the one after it, where the footer lays out its keys (Textual's footer
        composes them once the screen has drawn, in the same round of after-refresh callbacks
        as this one).  A worker started in that round holds the interpreter while the second
        frame is being drawn (the views' opening was measured to the frame after its rows)."""
        self.call_after_refresh(self.call_after_refresh, self.compute)

    def refresh_data(self, changed: set[str] | None = None) -> None:
        if changed is not None and self.app.screen is not self:
            self.stale = True
            return
        self.compute()

    def on_screen_resume(self) -> None:
        if self.stale:
            self.stale = False
            self.compute()

    def action_reload(self) -> None:
        self.compute()


class XModal(XBaseScreen, ModalScreen[R]):
    pass


def form_buttons(save_label: str) -> ComposeResult:
    """The row under every form's fields: its status line, Save (#form-save) and Cancel
    (#form-cancel); a save in progress is known by #form-save (Esc waits for it)."""
    with Horizontal(id="form-buttons"):
        yield Static(id="form-status", markup=False)
        yield Button(save_label, id="form-save", variant="primary", compact=True)
        yield Button(t("bind.cancel"), id="form-cancel", compact=True)


class FormDialog(XModal[R]):
    """A dialog of fields, saved by ctrl+s or its Save button (`action_save`): Enter in a field
    moves to the next one; Cancel and Esc close it with nothing."""

    def action_save(self) -> None:
        raise NotImplementedError

    def show_problems(self, problems: list[str]) -> None:
        """What keeps the dialog from saving, above its fields (#form-error), one ✗ each (kept
        on the line of its text at any width)."""
        from .cells import Marked

        box = self.query_one("#form-error", Static)
        box.update(Marked("✗ ", problems))
        box.display = bool(problems)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "form-save":
            self.action_save()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

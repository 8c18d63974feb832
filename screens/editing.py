"""The app's side of editing: undo/redo/history actions, saving in workers, noticing other writers.

Conventions every screen relies on:

* `self.app.session` (xtalent.editing.EditSession) is the ONE way to change data: load what a
  screen shows with `session.engagements()` / `session.load(id)` and change it with
  `session.apply(...)` inside `self.app.run_edit(...)`.
* Every screen that shows stored data implements `refresh_data(changed=None)`: show again what
  changed, in a worker.  The app calls it on every screen in the stack after an edit or an
  undo/redo with the ids of the engagements the session wrote (`changed`: the screen updates
  only those, from the session's saved copies), and with None after a conflict or when another
  process changed the files (reload everything from the store).
"""

from __future__ import annotations

from typing import Any, Callable

from textual.screen import ModalScreen

from xtalent.i18n import t
from xtalent.editing import EditConflict
from xtalent.merge import Side
from xtalent.store import ConflictError

WATCH_INTERVAL = 2.0


class EditingAppMixin:
    """Mixed into XtalentApp (before App): needs `session`, `run_io`, `notify`, `screen_stack`."""

    _watching = False

    # ----- saving -----------------------------------------------------------------------------
    def run_edit(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], Any] | None = None,
        *,
        name: str = "edit",
        on_error: Callable[[BaseException], Any] | None = None,
    ) -> None:
        """Run an edit (session.apply/undo/...) in a worker; then refresh every screen.

        A failure goes to `on_error` when given (a form shows it and keeps its input), else to
        a notification; a conflict also reloads the screens so the user sees the latest data.
        """

        def done(result: Any) -> None:
            self.data_changed(self.session.take_written())  # type: ignore[attr-defined]
            if on_done is not None:
                on_done(result)

        def failed(error: BaseException) -> None:
            if isinstance(error, ConflictError):
                self.session.forget()  # type: ignore[attr-defined]
                self.data_changed()
            if on_error is not None:
                on_error(error)
            elif isinstance(error, EditConflict):
                self.ask_about_conflict(error, lambda side: self.run_edit(
                    lambda: self.session.resolve(error, side), on_done, name=name))  # type: ignore[attr-defined]
            else:
                self.show_error(error)

        self.run_io(work, done, name=name, on_error=failed)  # type: ignore[attr-defined]

    def ask_about_conflict(self, error: EditConflict, then: Callable[[Side], Any],
                           back: Callable[[], Any] | None = None) -> None:
        """Show both values; `then(side)` once the user chose, `back()` if they went back.
        Nothing is saved until then: a colleague's change is never overwritten unasked."""
        from .forms.conflict import ConflictDialog

        def answered(side: Side | None) -> None:
            if side is not None:
                then(side)
            elif back is not None:
                back()
            else:
                self.notify(t("conflict.kept_form"))  # type: ignore[attr-defined]

        self.push_screen(ConflictDialog(error), answered)  # type: ignore[attr-defined]

    def show_error(self, error: BaseException) -> None:
        from .errors import error_text

        self.notify(error_text(error), title=t("ui.error_title"), severity="error", timeout=10)  # type: ignore[attr-defined]

    def data_changed(self, changed: set[str] | None = None) -> None:
        """Tell every screen what to show again (the refresh_data convention): the engagements
        in `changed`, or everything (None)."""
        if changed is None:
            self.session.take_written()  # type: ignore[attr-defined]  # all reloaded anyway
        for screen in list(self.screen_stack):  # type: ignore[attr-defined]
            refresh = getattr(screen, "refresh_data", None)
            if refresh is not None:
                self.report_errors(refresh, changed)  # type: ignore[attr-defined]
            screen.refresh_bindings()

    # ----- undo / redo / history ----------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("undo", "redo", "history"):
            screen = self.screen  # type: ignore[attr-defined]
            if isinstance(screen, ModalScreen) and not _lists_actions(screen):
                return False  # a form is open: ctrl+z belongs to its text, not to stored data
            if action == "history":
                # Asked for every footer key: a marker, not an import of the history screen.
                return not getattr(screen, "SHOWS_HISTORY", False)
            return True  # with nothing to undo, pressing it says so (clearer than a dimmed key)
        return super().check_action(action, parameters)  # type: ignore[misc]

    def action_undo(self) -> None:
        self._move_in_history("undo")

    def action_redo(self) -> None:
        self._move_in_history("redo")

    def _move_in_history(self, which: str) -> None:
        session = self.session  # type: ignore[attr-defined]
        possible = session.can_undo() if which == "undo" else session.can_redo()
        if not possible:
            self.notify(t(f"edit.nothing_to_{which}"))  # type: ignore[attr-defined]
            return
        what = session.undo_description() if which == "undo" else session.redo_description()
        work = session.undo if which == "undo" else session.redo
        prefix = "edit.undo_prefix" if which == "undo" else "edit.redo_prefix"
        self.run_edit(work, lambda _: self.notify(t(prefix, what=what)), name=which)  # type: ignore[attr-defined]

    def action_history(self) -> None:
        from .history import HistoryScreen

        # From an engagement: its own changes first (f shows the whole database).
        engagement_id = getattr(self.screen, "engagement_id", None)  # type: ignore[attr-defined]
        self.push_screen(HistoryScreen(engagement_id))  # type: ignore[attr-defined]

    # ----- noticing other processes ---------------------------------------------------------------
    def start_watching(self, interval: float = WATCH_INTERVAL) -> None:
        self.set_interval(interval, self.check_files, name="watch-files")  # type: ignore[attr-defined]

    def check_files(self) -> None:
        if self._watching:
            return
        self._watching = True

        def done(changed: bool) -> None:
            self._watching = False
            if changed:
                self.data_changed()
                self.notify(t("form.reloaded_elsewhere"))  # type: ignore[attr-defined]

        def failed(error: BaseException) -> None:
            self._watching = False  # a damaged file is reported by the screens that load it

        self.run_io(self.session.changed_elsewhere, done, name="watch-files", on_error=failed)  # type: ignore[attr-defined]


def _lists_actions(screen: object) -> bool:
    """The command palette asks for the actions of the screen below while it is the top screen:
    undo/redo/history must be offered there, to be run once it closes."""
    from textual.command import CommandPalette

    return isinstance(screen, CommandPalette)

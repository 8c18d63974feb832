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

from typing import TYPE_CHECKING, Any, Callable, Iterable, Protocol

from textual.screen import ModalScreen, Screen

from xtalent.i18n import t
from xtalent.store import ConflictError

if TYPE_CHECKING:
    from xtalent.editing import EditConflict, EditSession
    from xtalent.merge import Side
    from textual.notifications import SeverityLevel
    from textual.timer import Timer
    from textual.worker import Worker

WATCH_INTERVAL = 2.0


class EditingHost(Protocol):
    """What `Editing` needs of the app (XtalentApp is one)."""

    @property
    def session(self) -> EditSession: ...

    def run_io(self, work: Callable[[], Any], on_done: Callable[[Any], Any] | None = None, *, name: str = "io",
               on_error: Callable[[BaseException], Any] | None = None) -> Worker[Any]: ...

    def report_errors(self, callback: Callable[..., Any], *args: Any) -> Any: ...

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None: ...

    def push_screen(self, screen: Any, callback: Any = None) -> Any: ...

    def set_interval(self, interval: float, callback: Callable[[], Any], *, name: str | None = None) -> Timer: ...

    @property
    def screen(self) -> Screen[Any]: ...

    @property
    def screen_stack(self) -> Iterable[Screen[Any]]: ...


class Editing:
    """The app's editing, held by the app (`app.editing`): it keeps its own state (whether a
    check for other writers is running) and reaches the app only through `EditingHost`."""

    def __init__(self, app: EditingHost) -> None:
        self.app = app
        self.watching = False  # a check for other writers is running

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
        session = self.app.session

        def done(result: Any) -> None:
            self.data_changed(session.take_written())
            if on_done is not None:
                on_done(result)

        def failed(error: BaseException) -> None:
            from xtalent.editing import EditConflict  # loaded with the session

            if isinstance(error, ConflictError):
                session.forget()
                self.data_changed()
            if on_error is not None:
                on_error(error)
            elif isinstance(error, EditConflict):
                self.ask_about_conflict(error, lambda side: self.run_edit(
                    lambda: session.resolve(error, side), on_done, name=name))
            else:
                self.show_error(error)

        self.app.run_io(work, done, name=name, on_error=failed)

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
                self.app.notify(t("conflict.kept_form"))

        self.app.push_screen(ConflictDialog(error), answered)

    def show_error(self, error: BaseException) -> None:
        from .errors import error_text

        self.app.notify(error_text(error), title=t("ui.error_title"), severity="error", timeout=10)

    def data_changed(self, changed: set[str] | None = None) -> None:
        """Tell every screen what to show again (the refresh_data convention): the engagements
        in `changed`, or everything (None)."""
        if changed is None:
            self.app.session.take_written()  # all reloaded anyway
        for screen in list(self.app.screen_stack):
            refresh = getattr(screen, "refresh_data", None)
            if refresh is not None:
                self.app.report_errors(refresh, changed)
            screen.refresh_bindings()

    # ----- undo / redo / history ----------------------------------------------------------------
    def allows(self, action: str) -> bool | None:
        """The app's check_action for undo, redo and history."""
        screen = self.app.screen
        if isinstance(screen, ModalScreen) and not _lists_actions(screen):
            return False  # a form is open: ctrl+z belongs to its text, not to stored data
        if action == "history":
            # Asked for every footer key: a marker, not an import of the history screen.
            return not getattr(screen, "SHOWS_HISTORY", False)
        return True  # with nothing to undo, pressing it says so (clearer than a dimmed key)

    def move_in_history(self, which: str) -> None:
        session = self.app.session
        possible = session.can_undo() if which == "undo" else session.can_redo()
        if not possible:
            self.app.notify(t(f"edit.nothing_to_{which}"))
            return
        what = session.undo_description() if which == "undo" else session.redo_description()
        work = session.undo if which == "undo" else session.redo
        prefix = "edit.undo_prefix" if which == "undo" else "edit.redo_prefix"
        self.run_edit(work, lambda _: self.app.notify(t(prefix, what=what)), name=which)

    def show_history(self) -> None:
        from .history import HistoryScreen

        # From an engagement: its own changes first (f shows the whole database).
        engagement_id = getattr(self.app.screen, "engagement_id", None)
        self.app.push_screen(HistoryScreen(engagement_id))

    # ----- noticing other processes ---------------------------------------------------------------
    def start_watching(self, interval: float = WATCH_INTERVAL) -> None:
        self.app.set_interval(interval, self.check_files, name="watch-files")

    def check_files(self) -> None:
        if self.watching:
            return
        self.watching = True

        def done(changed: bool) -> None:
            self.watching = False
            if changed:
                self.data_changed()
                self.app.notify(t("form.reloaded_elsewhere"))

        def failed(error: BaseException) -> None:
            self.watching = False  # a damaged file is reported by the screens that load it

        self.app.run_io(self.app.session.changed_elsewhere, done, name="watch-files", on_error=failed)


def _lists_actions(screen: object) -> bool:
    """The command palette asks for the actions of the screen below while it is the top screen:
    undo/redo/history must be offered there, to be run once it closes."""
    from textual.command import CommandPalette

    return isinstance(screen, CommandPalette)

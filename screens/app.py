"""The xtalent application: owns the store and the day, runs I/O in workers, reports errors."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from textual.actions import ActionParseResult
from textual.actions import parse as parse_action
from rich.text import Text
from textual.app import App, SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from xtalent.errors import XtalentError
from xtalent.i18n import get_language, set_language, t
from xtalent.settingsfile import resolve
from xtalent.store import Store
from xtalent.textwidth import cell_width
from xtalent.usertext import shown
from xtalent.views.text import wrap

from .base import own_bindings
from .dashboard import DashboardScreen
from .editing import Editing
from .host import XtalentHost
from .errors import error_text

if TYPE_CHECKING:
    from xtalent.editing import EditConflict, EditSession
    from xtalent.merge import Side
    from xtalent.settings import Settings
    from xtalent.settingsfile import SettingsFile


# What opening an engagement needs and the dashboard does not: the models (pydantic), the views
# and the engagement screens.  Loaded in the background once the dashboard is on screen.
WARM_UP_MODULES = ("xtalent.views.engagement", "xtalent.edits", "xtalent_screens.engagement", "xtalent_screens.forms",
                   "xtalent_screens.attention", "xtalent_screens.staff")
# What a read-only view refuses: every action that edits, deletes, undoes or writes a file.
READ_ONLY_REFUSED = frozenset({
    "add_record", "edit_record", "delete_record", "step_stage", "add_evidence", "quick_log",
    "new_engagement", "delete_engagement", "undo", "redo", "export",
})
# A toast's width in app.tcss (Toast): TOAST_WIDTH cells, at most TOAST_SHARE % of the screen,
# less its border and padding (TOAST_FRAME); notify_written wraps its lines to fit.
TOAST_WIDTH, TOAST_SHARE, TOAST_FRAME = 64, 80, 4
WARM_UP_DELAY = 0.5  # seconds after the first paint: the user is reading the list by then


class XtalentCommands(Provider):
    """The palette's commands: the current screen's actions and Textual's own, in the UI language
    (App.get_system_commands). Where a search finds none, it says so in the UI language and offers
    the help screen instead of Textual's English "No matches found" (shown only when no provider
    yields anything)."""

    async def discover(self) -> Hits:
        for title, help_text, callback, discover in sorted(self.app.get_system_commands(self.screen), key=lambda c: c[0]):
            if discover:
                yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        found = False
        for title, help_text, callback, *_ in self.app.get_system_commands(self.screen):
            if (score := matcher.match(title)) > 0:
                found = True
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
        if not found and query.strip():
            app = self.app
            yield Hit(0, Text(t("ui.palette.no_match"), style="italic"), lambda: app.call_later(app.run_action, "app.help"),
                      text=t("ui.palette.no_match"), help=t("ui.palette.no_match_help"))


@dataclass
class _Job:
    on_done: Callable[[Any], Any] | None
    on_error: Callable[[BaseException], Any] | None = field(default=None)


class XtalentApp(XtalentHost):
    # The dashboard's stylesheet (beside it) is loaded with the app's: given its own CSS_PATH
    # (or installed as a mode), the dashboard made Textual parse every stylesheet again and
    # restyle the whole app before the first paint (see get_default_screen).
    CSS_PATH = ["app.tcss", "dashboard.tcss"]
    # Every other screen's and dialog's stylesheet (the views opened by one key, w and p; the
    # engagement screen, the forms, the cell, export, help and history) is read by the warm-up,
    # after the first paint (read_later_stylesheets): parsing them before it was ~4 % of a warm
    # launch's instructions at 20 engagements (bench/paint_instructions.py).  Read with the app's
    # all along, and not at each screen's first push: that push made Textual parse every
    # stylesheet again and restyle every screen open below it (~85 ms of the first `w`,
    # bench/attention_view.py).  Each screen keeps its own CSS_PATH, found already read; one
    # opened before the warm-up reads its own, the slower way (tests/test_stylesheets.py).
    LATER_CSS_PATH = ["attention.tcss", "staff.tcss", "engagement/engagement.tcss", "engagement/cell.tcss",
                      "forms/forms.tcss", "export_dialog.tcss", "help.tcss", "history.tcss"]
    TITLE = "xtalent"
    COMMANDS = {XtalentCommands}
    BINDINGS = [
        Binding("question_mark", "help", "bind.help", id="help"),
        # F2, redo and the history are in the help (?) and the palette (ctrl+p); the footer keeps
        # room for the screen's own keys at 80 columns.
        Binding("f2", "switch_language", "bind.language", id="language", show=False),
        Binding("q", "quit", "bind.quit", id="quit"),
        Binding("ctrl+z", "undo", "bind.undo", id="undo"),
        Binding("ctrl+y", "redo", "bind.redo", id="redo", show=False),
        Binding("h", "history", "bind.history", id="history", show=False),
    ]

    def __init__(
        self,
        store: Store,
        today: date,
        lang: str | None = None,
        settings: Settings | SettingsFile | None = None,
        read_only: bool = False,
    ) -> None:
        super().__init__()
        self.read_only = read_only
        self.store = store
        # The user's pitfall thresholds (None: the defaults; a settings file is validated by the
        # first worker that needs it): every warning the UI shows uses them.
        self.settings = settings
        self._session: EditSession | None = None  # built at its first use (session)
        self._session_lock = threading.Lock()
        self._noted: list[Iterable[tuple[str, int, int]]] = []  # note_loaded before it was built
        self.editing = Editing(self)  # saving in workers, undo/redo, conflicts, other writers
        self.today = today
        if lang:
            set_language(lang)
        self._jobs: dict[Worker[Any], _Job] = {}
        self._warming = False
        self.crashed = False  # ended by an unexpected error: the command exits 1
        # Known before the app starts: set here, the header is right in the first frame (set in
        # on_mount it cost a frame of its own).
        self.sub_title = self.subtitle()

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        # Every key, palette command and click that would change or write something comes
        # through here: a reviewer's read-only view refuses it with a word instead of a form.
        if self.read_only:
            name = (action if isinstance(action, tuple) else parse_action(action))[1]
            if name in READ_ONLY_REFUSED:
                self.notify(t("ui.read_only_refused"), severity="warning")
                return True
        return await super().run_action(action, default_namespace, namespaces)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast: its text is data (a name quoted in it is never markup nor an action)."""
        super().notify(shown(message, multiline=True), title=shown(title), severity=severity, timeout=timeout,
                       markup=False)

    def get_default_screen(self) -> Screen[Any]:
        # The dashboard is the bottom of the stack (q quits from it), not pushed over an empty
        # default screen: one screen less to lay out and resize before the first paint.
        return DashboardScreen()

    @property
    def session(self) -> EditSession:
        """The edit session: every edit goes through it (screens/editing.py).  Built at its first
        use (an edit, an undo, the first look for other writers; the warm-up builds it), not for
        the first paint, which needs neither it nor its modules (xtalent.editing, the change log,
        the merge: ~28 M instructions of a warm launch).  Workers ask for it too: one is built."""
        with self._session_lock:
            if self._session is None:
                from xtalent.editing import EditSession

                self._session = EditSession(self.store)
                for fingerprint in self._noted:
                    self._session.note_loaded(fingerprint)
                self._noted.clear()
            return self._session

    def note_loaded(self, fingerprint: Iterable[tuple[str, int, int]]) -> None:
        """EditSession.note_loaded (the files as a screen has just read them), without building
        the session for it: the dashboard's first load calls this before the first paint."""
        with self._session_lock:
            if self._session is None:
                self._noted.append(fingerprint)
                return
        self._session.note_loaded(fingerprint)

    @property
    def lang(self) -> str:
        return get_language()

    def subtitle(self) -> str:
        text = t("ui.subtitle", db=str(Path(self.store.root)), today=self.today.isoformat())
        return f"{text} {t('ui.read_only_mark')}" if self.read_only else text

    def on_mount(self) -> None:
        if self.store.repaired:
            key, params = self.store.repaired.notice()
            # The path is the user's: plain text, never markup.
            self.notify(t(key, **params), severity="warning", timeout=15, markup=False)
        self.editing.start_watching()

    def warm_up(self) -> None:
        """Load what the first Enter needs while the user reads the dashboard.

        The first paint does without the models (~0.2 s of pydantic and the views, see
        bench/run.py); without this, the first engagement opened would wait for them instead.
        """
        if self._warming:
            return
        self._warming = True

        settings, store = self.settings, self.store

        def work() -> None:
            self.session  # built now (a property): the first edit or look for other writers does not wait
            for name in WARM_UP_MODULES:
                import_module(name)
            from xtalent.models import StoredRevision

            StoredRevision.model_rebuild()  # what a save reads first: built now, not by the first save
            resolve(settings)  # a settings file known usable at launch is validated now
            try:
                # The session's backup, made now so the first change does not wait for a link
                # per engagement (Store.prepare_backup); only ever a head start.
                if not store.read_only:
                    store.prepare_backup()
            except (XtalentError, OSError):
                pass  # locked or read-only: the first change makes its own, as before

        def start() -> None:
            self.read_later_stylesheets()
            self.run_io(work, name="warm-up")

        self.set_timer(WARM_UP_DELAY, start)

    def read_later_stylesheets(self) -> None:
        """Add LATER_CSS_PATH to the app's stylesheet, parsing only those (Stylesheet.parse reuses
        its cache of what it parsed before; reparse, as a screen's first push does, parses all
        again).  Not applied to the screens shown: no rule of theirs matches the dashboard's widgets."""
        folder = Path(__file__).resolve().parent
        stylesheet = self.stylesheet
        added = False
        for name in self.LATER_CSS_PATH:
            path = str((folder / name).resolve())  # as Textual resolves a screen's CSS_PATH
            if not stylesheet.has_source(path):
                stylesheet.read(path)
                added = True
        if added:
            stylesheet.parse()

    # ----- background I/O: one place where worker errors are handled ------------------------
    def run_io(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], Any] | None = None,
        *,
        name: str = "io",
        on_error: Callable[[BaseException], Any] | None = None,
    ) -> Worker[Any]:
        worker = self.run_worker(work, name=name, group="io", thread=True, exit_on_error=False)
        self._jobs[worker] = _Job(on_done, on_error)
        return worker

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        job = self._jobs.get(event.worker)
        if job is None:
            return
        if event.state == WorkerState.SUCCESS:
            del self._jobs[event.worker]
            if job.on_done is not None:
                self.report_errors(job.on_done, event.worker.result)
        elif event.state == WorkerState.ERROR:
            del self._jobs[event.worker]
            error = event.worker.error or RuntimeError("?")
            if job.on_error is not None:
                self.report_errors(job.on_error, error)
            else:
                self.notify(error_text(error), title=t("ui.error_title"), severity="error", timeout=10)
        elif event.state == WorkerState.CANCELLED:
            self._jobs.pop(event.worker, None)

    def _handle_exception(self, error: Exception) -> None:
        """An exception no handler caught: logged, and the app ends with a short message.

        Textual 8 has no public hook for this (Textualize/textual#5931); its default prints a
        traceback with every frame's local variables, which hold the personal data on screen.
        Here the traceback goes to the private crash log (xtalent.crashlog, no locals) and the
        app ends through the public `panic` with one line naming the log.  Ending, not carrying
        on: the failing widget may be half-mounted, and Textual expects the app to close
        (overriding this without closing hangs it, textual#2818).  Errors of background work
        and of UI callbacks never get here: run_io and report_errors notify and carry on, so a
        form stays open with what was typed.  Headless (the tests' pilot), Textual's own
        handling stays, so that a test sees the exception raised.
        """
        from xtalent.crashlog import record

        path = record(error, "tui")
        if self.is_headless:
            super()._handle_exception(error)
            return
        self.crashed = True
        from rich.text import Text  # plain text: the message is never read as markup

        from xtalent.crashlog import keep_unsaved

        message = t("crash.tui", kind=type(error).__name__, log=str(path) if path else t("crash.no_log"))
        kept = keep_unsaved(self.unsaved_forms())
        if kept is not None:
            message += "\n" + t("crash.unsaved", path=str(kept))
        self.panic(Text(message))

    def unsaved_forms(self) -> list[dict[str, Any]]:
        """What every open form holds that was typed and not saved (for keep_unsaved)."""
        from .forms.base import RecordForm

        drafts = []
        for screen in self.screen_stack:
            if isinstance(screen, RecordForm):
                try:
                    if screen.changed():
                        drafts.append({"form": screen.title_text(), "values": screen.values()})
                except Exception:  # noqa: BLE001 - a half-built form: keep what the others hold
                    continue
        return drafts

    def notify_written(self, path: Path, *, title: str | None = None) -> None:
        """"Written: PATH" in a toast, the path (else its file name) on one line: Rich's own wrap
        split "checklist.xls⏎x" and "浩二⏎_20261123.xlsx". Lines are cut by the core's wrap to the
        toast's text width (app.tcss gives Toast its width: TOAST_WIDTH, at most TOAST_SHARE)."""
        width = min(TOAST_WIDTH, self.size.width * TOAST_SHARE // 100) - TOAST_FRAME
        full, name = shown(str(path)), shown(path.name)
        keep = [full] if cell_width(full) <= width else [name]
        text = "\n".join(wrap(t("exportui.written", path=str(path)), width, keep))
        self.notify(text, title=title if title is not None else t("exportui.title_short"), timeout=10, markup=False)

    def report_errors(self, callback: Callable[..., Any], *args: Any) -> Any:
        """Call a UI callback; an exception becomes a notification, never a dead app."""
        try:
            return callback(*args)
        except Exception as error:  # noqa: BLE001 - the app must survive any handler's bug
            self.notify(error_text(error), title=t("ui.error_title"), severity="error", timeout=10)
            return None

    # ----- editing (screens/editing.py): what screens and forms call ---------------------------
    def run_edit(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], Any] | None = None,
        *,
        name: str = "edit",
        on_error: Callable[[BaseException], Any] | None = None,
    ) -> None:
        """Run an edit in a worker, then refresh every screen (Editing.run_edit)."""
        self.editing.run_edit(work, on_done, name=name, on_error=on_error)

    def ask_about_conflict(self, error: EditConflict, then: Callable[[Side], Any],
                           back: Callable[[], Any] | None = None) -> None:
        self.editing.ask_about_conflict(error, then, back)

    def show_error(self, error: BaseException) -> None:
        self.editing.show_error(error)

    def data_changed(self, changed: set[str] | None = None) -> None:
        self.editing.data_changed(changed)

    def check_files(self) -> None:
        """Look for other processes' changes now (the timer does every few seconds)."""
        self.editing.check_files()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("undo", "redo", "history"):
            return self.editing.allows(action)
        return super().check_action(action, parameters)

    def action_undo(self) -> None:
        self.editing.move_in_history("undo")

    def action_redo(self) -> None:
        self.editing.move_in_history("redo")

    def action_history(self) -> None:
        self.editing.show_history()

    # ----- actions ------------------------------------------------------------------------
    def action_command_palette(self) -> None:
        """Textual's command palette, with its search field's placeholder in the UI language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=t("ui.palette.placeholder")))

    def action_help_quit(self) -> None:
        """Textual's answer to ctrl+c (which no longer quits), in the UI language."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(t("ui.quit_hint", key=key), title=t("ui.quit_hint_title"), markup=False)
                return

    def action_help(self) -> None:
        from .help import HelpScreen

        self.push_screen(HelpScreen(self.screen))

    def action_switch_language(self) -> None:
        set_language("en" if self.lang == "ja" else "ja")
        self.sub_title = self.subtitle()
        for screen in self.screen_stack:
            refresh = getattr(screen, "refresh_language", None)
            if refresh is not None:
                self.report_errors(refresh)
            screen.refresh_bindings()
        self.notify(t("ui.language_switched"))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        # Every xtalent action on the current screen is also in the palette, in the UI language.
        for own in own_bindings(screen):
            if own.action == "command_palette":
                continue

            def run(action: str = own.action, node: Any = own.node) -> None:
                self.call_later(self.run_action, action, node)

            yield SystemCommand(t(own.description_key), t("ui.palette_key", key=" / ".join(own.keys)), run)
        # Textual's own commands, in the UI language (quit and help are bindings above).
        yield SystemCommand(t("ui.cmd_theme"), t("ui.cmd_theme_help"), self.action_change_theme)
        yield SystemCommand(
            t("ui.cmd_screenshot"), t("ui.cmd_screenshot_help"), lambda: self.set_timer(0.1, self.deliver_screenshot)
        )

"""The app as screens, dialogs and forms see it: what they may use besides Textual's App.

`XtalentApp` (app.py) is the one implementation.  It is stated here, apart from the app, so a
screen can name the type it expects without importing the app module (which imports screens:
a circle the layer contracts forbid).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from textual.app import App

if TYPE_CHECKING:
    from textual.worker import Worker

    from xtalent.editing import EditConflict, EditSession
    from xtalent.merge import Side
    from xtalent.settings import Settings
    from xtalent.settingsfile import SettingsFile
    from xtalent.store import Store


class XtalentHost(App[object]):
    store: Store
    today: date
    settings: Settings | SettingsFile | None  # the user's thresholds; None: the defaults
    read_only: bool  # a reviewer's view: every edit refused

    if TYPE_CHECKING:  # defined by XtalentApp

        @property
        def session(self) -> EditSession: ...  # every change goes through it (screens/editing.py)

        def note_loaded(self, fingerprint: Iterable[tuple[str, int, int]]) -> None: ...

        @property
        def lang(self) -> str: ...

        def run_io(self, work: Callable[[], Any], on_done: Callable[[Any], Any] | None = None, *,
                   name: str = "io", on_error: Callable[[BaseException], Any] | None = None) -> Worker[Any]: ...

        def run_edit(self, work: Callable[[], Any], on_done: Callable[[Any], Any] | None = None, *,
                     name: str = "edit", on_error: Callable[[BaseException], Any] | None = None) -> None: ...

        def ask_about_conflict(self, error: EditConflict, then: Callable[[Side], Any],
                               back: Callable[[], Any] | None = None) -> None: ...

        def show_error(self, error: BaseException) -> None: ...

        def notify_written(self, path: Path, *, title: str | None = None) -> None: ...

        def data_changed(self, changed: set[str] | None = None) -> None: ...

        def report_errors(self, callback: Callable[..., Any], *args: Any) -> Any: ...

        def warm_up(self) -> None: ...

        def action_switch_language(self) -> None: ...

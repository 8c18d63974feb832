"""Launching the TUI: on the user's database, or `demo` on a throw-away copy of the demo data."""

from __future__ import annotations

import argparse
import gc
import shutil
import signal
import sys
import tempfile
import threading
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import Any

from ..i18n import t
from ..paths import demo_file
from ..settingsfile import user_settings
from ..store import Store
from ..views import rowhelper
from .context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help=t("cli.demo_help"), description=t("cli.demo_help"))
    p.set_defaults(handler=cmd_demo)
    p = sub.add_parser("tui", help=t("cli.tui_help"), description=t("cli.tui_help"))
    p.add_argument("--read-only", action="store_true", help=t("cli.tui_read_only"))
    p.set_defaults(handler=run_tui)


class SignalsEndTheApp:
    """SIGTERM, SIGHUP (the terminal was closed) and SIGINT end the program the way `q` does.

    Python's default for SIGTERM and SIGHUP is to die on the spot: no `finally` runs, so the
    demo's temporary copy of the data stayed behind and the terminal was left in raw mode.
    Here the first signal asks the running app to exit (from the signal handler, only through
    `call_soon_threadsafe`, which is safe there); outside the app, or at a second signal, it
    raises SystemExit so that every `finally` still runs.  The exit code is 128 + the signal.
    """

    SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name))

    def __init__(self) -> None:
        self.app: Any = None
        self._asked = False
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> "SignalsEndTheApp":
        if threading.current_thread() is threading.main_thread():  # only there can Python set them
            for sig in self.SIGNALS:
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)

    def _handle(self, signum: int, frame: object) -> None:
        code = 128 + signum
        # asyncio is imported with Textual, not by this module (it was a third of the launch's
        # work before the row helper starts): not imported yet, no app's loop can be running.
        asyncio = sys.modules.get("asyncio")
        loop = None
        if asyncio is not None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # outside the app's loop
                pass
        if self.app is not None and loop is not None and not self._asked:
            self._asked = True
            loop.call_soon_threadsafe(lambda: self.app.exit(return_code=code))
            return
        raise SystemExit(code)


def run_tui(args: argparse.Namespace, ctx: Context) -> int:
    ctx.read_only = bool(getattr(args, "read_only", False))
    app = build_app(ctx)
    with SignalsEndTheApp() as signals:
        signals.app = app
        try:
            app.run()
        finally:
            app.store.end_session()  # a prepared backup never used, rotated-out backups
    if getattr(app, "crashed", False):
        return 1
    return app.return_code or 0


def build_app(ctx: Context) -> Any:
    """The TUI on the context's database, day, language and settings (not yet running)."""
    store = ctx.store  # opening first: a damaged database is reported before the screen starts
    settings = user_settings(ctx.config_path, store.root)  # a bad settings file is refused before the screen
    # No rows kept for today (a new day, version, language or settings): a second process starts
    # computing them now, while the UI is imported (views/rowhelper.py).
    rowhelper.prestart(store, ctx.today, ctx.lang, settings)
    # The UI is imported only to launch it: the core stays importable without a terminal stack.
    XtalentApp = import_module("xtalent_screens.app").XtalentApp
    # What the launch has imported (~50,000 objects: modules, classes, the message catalog) lives
    # as long as the process: the collector need not walk it again at every full collection.
    # Done once per process (the first launch), on the main thread before the app starts any
    # worker; the collector itself stays on throughout: nothing is switched, so nothing can leak
    # into another thread.
    if gc.get_freeze_count() == 0:
        gc.freeze()
    return XtalentApp(store=store, today=ctx.today, lang=ctx.lang, settings=settings, read_only=ctx.read_only)


def open_demo_store(folder: Path) -> tuple[Store, date | None]:
    """A throw-away store holding the demo, and the day the demo was written for."""
    from ..interchange import load_document

    store = Store.open(folder / "db")
    document = load_document(demo_file())
    store.import_document(document)
    written_for = date.fromisoformat(document.exported_at[:10]) if document.exported_at else None
    return store, written_for


def cmd_demo(args: argparse.Namespace, ctx: Context) -> int:
    # Signals from here on end in the `finally` below, which removes the copy (see SignalsEndTheApp).
    with SignalsEndTheApp():
        folder = Path(tempfile.mkdtemp(prefix="xtalent-demo-"))
        try:
            return _demo(args, ctx, folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def _demo(args: argparse.Namespace, ctx: Context, folder: Path) -> int:
    ctx._store, written_for = open_demo_store(folder)
    ctx.db_path = ctx._store.root
    if written_for is not None and not args.today:
        # The demo's terms and pitfalls are written around one day: shown on a later real
        # date every engagement would simply have ended.  --today still overrides.
        ctx.today = written_for
    return run_tui(args, ctx)

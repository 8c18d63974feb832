"""What the TUI says about an error: a catalog message, or for an unexpected one the log's path.

Its own module because every layer that shows an error needs it (the app, a form, a dialog, the
editing actions): kept in app.py it tied each of them back to the app in an import circle.
"""

from __future__ import annotations

from xtalent.errors import XtalentError
from xtalent.i18n import t


def error_text(error: BaseException) -> str:
    """What a notification says about an error; an unexpected one is first logged in full,
    traceback and all, and the notification names the log."""
    if isinstance(error, XtalentError):
        return error.message()
    from xtalent.crashlog import record

    path = record(error, "tui")
    return t(
        "ui.unexpected_error", kind=type(error).__name__, detail=str(error)[:200],
        log=str(path) if path else t("crash.no_log"),
    )

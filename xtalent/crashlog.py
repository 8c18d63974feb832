"""The private crash log: where an unexpected error's traceback goes instead of the screen.

A traceback on the terminal is lost when the window closes, and Textual's crash dump prints
every frame's local variables: named staff, e-mail addresses, whatever the form held.  Here
the traceback is written without locals (the standard library's format never has them) to a
file only the user can read (0600, in a 0700 folder: the platform's user log folder), rotated
so that it cannot grow without bound; the screen gets a short message naming the file.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from datetime import datetime, timezone
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import Any, Mapping

from .paths import APP

LOG_NAME = "crash.log"
MAX_BYTES = 1_000_000
BACKUPS = 3


def log_path(environ: Mapping[str, str] | None = None) -> Path:
    """XTALENT_LOG (a file), else crash.log in the platform's user log folder."""
    env = os.environ if environ is None else environ
    if env.get("XTALENT_LOG"):
        return Path(env["XTALENT_LOG"]).expanduser()
    from platformdirs import user_log_path

    return user_log_path(APP, appauthor=False) / LOG_NAME


class _PrivateRotatingHandler(RotatingFileHandler):
    """RotatingFileHandler whose files are created 0600 (it would use the umask, often 0644)."""

    def _open(self) -> Any:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.fchmod(fd, 0o600)  # an older file made with looser permissions is tightened too
        return os.fdopen(fd, "a", encoding=self.encoding or "utf-8", errors=self.errors)


def _logger(path: Path) -> logging.Logger:
    logger = logging.getLogger(f"xtalent.crash.{path}")
    if not logger.handlers:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handler = _PrivateRotatingHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.ERROR)
        logger.propagate = False  # never to a root handler that prints to the terminal
    return logger


def record(error: BaseException, where: str = "", environ: Mapping[str, str] | None = None) -> Path | None:
    """Write `error`'s traceback (no locals) to the crash log; the log's path, or None when it
    cannot be written (a read-only home): reporting a crash must never crash."""
    try:
        path = log_path(environ)
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        _logger(path).error("%s %s\n%s", stamp, where or "-", text.rstrip())
        for handler in _logger(path).handlers:
            handler.flush()
        return path
    except Exception:  # noqa: BLE001 - see the docstring
        return None


def keep_unsaved(drafts: list[dict[str, Any]], environ: Mapping[str, str] | None = None) -> Path | None:
    """What open forms held when the app had to end, beside the crash log (0600): typed text is
    not lost with the app.  The path, or None when there was nothing (or it cannot be written)."""
    if not drafts:
        return None
    try:
        import json

        from .atomic import atomic_write_bytes

        folder = log_path(environ).parent
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        path = folder / f"unsaved-{stamp}.json"
        data = json.dumps({"saved_at": stamp, "forms": drafts}, ensure_ascii=False, indent=1, default=str)
        atomic_write_bytes(path, data.encode("utf-8"), mode=0o600)
        return path
    except Exception:  # noqa: BLE001 - keeping a draft must never be what fails
        return None


def excepthook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    """sys.excepthook for the command line: the short message on stderr, the traceback logged."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, tb)
        return
    from .i18n import t

    error.__traceback__ = tb
    path = record(error, "cli")
    where = str(path) if path is not None else t("crash.no_log")
    print(f"xtalent: {t('crash.cli', kind=kind.__name__, log=where)}", file=sys.stderr)

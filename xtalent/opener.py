"""Opening an evidence's link with what the system uses for it (a browser, a viewer)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .errors import XtalentError


def is_url(link: str) -> bool:
    return link.lower().startswith(("http://", "https://"))


def open_link(link: str) -> None:
    """Open `link` (a URL or a file path) with the system's opener; XtalentError if it cannot.

    Only http(s) URLs and existing files are opened: a link is user text, and handing anything
    else (a `file:` or `javascript:` URL, a command) to an opener is not ours to risk."""
    link = link.strip()
    if is_url(link):
        import webbrowser

        if not webbrowser.open(link):
            raise XtalentError("opener.failed", link=link)
        return
    path = Path(link).expanduser()
    if not path.exists():
        raise XtalentError("opener.missing", link=link)
    try:
        if sys.platform == "win32":
            os.startfile(path)  # type: ignore[attr-defined]  # noqa: S606 - the user's own file
        else:
            command = "open" if sys.platform == "darwin" else "xdg-open"
            subprocess.Popen([command, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        raise XtalentError("opener.failed", link=link) from None

"""The version of the code that derived data was computed by: part of every cache's key.

`__version__` alone does not change when the code does (an editable install, a patched
release): a cache of dashboard rows kept across such a change would show the old rules' warning
counts.  So the key also digests the package's own source files and message catalog, which is
what every derived value depends on.  Reading them is ~10 ms of CPU (115 files), once per
process and only in one that reads such a cache; the message catalog's cache has a narrower key
of its own (i18n.catalog_key).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from . import __version__

PACKAGE = Path(__file__).resolve().parent
_SUFFIXES = (".py", ".toml")


def digest_of(folder: Path, version: str) -> str:
    """The version and every source file under `folder` (names and bytes), as a short digest."""
    digest = hashlib.sha256(version.encode() + b"\0")
    for path in sorted(p for p in folder.rglob("*") if p.suffix in _SUFFIXES and "__pycache__" not in p.parts):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return f"{version}+{digest.hexdigest()[:16]}"


@cache
def code_version() -> str:
    """This installation's code version, e.g. "0.1.0+3f2a…"."""
    try:
        return digest_of(PACKAGE, __version__)
    except OSError:  # an unreadable installation (a zip): the release number is all there is
        return __version__

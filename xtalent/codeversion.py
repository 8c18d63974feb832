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
import os
from functools import cache
from pathlib import Path
from typing import Iterator

from . import __version__

PACKAGE = Path(__file__).resolve().parent
_SUFFIXES = (".py", ".toml")


def digest_of(folder: Path, version: str) -> str:
    """The version and every source file under `folder` (names and bytes), as a short digest."""
    digest = hashlib.sha256(version.encode() + b"\0")
    for parts, path in sorted(_sources(os.fspath(folder), ())):
        digest.update("/".join(parts).encode() + b"\0")
        with open(path, "rb") as source:
            digest.update(source.read() + b"\0")
    return f"{version}+{digest.hexdigest()[:16]}"


def _sources(folder: str, parts: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    """(relative path's parts, path) of each source file under `folder`, byte code left out.
    A walk of `os.scandir`, not `Path.rglob`: the digest is taken by every process that reads a
    cache (each launch, the row helper), and the walk was half of its ~10 ms."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir():
                if entry.name != "__pycache__":
                    yield from _sources(entry.path, (*parts, entry.name))
            elif os.path.splitext(entry.name)[1] in _SUFFIXES:
                yield (*parts, entry.name), entry.path


@cache
def code_version() -> str:
    """This installation's code version, e.g. "0.1.0+3f2a…"."""
    try:
        return digest_of(PACKAGE, __version__)
    except OSError:  # an unreadable installation (a zip): the release number is all there is
        return __version__

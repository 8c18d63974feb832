"""The two ways a stored engagement file is read, for tests that compare them: each gives the
engagement, or ("unreadable", the message) — so a test can assert they agree on any input."""

from __future__ import annotations

from pathlib import Path

from xtalent import codec
from xtalent.atomic import UnreadableFile

PATH = Path("en-healthy.json")


def careful(raw: bytes) -> object:
    """The file read the careful way: decoded, upgraded, then validated."""
    try:
        return codec.validated(PATH, codec.upgraded(PATH, *codec.decode(raw, PATH)))
    except UnreadableFile as exc:
        return ("unreadable", str(exc))


def parsed(raw: bytes) -> object:
    """The file read as the store reads it (codec.parse: the fast path when it can be taken)."""
    try:
        return codec.parse(PATH, raw)
    except UnreadableFile as exc:
        return ("unreadable", str(exc))

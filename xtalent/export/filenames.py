"""File names built from user text (a person's name, an organisation) that are safe on every OS.

The text comes from whoever typed the engagement, so it may hold separators, `..`, control
characters or a name Windows reserves; the result must stay one plain file inside the folder
the user chose, and keep Japanese as it is.
"""

from __future__ import annotations

import re
import unicodedata

# Windows refuses these as a file's stem whatever the extension (CON.txt is the console).
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{base}{n}" for base in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]
}
# Separators and the characters Windows forbids in a name.
_FORBIDDEN = re.compile(r'[/\\<>:"|?*\u2215\u2044\uff0f\uff3c]')
_SPACES = re.compile(r"[\s\u3000]+")
_RUNS = re.compile(r"_{2,}")
_DOTS = re.compile(r"\.{2,}")
# Most file systems allow 255 bytes per name; leave room for a suffix like " (2)".
MAX_BYTES = 200


def _clean_char(ch: str) -> str:
    category = unicodedata.category(ch)
    # Control, format (bidi overrides that disguise an extension), unassigned, surrogates.
    if category in ("Cc", "Cf", "Cn", "Cs", "Co", "Zl", "Zp"):
        return "_"
    return ch


def sanitize_component(text: str, fallback: str = "xtalent") -> str:
    """One name component: no separators, no control characters, no leading dot."""
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(_clean_char(ch) for ch in text)
    text = _FORBIDDEN.sub("_", text)
    text = _SPACES.sub("_", text)
    text = _DOTS.sub(".", text)
    text = _RUNS.sub("_", text)
    # Leading dots hide a file; trailing dots and spaces are dropped silently by Windows.
    text = text.strip(" ._")
    return text or fallback


def _truncate_bytes(text: str, limit: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", errors="ignore").rstrip(" ._")


def sanitize_filename(name: str, fallback: str = "xtalent") -> str:
    """A whole file name (stem and extension) that stays inside whatever folder it joins."""
    stem, dot, ext = (name or "").rpartition(".")
    if not dot:
        stem, ext = name or "", ""
    # The extension is ours (md, xlsx...): keep it to plain letters and digits.
    ext = "".join(ch for ch in ext if ch.isascii() and ch.isalnum())[:16]
    stem = sanitize_component(stem, fallback)
    stem = _truncate_bytes(stem, MAX_BYTES - len(ext) - 1) or fallback
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    return f"{stem}.{ext}" if ext else stem

"""Handover checklist export (引継ぎチェックリスト) in the formats municipal offices use.

The public surface the CLI and the TUI call:

    export_checklist(engagements, fmt, today, lang, settings=None, *, reminder_days=None) -> bytes
    default_filename(engagement | None, fmt, today, lang=None) -> str

Each format lives in its own small module with `render(...) -> bytes`; they are imported only
when asked for, so starting the CLI does not load xlsxwriter or icalendar.
"""

from __future__ import annotations

from datetime import date
from importlib import import_module
from typing import Any, Sequence

from ..errors import XtalentError
from ..i18n import get_language, t
from ..models import Engagement
from .checklist import Checklist, build
from .filenames import sanitize_component, sanitize_filename

FORMATS: tuple[str, ...] = ("md", "csv", "xlsx", "html", "ics", "json")
# Formats a terminal can show; the others are written to a file.
TEXT_FORMATS = frozenset({"md", "csv", "html", "ics", "json"})
EXTENSIONS = {fmt: fmt for fmt in FORMATS}
MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "ics": "text/calendar; charset=utf-8",
    "json": "application/json",
}
DEFAULT_REMINDER_DAYS = 14
MAX_REMINDER_DAYS = 365


def reminder_days_from(settings: Any, explicit: int | None = None) -> int:
    """The ics reminder lead time: the explicit value, else the settings', else 14 days."""
    value: Any = explicit
    if value is None and settings is not None:
        for name in ("export_reminder_days", "reminder_days"):
            value = settings.get(name) if isinstance(settings, dict) else getattr(settings, name, None)
            if value is not None:
                break
    if value is None:
        return DEFAULT_REMINDER_DAYS
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_REMINDER_DAYS:
        raise XtalentError("export.error.bad_reminder")
    return value


def export_checklist(
    engagements: Sequence[Engagement],
    fmt: str,
    today: date,
    lang: str,
    settings: Any = None,
    *,
    reminder_days: int | None = None,
    notices: list[str] | None = None,
) -> bytes:
    """The checklist for these engagements (one, or all for one document) in `fmt`, as bytes.

    `notices` receives what the user should know about the result (a cell cut to Excel's limit).
    """
    if fmt not in FORMATS:
        raise XtalentError("export.error.bad_format", fmt=fmt, choices=", ".join(FORMATS))
    engagements = list(engagements)
    module = import_module(f".{fmt}", __name__)
    if fmt == "json":
        # The lossless interchange document, not a rendering: re-importable as it is.
        return module.render(engagements, today)
    days = reminder_days_from(settings, reminder_days)
    checklist = build(engagements, today, lang, settings)
    if fmt == "ics":
        return module.render(checklist, reminder_days=days)
    if fmt == "xlsx":
        return module.render(checklist, notices)
    return module.render(checklist)


def default_filename(engagement: Engagement | None, fmt: str, today: date, lang: str | None = None) -> str:
    """A safe file name for the export: checklist, person, date; `None` means all engagements."""
    if fmt not in FORMATS:
        raise XtalentError("export.error.bad_format", fmt=fmt, choices=", ".join(FORMATS))
    lang = lang or get_language()
    who = sanitize_component(engagement.person.name) if engagement else t("export.filename_all", lang)
    stem = "xtalent" if fmt == "json" else t("export.filename_stem", lang)
    return sanitize_filename(f"{stem}_{who}_{today:%Y%m%d}.{EXTENSIONS[fmt]}")


__all__ = [
    "DEFAULT_REMINDER_DAYS",
    "EXTENSIONS",
    "FORMATS",
    "MEDIA_TYPES",
    "TEXT_FORMATS",
    "Checklist",
    "build",
    "default_filename",
    "export_checklist",
    "reminder_days_from",
    "sanitize_filename",
]

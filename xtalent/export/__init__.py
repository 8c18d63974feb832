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
from ..settings import DEFAULT_REMINDER_DAYS, MAX_REMINDER_DAYS, Settings
from ..settingsfile import resolve
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


def reminder_days_from(settings: Any, explicit: int | None = None) -> int:
    """The ics reminder lead time: `explicit` (--reminder-days), else [export] reminder_days of
    the settings (a Settings, a SettingsFile or None for the defaults)."""
    if explicit is not None:
        if isinstance(explicit, bool) or not isinstance(explicit, int) or not 0 <= explicit <= MAX_REMINDER_DAYS:
            raise XtalentError("export.error.bad_reminder")
        return explicit
    settings = resolve(settings)
    return settings.export.reminder_days if isinstance(settings, Settings) else DEFAULT_REMINDER_DAYS


def export_checklist(
    engagements: Sequence[Engagement],
    fmt: str,
    today: date,
    lang: str,
    settings: Any = None,
    *,
    reminder_days: int | None = None,
    notices: list[str] | None = None,
    people: Any = None,
) -> bytes:
    """The checklist for these engagements (one, or all for one document) in `fmt`, as bytes.

    `notices` receives what the user should know about the result (a cell cut to Excel's limit).
    `people`: the employee records (a PeopleRegistry), which the interchange document (json) carries.
    """
    if fmt not in FORMATS:
        raise XtalentError("export.error.bad_format", fmt=fmt, choices=", ".join(FORMATS))
    engagements = list(engagements)
    module = import_module(f".{fmt}", __name__)
    if fmt == "json":
        # The lossless interchange document, not a rendering: re-importable as it is.
        return module.render(engagements, today, people)
    days = reminder_days_from(settings, reminder_days)
    checklist = build(engagements, today, lang, settings)
    if fmt == "ics":
        return module.render(checklist, reminder_days=days)
    if fmt == "xlsx":
        return module.render(checklist, notices)
    return module.render(checklist)


HANDOVER_FORMATS: tuple[str, ...] = ("md", "csv", "xlsx", "html")
DISPATCH_FORMATS: tuple[str, ...] = ("md", "csv", "xlsx", "html")
RECORDS: tuple[str, ...] = ("checklist", "handover", "dispatch")


def export_handover(engagements: Sequence[Engagement], fmt: str, today: date, lang: str) -> bytes:
    """The 事務引継書 (handover record) of these engagements in `fmt` (md, csv, xlsx or html)."""
    if fmt not in HANDOVER_FORMATS:
        raise XtalentError("export.error.bad_format", fmt=fmt, choices=", ".join(HANDOVER_FORMATS))
    from .handover import build as build_handover

    records = build_handover(list(engagements), today, lang)
    module = import_module(f".handover_{fmt}", __name__)
    if fmt == "xlsx":
        return module.render(records, today)
    return module.render(records)


def export_dispatch(
    engagements: Sequence[Engagement], fmt: str, today: date, lang: str, settings: Any = None, on: date | None = None
) -> bytes:
    """The 実施報告書 of one dispatch (the log entries of day `on`) or of every dispatch, of
    dispatched engagements, in `fmt` (md, csv, xlsx or html)."""
    if fmt not in DISPATCH_FORMATS:
        raise XtalentError("dispatch.error.format", fmt=fmt, choices=", ".join(DISPATCH_FORMATS))
    from .dispatch import build as build_dispatch

    reports = build_dispatch(list(engagements), today, lang, settings, on)
    module = import_module(f".dispatch_{fmt}", __name__)
    if fmt == "xlsx":
        return module.render(reports, lang, today)
    return module.render(reports, lang)


def export_record(
    record: str, engagements: Sequence[Engagement], fmt: str, today: date, lang: str, settings: Any = None, **kwargs: Any
) -> bytes:
    """The asked record: the working checklist, the 事務引継書 or the 実施報告書 (`on`: one dispatch)."""
    on = kwargs.pop("on", None)
    if record == "handover":
        return export_handover(engagements, fmt, today, lang)
    if record == "dispatch":
        return export_dispatch(engagements, fmt, today, lang, settings, on)
    return export_checklist(engagements, fmt, today, lang, settings, **kwargs)


STEMS = {"checklist": "export.filename_stem", "handover": "handover.filename_stem", "dispatch": "dispatch.filename_stem"}


def default_filename(
    engagement: Engagement | None, fmt: str, today: date, lang: str | None = None, record: str = "checklist",
    on: date | None = None,
) -> str:
    """A safe file name for the export: record, person, date (the dispatch's day for one 実施報告書);
    `None` means all engagements."""
    if fmt not in FORMATS:
        raise XtalentError("export.error.bad_format", fmt=fmt, choices=", ".join(FORMATS))
    lang = lang or get_language()
    who = sanitize_component(engagement.person.name) if engagement else t("export.filename_all", lang)
    stem = "xtalent" if fmt == "json" else t(STEMS.get(record, STEMS["checklist"]), lang)
    return sanitize_filename(f"{stem}_{who}_{(on or today):%Y%m%d}.{EXTENSIONS[fmt]}")


__all__ = [
    "DEFAULT_REMINDER_DAYS",
    "EXTENSIONS",
    "DISPATCH_FORMATS",
    "HANDOVER_FORMATS",
    "export_dispatch",
    "RECORDS",
    "export_handover",
    "export_record",
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

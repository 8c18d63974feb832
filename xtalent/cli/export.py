"""export: the handover checklist (引継ぎチェックリスト) in md/csv/xlsx/html/ics, or the interchange JSON;
with --record handover, the 事務引継書 (handover record) in md/csv/xlsx/html; with --record
dispatch, a dispatched advisor's 実施報告書 (one dispatch with --date, else all of them).

    xtalent export [ENGAGEMENT|--all] [--format md|csv|xlsx|html|ics|json] [-o PATH] [--force]
    xtalent export ENGAGEMENT --record handover [--format md|csv|xlsx|html] [-o PATH]
    xtalent export ENGAGEMENT --record dispatch [--date YYYY-MM-DD|和暦] [--format md|csv|xlsx|html] [-o PATH]

Without --format the format is that of -o's extension (-o 引継ぎ.xlsx writes Excel); with no
such extension the checklist is the interchange JSON (a backup `import` reads back, what
`xtalent export` has always written) and the two records ask for a format.

Text formats go to stdout without -o; xlsx goes to a file named after the engagement in the
current folder.  -o may be a file or an existing folder (the file name is then derived from the
engagement and sanitised).  An existing file is never overwritten without --force.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..atomic import atomic_write_bytes
from ..permissions import export_mode
from ..errors import XtalentError
from ..i18n import t
from .context import Context

if TYPE_CHECKING:
    from ..models import Engagement, PeopleRegistry

# Kept here (not imported from xtalent.export) so building the parser stays cheap.
FORMATS = ("md", "csv", "xlsx", "html", "ics", "json")
TEXT_FORMATS = frozenset({"md", "csv", "html", "ics", "json"})
RECORDS = ("checklist", "handover", "dispatch")
HANDOVER_FORMATS = ("md", "csv", "xlsx", "html")
DISPATCH_FORMATS = HANDOVER_FORMATS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help=t("cli.export_help"), description=t("cli.export_help"))
    p.add_argument("engagement", nargs="?", metavar="ENGAGEMENT", help=t("cli.export_engagement"))
    p.add_argument("--all", action="store_true", help=t("cli.export_all"))
    p.add_argument("--format", choices=FORMATS, default=None, help=t("export.cli.format"))
    p.add_argument("-o", "--output", metavar="PATH", help=t("export.cli.output"))
    p.add_argument("--force", action="store_true", help=t("cli.export_force"))
    p.add_argument("--organisation", "--org", dest="organisation", metavar="NAME", help=t("cli.opt_org"))
    p.add_argument("--record", choices=RECORDS, default="checklist", help=t("handover.cli.record"))
    p.add_argument("--date", metavar="DATE", help=t("dispatch.date_help"))
    p.add_argument("--reminder-days", type=int, metavar="N", help=t("export.cli.reminder_days"))
    p.set_defaults(handler=cmd_export)


def _selected(args: argparse.Namespace, ctx: Context) -> tuple[list[Engagement], Engagement | None]:
    """The engagements to export, and the single one (None for --all) that names the file."""
    if args.engagement and args.all:
        raise XtalentError("export.error.both_targets")
    if args.engagement:
        one = ctx.store.find(args.engagement)
        return [one], one
    if not args.all and args.format != "json":
        raise XtalentError("export.error.need_target")
    # Without a target, json keeps exporting everything, as it always has.
    from .. import organisations
    from ..overview import rows

    engagements = list(organisations.only(ctx.store.engagements(), args.organisation))
    order = {r.id: n for n, r in enumerate(rows(engagements, ctx.today, ctx.lang))}
    return sorted(engagements, key=lambda e: order[e.id]), None


def chosen_format(fmt: str | None, output: str | None, record: str) -> str:
    """--format as given; else the extension of -o's file; else json (the checklist) or a refusal
    naming the choices (the handover record and the dispatch report, which have no JSON)."""
    if fmt:
        return fmt
    suffix = Path(output).suffix.lower().lstrip(".") if output and output != "-" else ""
    suffix = {"htm": "html", "markdown": "md", "ical": "ics"}.get(suffix, suffix)
    allowed = {"handover": HANDOVER_FORMATS, "dispatch": DISPATCH_FORMATS}.get(record, FORMATS)
    if suffix in allowed:
        return suffix
    if record in ("handover", "dispatch"):
        raise XtalentError(f"{record}.error.need_format", choices=", ".join(allowed))
    return "json"


def _settings(ctx: Context) -> Any:
    from ..settings import load_settings

    return load_settings(ctx.config_path)


def _people_of(ctx: Context, engagements: list[Engagement]) -> PeopleRegistry:
    """The employee records the engagements' receivers name (the interchange document carries
    them): one engagement's export reads its own few, not the whole registry."""
    from ..people import named_employees

    return ctx.store.people(only=named_employees(engagements))


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    from ..export import default_filename, export_checklist, export_dispatch, export_handover

    record = getattr(args, "record", "checklist")
    args.format = chosen_format(args.format, args.output, record)
    on = _dispatch_day(args, record)
    if record == "handover" and args.format not in HANDOVER_FORMATS:
        raise XtalentError("handover.error.format", fmt=args.format, choices=", ".join(HANDOVER_FORMATS))
    if record == "dispatch" and args.format not in DISPATCH_FORMATS:
        raise XtalentError("dispatch.error.format", fmt=args.format, choices=", ".join(DISPATCH_FORMATS))
    engagements, single = _selected(args, ctx)
    notices: list[str] = []
    if record == "handover":
        data = export_handover(engagements, args.format, ctx.today, ctx.lang)
    elif record == "dispatch":
        settings = _settings(ctx)
        if single is None:  # --all: the dispatched engagements' reports (the others have none)
            from ..dispatch import is_dispatched

            engagements = [e for e in engagements if is_dispatched(e, settings)]
        data = export_dispatch(engagements, args.format, ctx.today, ctx.lang, settings, on)
    else:
        settings = _settings(ctx) if args.format != "json" else None
        data = export_checklist(
            engagements,
            args.format,
            ctx.today,
            ctx.lang,
            settings,
            reminder_days=args.reminder_days,
            notices=notices,
            people=_people_of(ctx, engagements) if args.format == "json" else None,
        )
    for notice in notices:
        print(f"xtalent: {notice}", file=sys.stderr)
    target = resolve_output(
        args.output, default_filename(single, args.format, ctx.today, ctx.lang, record=record, on=on), text=args.format in TEXT_FORMATS
    )
    if target is None:
        out = sys.stdout.buffer
        if sys.stdout.isatty() and args.format in TEXT_FORMATS:
            data = for_terminal(data, args.format)
        out.write(data)
        out.flush()
        return 0
    write_output(target, data, force=args.force, team=ctx.store.team)
    print(t("cli.exported", path=str(target)), file=sys.stderr)
    return 0


def _dispatch_day(args: argparse.Namespace, record: str) -> Any:
    """--date: the dispatch whose 実施報告書 is asked (和暦 accepted); only with --record dispatch."""
    text = getattr(args, "date", None)
    if text is None:
        return None
    if record != "dispatch":
        raise XtalentError("dispatch.error.date_without_dispatch")
    from ..dates import DateParseError, parse_date

    try:
        return parse_date(text)
    except DateParseError as exc:
        raise XtalentError("dispatch.error.bad_date", text=text, reason=t(exc.reason)) from None


def resolve_output(output: str | None, derived_name: str, *, text: bool) -> Path | None:
    """Where to write: None for stdout; a folder gets the derived (already sanitised) name.

    A path ending in a slash names a folder: it must exist (an officer who typed a folder
    expects the file inside it, never a file named like the folder).  A file path is used as
    typed, with or without the format's extension.
    """
    if not output or output == "-":
        if text:
            return None
        return Path.cwd() / derived_name
    path = Path(output).expanduser()
    separators = tuple(s for s in (os.sep, os.altsep, "/") if s)
    wants_folder = output.endswith(separators)
    if wants_folder and not path.is_dir():
        key = "cli.export_not_a_folder" if path.exists() else "cli.export_no_such_folder"
        raise XtalentError(key, path=str(path) + os.sep)
    if path.is_dir():
        folder = path.resolve()
        target = folder / derived_name
        # The name was sanitised; this is the belt to those braces.
        if target.parent != folder:
            raise XtalentError("errors.cannot_write", path=str(target), detail="outside the folder")
        return target
    if not path.parent.is_dir():
        key = "cli.export_not_a_folder" if path.parent.exists() else "cli.export_no_parent_folder"
        raise XtalentError(key, path=str(path.parent) + os.sep, file=path.name)
    return path


def write_output(path: Path, data: bytes, *, force: bool, team: bool = False) -> None:
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise XtalentError("errors.cannot_write", path=str(path), detail=exc.strerror or type(exc).__name__) from None
    if mode is not None and not stat.S_ISREG(mode):
        # The write replaces the path with a new file: a device node (/dev/null, as root), a
        # pipe or a link would be replaced by it, and --force is no answer to that.
        raise XtalentError("errors.not_a_regular_file", path=str(path))
    if mode is not None and not force:
        raise XtalentError("errors.exists", path=str(path))
    try:
        atomic_write_bytes(path, data, mode=export_mode(team))
    except OSError as exc:
        raise XtalentError("errors.cannot_write", path=str(path), detail=exc.strerror or type(exc).__name__) from None


def for_terminal(data: bytes, fmt: str) -> bytes:
    """An export shown on a terminal rather than written to a file: the same document, but no
    escape sequence from the data reaches the terminal (a file or a pipe gets it as typed)."""
    from ..usertext import json_text, shown

    text = data.decode("utf-8-sig" if fmt == "csv" else "utf-8", errors="replace")
    safe = json_text(text) if fmt == "json" else shown(text, multiline=True)
    return safe.encode("utf-8")

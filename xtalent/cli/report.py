"""report: the 年度実績報告 (fiscal-year results report) across all engagements of a 年度.

    xtalent report --fy 2026|令和8年度 [--format md|xlsx] [-o PATH] [--force]

Without --format the extension of -o's file decides (-o 実績報告.xlsx writes Excel), as export's
does; with none, Markdown.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import XtalentError
from ..i18n import t
from .context import Context


FORMATS = ("md", "xlsx")


def chosen_format(fmt: str | None, output: str | None) -> str:
    """--format as given; else the extension of -o's file (md, markdown, xlsx); else Markdown.
    Another extension is refused naming the choices: Markdown in a file named .xlsx or .html
    opens as garbage, or not at all."""
    if fmt:
        return fmt
    if not output or output == "-" or Path(output).expanduser().is_dir():
        return "md"
    suffix = Path(output).suffix.lower().lstrip(".")
    suffix = {"markdown": "md"}.get(suffix, suffix)
    if suffix in FORMATS or not suffix:
        return suffix or "md"
    raise XtalentError("report.error.format", fmt=suffix, choices=", ".join(FORMATS))


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help=t("report.help"), description=t("report.help"))
    p.add_argument("--fy", required=True, metavar="YEAR", help=t("report.fy_help"))
    p.add_argument("--format", choices=FORMATS, help=t("report.format_help"))
    p.add_argument("-o", "--output", metavar="PATH", help=t("export.cli.output"))
    p.add_argument("--force", action="store_true", help=t("cli.export_force"))
    p.add_argument("--organisation", "--org", dest="organisation", metavar="NAME", help=t("cli.opt_org"))
    p.set_defaults(handler=cmd_report)


def cmd_report(args: argparse.Namespace, ctx: Context) -> int:
    from ..dates import DateParseError, parse_fiscal_year
    from ..export.filenames import sanitize_filename
    from ..report import build_report
    from ..settings import load_settings
    from .export import resolve_output, write_output

    try:
        year = parse_fiscal_year(args.fy)
    except DateParseError as exc:
        raise XtalentError(exc.reason) from None
    args.format = chosen_format(args.format, args.output)
    report = build_report(ctx.store.engagements(), year, ctx.today, ctx.lang, load_settings(ctx.config_path),
                          organisation=args.organisation)
    if args.format == "xlsx":
        from ..export.report_xlsx import render
    else:
        from ..export.report_md import render
    data = render(report)
    name = sanitize_filename(f"{t('report.filename_stem', ctx.lang)}_FY{year}.{args.format}")
    target = resolve_output(args.output, name, text=args.format == "md")
    if target is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    write_output(target, data, force=args.force, team=ctx.store.team)
    print(t("cli.exported", path=str(target)), file=sys.stderr)
    return 0

"""report: the 年度実績報告 (fiscal-year results report) across all engagements of a 年度.

    xtalent report --fy 2026|令和8年度 [--format md|xlsx] [-o PATH] [--force]
"""

from __future__ import annotations

import argparse
import sys

from ..errors import XtalentError
from ..i18n import t
from .context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help=t("report.help"), description=t("report.help"))
    p.add_argument("--fy", required=True, metavar="YEAR", help=t("report.fy_help"))
    p.add_argument("--format", choices=("md", "xlsx"), default="md", help=t("report.format_help"))
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

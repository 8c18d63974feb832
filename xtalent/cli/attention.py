"""attention: every open warning and every overdue / due-soon item across all engagements,
most serious first — the DX lead's list for the week — as a table, JSON, CSV or xlsx."""

from __future__ import annotations

import argparse
import json
import sys

from ..i18n import t
from ..textwidth import render_table
from ..usertext import json_text, shown
from .context import Context

FORMATS = ("text", "json", "csv", "xlsx")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("attention", help=t("attention.help"), description=t("attention.help"))
    p.add_argument("--organisation", "--org", dest="organisation", metavar="NAME", help=t("attention.opt_organisation"))
    p.add_argument("--department", metavar="NAME", help=t("attention.opt_department"))
    p.add_argument("--fy", metavar="年度", help=t("attention.opt_fy"))
    p.add_argument("--role", metavar="ROLE", help=t("attention.opt_role"))
    p.add_argument("--rule", metavar="CODE", help=t("attention.opt_rule"))
    p.add_argument("--within", type=int, default=30, metavar="DAYS", help=t("attention.opt_within"))
    p.add_argument("--format", choices=FORMATS, default="text", help=t("attention.opt_format"))
    p.add_argument("-o", "--output", metavar="PATH", help=t("attention.opt_output"))
    p.add_argument("--force", action="store_true", help=t("cli.export_force"))
    p.set_defaults(handler=cmd_attention)


def fy_label(value: str | None, lang: str) -> str | None:
    """2026, R8, 令和8年度 or FY2026: the 年度 as the rows show it."""
    if not value:
        return None
    from datetime import date

    from ..dates import DateParseError, format_fiscal_year, parse_fiscal_year

    try:
        year = parse_fiscal_year(value)
    except DateParseError:
        return value  # compared as typed: an unknown 年度 simply matches nothing
    return format_fiscal_year(date(year, 4, 1), lang)


def cmd_attention(args: argparse.Namespace, ctx: Context) -> int:
    from ..settings import load_settings
    from ..views.attention import attention_rows, filtered

    rows = attention_rows(ctx.store.engagements(), ctx.today, load_settings(ctx.config_path), ctx.lang,
                          due_within=args.within)
    # --rule takes a rule's code (as `check --format json` shows it) or its name (as listed).
    rule = next((r.rule for r in rows if r.code == args.rule), args.rule)
    rows = filtered(rows, organisation=args.organisation, department=args.department,
                    fiscal_year=fy_label(args.fy, ctx.lang), role=args.role, rule=rule)
    if args.format == "json":
        print(json_text(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2)))
        return 0
    if args.format in ("csv", "xlsx"):
        from ..export.attention import render_csv, render_xlsx
        from .export import resolve_output, write_output

        data = render_csv(rows, ctx.lang) if args.format == "csv" else render_xlsx(rows, ctx.lang, ctx.today)
        name = f"{t('attention.file', ctx.lang)}-{ctx.today.isoformat()}.{args.format}"
        target = resolve_output(args.output, name, text=args.format == "csv")
        if target is None:
            sys.stdout.buffer.write(data)
            return 0
        write_output(target, data, force=args.force, team=ctx.store.team)
        print(t("cli.exported", path=str(target)), file=sys.stderr)
        return 0
    if not rows:
        print(t("attention.none"))
        return 0
    headers = [t(f"attention.col.{c}") for c in ("severity", "when", "person", "organisation", "rule", "subject", "message")]
    body = [[t(f"pitfall.severity.{r.severity}"), r.when.isoformat() if r.when else "", r.person, r.organisation,
             r.rule, r.subject, r.message] for r in rows]
    print(render_table(headers, body, max_width=48))
    print(shown(t("attention.count", n=len(rows))))
    return 0

"""import, list, schema: moving engagements in and looking at them."""

from __future__ import annotations

import argparse
import json
import sys

from ..i18n import t
from ..overview import rows
from ..textwidth import render_table
from ..usertext import json_text
from .context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help=t("cli.import_help"), description=t("cli.import_help"))
    p.add_argument("file", metavar="FILE")
    p.add_argument("--replace", action="store_true", help=t("cli.import_replace"))
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("list", help=t("cli.list_help"), description=t("cli.list_help"))
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("schema", help=t("cli.schema_help"), description=t("cli.schema_help"))
    p.set_defaults(handler=cmd_schema)


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    from ..interchange import load_document  # the validators load for the commands that need them

    document = load_document(args.file)  # validates every engagement before anything is written
    result = ctx.store.import_document(document, replace=args.replace)
    print(t("cli.imported", added=len(result.added), replaced=len(result.replaced), db=str(ctx.db_path)))
    _prepare_rows(ctx)
    return 0


def _prepare_rows(ctx: Context) -> None:
    """The dashboard's rows for today, computed now while the user waits for the import anyway,
    so the first launch after it paints from them (views/rowcache.py)."""
    from ..errors import XtalentError
    from ..settingsfile import SettingsFile
    from ..views import rowcache

    try:
        rowcache.current_rows(ctx.store, ctx.today, ctx.lang, SettingsFile.read(ctx.config_path))
    except XtalentError:
        pass  # a settings file that cannot be used is reported where it is used, as before


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    table = rows(ctx.store.scan(), ctx.today, ctx.lang)  # one engagement in memory at a time
    if args.format == "json":
        data = [
            {
                "id": r.id,
                "person": r.person,
                "role": r.role,
                "organisation": r.organisation,
                "term_end": r.term_end.isoformat(),
                "days_left": r.days_left,
                "items_transferred": r.items_transferred,
                "items_total": r.items_total,
            }
            for r in table
        ]
        print(json_text(json.dumps(data, ensure_ascii=False, indent=2)))
        return 0
    if not table:
        print(t("cli.no_engagements", db=str(ctx.db_path)))
        return 0
    headers = [t(f"cli.col_{c}") for c in ("id", "person", "role", "organisation", "term_end", "days_left", "transferred")]
    body = [
        [r.id, r.person, r.role, r.organisation, f"{r.term_end.isoformat()} ({r.fiscal_year})", _days(r.days_left), r.transfer_text]
        for r in table
    ]
    print(render_table(headers, body, aligns="<<<<<>>"))
    return 0


def _days(days_left: int) -> str:
    return t("cli.days_left", n=days_left) if days_left >= 0 else t("cli.days_ago", n=-days_left)


def cmd_schema(args: argparse.Namespace, ctx: Context) -> int:
    from ..interchange import json_schema

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return 0

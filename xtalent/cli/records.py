"""import, list, schema: moving engagements in and looking at them."""

from __future__ import annotations

import argparse
import json
import sys

from ..i18n import t
from ..overview import rows
from ..textwidth import cell_width, column_width, render_table, truncate
from ..usertext import json_text
from ..views.text import countdown
from .context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help=t("cli.import_help"), description=t("cli.import_help"))
    p.add_argument("file", metavar="FILE")
    p.add_argument("--replace", action="store_true", help=t("cli.import_replace"))
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("list", help=t("cli.list_help"), description=t("cli.list_help"))
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--organisation", "--org", dest="organisation", metavar="NAME", help=t("cli.opt_org"))
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("schema", help=t("cli.schema_help"), description=t("cli.schema_help"))
    p.set_defaults(handler=cmd_schema)


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    from ..interchange import load_batch  # the validators load for the commands that need them

    batch = load_batch(args.file)  # checks every engagement before anything is written
    result = ctx.store.import_document(batch, replace=args.replace)
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
    from .. import organisations

    # One engagement in memory at a time.
    table = rows(organisations.only(ctx.store.scan(), args.organisation), ctx.today, ctx.lang)
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
    from .check import terminal_width

    headers = [t(f"cli.col_{c}") for c in ("id", "person", "role", "organisation", "term_end", "days_left", "transferred")]
    body = [
        [r.id, r.person, r.role, r.organisation, f"{r.term_end.isoformat()} ({r.fiscal_year})",
         countdown(r.term_start, r.term_end, ctx.today, ctx.lang), r.transfer_text]
        for r in table
    ]
    headers, body = fit_list(headers, body, terminal_width())
    print(render_table(headers, body, aligns="<" * (len(headers) - 2) + ">>"))
    return 0


# The ID stays whole (other commands take it) and so do the date and the numbers; names, roles
# and departments give way, then the 年度 beside the date, then the department altogether, then
# the role.
PERSON, ROLE, ORGANISATION, TERM_END = 1, 2, 3, 4
SHRINK_TO = {PERSON: 8, ROLE: 8, ORGANISATION: 8}


def _table_width(headers: list[str], body: list[list[str]], widths: dict[int, int] | None = None) -> int:
    natural = [column_width(headers[c], (row[c] for row in body)) for c in range(len(headers))]
    if widths:
        natural = [min(w, widths.get(c, w)) for c, w in enumerate(natural)]
    return sum(natural) + 2 * (len(headers) - 1)


def fit_list(headers: list[str], body: list[list[str]], width: int) -> tuple[list[str], list[list[str]]]:
    """The list's columns cut to `width` cells where they can be; what cannot fit even then is
    left whole (a wide table beats IDs nobody can type)."""
    if _table_width(headers, body) <= width:
        return headers, body
    excess = _table_width(headers, body) - width
    widths = _shrunk(headers, body, excess)
    if _table_width(headers, body, widths) > width:
        body = [[*row[:TERM_END], row[TERM_END].split(" ")[0], *row[TERM_END + 1:]] for row in body]
        widths = _shrunk(headers, body, _table_width(headers, body) - width)
    if _table_width(headers, body, widths) > width:
        headers = headers[:ORGANISATION] + headers[ORGANISATION + 1:]
        body = [row[:ORGANISATION] + row[ORGANISATION + 1:] for row in body]
        widths = _shrunk(headers, body, _table_width(headers, body) - width, columns=(PERSON, ROLE))
    if _table_width(headers, body, widths) > width:  # English countdowns are long: the role goes too
        headers = headers[:ROLE] + headers[ROLE + 1:]
        body = [row[:ROLE] + row[ROLE + 1:] for row in body]
        widths = _shrunk(headers, body, _table_width(headers, body) - width, columns=(PERSON,))
    return headers, [[truncate(cell, widths.get(c, cell_width(cell))) for c, cell in enumerate(row)] for row in body]


def _shrunk(headers: list[str], body: list[list[str]], excess: int, columns: tuple[int, ...] = (PERSON, ROLE, ORGANISATION)) -> dict[int, int]:
    """Widths of the shrinkable columns taking `excess` cells off, the widest first."""
    widths = {c: column_width(headers[c], (row[c] for row in body)) for c in columns}
    while excess > 0:
        candidates = [c for c in columns if widths[c] > max(SHRINK_TO[c], cell_width(headers[c]))]
        if not candidates:
            break
        widest = max(candidates, key=lambda c: widths[c])
        widths[widest] -= 1
        excess -= 1
    return widths


def cmd_schema(args: argparse.Namespace, ctx: Context) -> int:
    from ..interchange import json_schema

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return 0

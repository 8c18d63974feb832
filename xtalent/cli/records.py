"""import, list, schema: moving engagements in and looking at them."""

from __future__ import annotations

import argparse
import json
import sys

from ..errors import XtalentError
from ..i18n import t
from ..overview import ordered
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
    # While the user waits for the import anyway: the rows the first launch paints, the
    # attention view's rows and the staff screen's receptions with their first screenfuls
    # (views/rowcache.py keep_beside, as the dashboard after a new day's rows), so none of them
    # reads every engagement then.
    try:
        if _dashboard_rows(ctx) is not None:
            from ..settingsfile import SettingsFile
            from ..views import rowcache

            settings = SettingsFile.read(ctx.config_path)
            rowcache.keep_beside(ctx.store, rowcache.Beside(ctx.today, ctx.lang, settings))
    except XtalentError:
        pass  # a damaged file elsewhere, or unusable settings: reported where they are read, as before
    return 0


def _dashboard_rows(ctx: Context) -> list | None:  # of DashboardRow (not imported for a note)
    """The dashboard's rows for today as the TUI keeps them (views/rowcache.py): the cached ones
    still true, the others computed from their files, the cache rewritten.  None when the
    settings file cannot be used: that is reported where the settings are used."""
    from ..settingsfile import SettingsFile
    from ..views import rowcache

    try:
        return rowcache.current_rows(ctx.store, ctx.today, ctx.lang, SettingsFile.read(ctx.config_path))
    except XtalentError as exc:
        if exc.key.startswith("settings."):
            return None
        raise


def _list_rows(ctx: Context) -> list:  # of EngagementRow (DashboardRow is one)
    """The list's rows: the dashboard's rows where the row cache holds them for these files, this
    day, language, settings and code version (views/rowcache.py), so a database the TUI or
    `import` saw today lists without reading an engagement; the others made from their files
    the cheap way (no rules: the list shows no warnings), one engagement in memory at a time.
    The cache is only read here: computing the dashboard's rows costs the rules, and a `list`
    that paid for them was 3.7x the floor on the first run of a day instead of ~2x."""
    from ..overview import rows
    from ..settingsfile import SettingsFile
    from ..views import rowcache

    if ctx.store.journal_dir.exists():  # a change a crashed writer left: reading finishes it first
        return rows(ctx.store.scan(), ctx.today, ctx.lang)
    fingerprint = ctx.store.fingerprint()
    try:
        settings = SettingsFile.read(ctx.config_path)
    except XtalentError:  # a settings file that cannot be read: no cached rows can be for it
        return rows(ctx.store.scan(), ctx.today, ctx.lang)
    cached = rowcache.load_matching(ctx.store.root, fingerprint, ctx.today, ctx.lang, settings)
    if len(cached) == len(fingerprint):
        return list(cached.values())
    missing = [eid for eid, _, _ in fingerprint if eid not in cached]
    return [*cached.values(), *rows(ctx.store.scan(missing), ctx.today, ctx.lang)]


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    known: list[str] = []  # the organisations registered, when --org matched none of them
    if args.organisation is None:
        table = ordered(_list_rows(ctx))
    else:  # one organisation's: its files read (the cached rows do not name the organisation alone)
        from .. import organisations
        from ..overview import rows

        every = list(ctx.store.scan())
        table = ordered(rows(organisations.only(every, args.organisation), ctx.today, ctx.lang))
        known = [o.name for o in organisations.registry(e.organisation for e in every)]
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
    if not table and known:
        print(t("cli.no_engagements_org", org=args.organisation, known=t("export.list_sep").join(known)))
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


def _natural(headers: list[str], body: list[list[str]], column: int) -> int:
    return column_width(headers[column], (row[column] for row in body))


def _table_width(natural: list[int], widths: dict[int, int] | None = None) -> int:
    if widths:
        natural = [min(w, widths.get(c, w)) for c, w in enumerate(natural)]
    return sum(natural) + 2 * (len(natural) - 1)


def fit_list(headers: list[str], body: list[list[str]], width: int) -> tuple[list[str], list[list[str]]]:
    """The list's columns cut to `width` cells where they can be; what cannot fit even then is
    left whole (a wide table beats IDs nobody can type)."""
    # Each column is measured once (a thousand Japanese names take a while): a step that drops
    # a column drops its width, the one that shortens the term end measures that column again.
    natural = [_natural(headers, body, c) for c in range(len(headers))]
    if _table_width(natural) <= width:
        return headers, body
    widths = _shrunk(headers, natural, _table_width(natural) - width)
    if _table_width(natural, widths) > width:
        body = [[*row[:TERM_END], row[TERM_END].split(" ")[0], *row[TERM_END + 1:]] for row in body]
        natural[TERM_END] = _natural(headers, body, TERM_END)
        widths = _shrunk(headers, natural, _table_width(natural) - width)
    if _table_width(natural, widths) > width:
        headers = headers[:ORGANISATION] + headers[ORGANISATION + 1:]
        body = [row[:ORGANISATION] + row[ORGANISATION + 1:] for row in body]
        del natural[ORGANISATION]
        widths = _shrunk(headers, natural, _table_width(natural) - width, columns=(PERSON, ROLE))
    if _table_width(natural, widths) > width:  # English countdowns are long: the role goes too
        headers = headers[:ROLE] + headers[ROLE + 1:]
        body = [row[:ROLE] + row[ROLE + 1:] for row in body]
        del natural[ROLE]
        widths = _shrunk(headers, natural, _table_width(natural) - width, columns=(PERSON,))
    # Only the shrunk columns are cut: every other cell fits its column as it is.
    return headers, [[truncate(cell, widths[c]) if c in widths else cell for c, cell in enumerate(row)] for row in body]


def _shrunk(headers: list[str], natural: list[int], excess: int, columns: tuple[int, ...] = (PERSON, ROLE, ORGANISATION)) -> dict[int, int]:
    """Widths of the shrinkable columns taking `excess` cells off, the widest first."""
    widths = {c: natural[c] for c in columns}
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

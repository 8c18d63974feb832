"""history: the change log on the command line — who changed what and when, newest first."""

from __future__ import annotations

import argparse
import json

from ..i18n import t
from ..textwidth import render_table
from ..usertext import json_text
from .context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("history", help=t("history.help"), description=t("history.help"))
    p.add_argument("engagement", nargs="?", metavar="ENGAGEMENT", help=t("history.opt_engagement"))
    p.add_argument("--who", metavar="NAME", help=t("history.opt_who"))
    p.add_argument("--limit", type=int, default=50, metavar="N", help=t("history.opt_limit"))
    p.add_argument("--format", choices=("text", "json"), default="text", help=t("history.opt_format"))
    p.set_defaults(handler=cmd_history)


def cmd_history(args: argparse.Namespace, ctx: Context) -> int:
    from ..views.history import history_rows

    engagement_id = ctx.store.find(args.engagement).id if args.engagement else None
    changes = [c for c in ctx.store.changelog.newest(engagement_id, limit=10**9 if args.who else args.limit)
               if not args.who or c.who == args.who][: args.limit]
    if args.format == "json":
        print(json_text(json.dumps([c.to_json() for c in changes], ensure_ascii=False, indent=2)))
        return 0
    if not changes:
        print(t("form.history.empty"))
        return 0
    rows = history_rows(changes)
    headers = [t(f"form.history.col_{c}") for c in ("when", "who", "subject", "what", "fields")]
    print(render_table(headers, [[r.when, r.who, r.subject, r.what, r.fields] for r in rows], max_width=60))
    return 0

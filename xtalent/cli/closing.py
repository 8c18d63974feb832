"""close / reopen: closing an engagement from the command line, as the TUI's c does.

    xtalent close ENGAGEMENT --by "人事課 田中" [--on DATE] [--note TEXT]
                  [--plan "ITEM=WHO|HOW|UNTIL" ...]     (one per item still below 自立)
    xtalent reopen ENGAGEMENT

Both go through the edit session: revision-checked, recorded in the change log.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING

from ..dates import DateParseError, parse_date
from ..errors import XtalentError
from ..i18n import t
from .context import Context

if TYPE_CHECKING:  # annotations only: the models load when a command needs them
    from ..models import SupportPlan


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("close", help=t("closing.help"), description=t("closing.help"))
    p.add_argument("engagement", metavar="ENGAGEMENT", help=t("closing.opt_engagement"))
    p.add_argument("--by", required=True, metavar="NAME", help=t("closing.opt_by"))
    p.add_argument("--on", dest="closed_on", metavar="DATE", help=t("closing.opt_on"))
    p.add_argument("--note", default="", metavar="TEXT", help=t("closing.opt_note"))
    p.add_argument("--plan", action="append", default=[], metavar="ITEM=WHO|HOW|UNTIL", help=t("closing.opt_plan"))
    p.set_defaults(handler=cmd_close)
    p = sub.add_parser("reopen", help=t("closing.reopen_help"), description=t("closing.reopen_help"))
    p.add_argument("engagement", metavar="ENGAGEMENT", help=t("closing.opt_engagement"))
    p.set_defaults(handler=cmd_reopen)


def _date(text: str, where: str, today: date) -> date:
    try:
        return parse_date(text, today)
    except DateParseError as exc:
        raise XtalentError("closing.bad_date", where=where, reason=t(exc.reason)) from None


def parse_plan(text: str, items: dict[str, str], today: date) -> SupportPlan:
    """"kh-1=佐藤|月1回の確認会|2027-09-30" (the item by id or its exact title) → a SupportPlan."""
    from ..models import SupportPlan

    item, _, rest = text.partition("=")
    parts = rest.split("|")
    if not item or len(parts) != 3:
        raise XtalentError("closing.bad_plan", plan=text)
    item_id = item if item in items else next((i for i, title in items.items() if title == item), None)
    if item_id is None:
        raise XtalentError("closing.no_such_item", item=item)
    who, how, until = (p.strip() for p in parts)
    return SupportPlan(item_id=item_id, who=who, how=how, until=_date(until, text, today))


def cmd_close(args: argparse.Namespace, ctx: Context) -> int:
    from .. import lifecycle
    from ..editing import EditSession

    engagement = ctx.store.find(args.engagement)
    items = {i.id: i.title for i in engagement.items}
    plans = [parse_plan(text, items, ctx.today) for text in args.plan]
    on = _date(args.closed_on, "--on", ctx.today) if args.closed_on else ctx.today
    session = EditSession(ctx.store)
    saved = session.apply(engagement.id, lambda e: lifecycle.close(e, on, args.by, plans, args.note), "edit.close",
                          base=engagement, name=engagement.person.name)
    print(t("closing.closed", name=saved.person.name, outcome=t(f"outcome.{saved.closure.outcome.value}")
            if saved.closure else ""))
    return 0


def cmd_reopen(args: argparse.Namespace, ctx: Context) -> int:
    from .. import lifecycle
    from ..editing import EditSession

    engagement = ctx.store.find(args.engagement)
    EditSession(ctx.store).apply(engagement.id, lifecycle.reopen, "edit.reopen", base=engagement,
                                 name=engagement.person.name)
    print(t("edit.reopen", name=engagement.person.name))
    return 0

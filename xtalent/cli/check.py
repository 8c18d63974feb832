"""check: the pitfall engine on the command line, for people (a table) and for scripts (JSON).

Exit codes, as scripts rely on them: 0 nothing at or above --fail-on, 1 something is, 2 bad
input (unreadable --today, settings file or database, unknown engagement).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from typing import TYPE_CHECKING

from ..dates import DateParseError, parse_date
from ..errors import XtalentError
from ..i18n import t
from ..labels import label
from ..textwidth import render_table, truncate
from .context import Context

if TYPE_CHECKING:
    from ..models import Engagement
    from ..pitfalls import Finding

# Every command's parser is built on each run: the engine is imported only when check runs.
SEVERITIES = ("info", "warning", "critical")
SUBJECT_WIDTH = 24
# Messages carry the facts; cutting them would drop the numbers the user needs.
MESSAGE_WIDTH = 1000


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help=t("check.help"), description=t("check.help"))
    p.add_argument("engagement", nargs="?", metavar="ENGAGEMENT", help=t("check.opt_engagement"))
    p.add_argument("--format", choices=("text", "json"), default="text", help=t("check.opt_format"))
    # The global --today also works; this one lets it follow the subcommand, as users type it.
    p.add_argument("--today", dest="check_today", metavar="YYYY-MM-DD", help=t("check.opt_today"))
    p.add_argument(
        "--fail-on", choices=SEVERITIES, default="critical", help=t("check.opt_fail_on")
    )
    p.set_defaults(handler=cmd_check)


def _today(args: argparse.Namespace, ctx: Context) -> date:
    if not args.check_today:
        return ctx.today
    try:
        return parse_date(args.check_today)
    except DateParseError as exc:
        raise XtalentError("cli.bad_today", reason=t(exc.reason)) from None


def cmd_check(args: argparse.Namespace, ctx: Context) -> int:
    from ..pitfalls import Severity, evaluate_all, worst
    from ..settings import load_settings

    today = _today(args, ctx)
    settings = load_settings(ctx.config_path)
    engagements = [ctx.store.find(args.engagement)] if args.engagement else ctx.store.engagements()
    results = evaluate_all(engagements, today, settings, ctx.lang)
    # Worst first, then the nearest term end: the order in which someone should act.
    ordered = sorted(
        engagements,
        key=lambda e: (-(s.rank if (s := worst(results[e.id])) else -1), abs(e.days_left(today)), e.id),
    )
    if args.format == "json":
        data = [f.to_dict() for e in ordered for f in results[e.id]]
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(render_text(ordered, results, today, ctx.lang))
    threshold = Severity(args.fail_on)
    failed = any(f.severity >= threshold for findings in results.values() for f in findings)
    return 1 if failed else 0


def render_text(engagements: list[Engagement], results: dict[str, list[Finding]], today: date, lang: str) -> str:
    from ..pitfalls import Severity, count_by_severity

    blocks = []
    for engagement in engagements:
        findings = results[engagement.id]
        blocks.append(_header(engagement, today, lang))
        blocks.append(_table(engagement, findings, lang) if findings else "  " + t("check.none", lang))
        blocks.append("")
    counts = count_by_severity(f for findings in results.values() for f in findings)
    blocks.append(
        t(
            "check.summary", lang, engagements=len(engagements), today=today.isoformat(),
            critical=counts[Severity.CRITICAL], warning=counts[Severity.WARNING], info=counts[Severity.INFO],
        )
    )
    return "\n".join(blocks)


def _header(engagement: Engagement, today: date, lang: str) -> str:
    from ..metrics import bunshin, readiness

    days = engagement.days_left(today)
    end = engagement.term_end.isoformat()
    term = (
        t("pitfall.common.term_left", lang, days=days, date=end)
        if days >= 0
        else t("pitfall.common.term_over", lang, days=-days, date=end)
    )
    return t(
        "check.engagement", lang, id=engagement.id, person=engagement.person.name, role=label(engagement.role, lang),
        readiness=readiness(engagement, today, lang).value, bunshin=bunshin(engagement).total, term=term,
    )


def _subject(engagement: Engagement, subject_id: str | None) -> str:
    if subject_id is None:
        return "-"
    record = engagement.find(subject_id)
    name = getattr(record, "title", None) or getattr(record, "name", None) or subject_id
    return truncate(name, SUBJECT_WIDTH)


def _table(engagement: Engagement, findings: list[Finding], lang: str) -> str:
    headers = [t(f"check.col_{c}", lang) for c in ("severity", "code", "subject", "message")]
    rows: list[list[str]] = []
    for finding in findings:
        message, action = finding.text(lang)
        rows.append([finding.severity.label(lang), finding.code, _subject(engagement, finding.subject_id), message])
        rows.append(["", "", "", t("check.action", lang, action=action)])
    return render_table(headers, rows, max_width=MESSAGE_WIDTH)

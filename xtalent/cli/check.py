"""check: the pitfall engine on the command line, for people (a table) and for scripts (JSON).

Exit codes, as scripts rely on them: 0 nothing at or above --fail-on, 1 something is, 2 bad
input (unreadable --today, settings file or database, unknown engagement).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any, Iterator

from ..i18n import t
from ..labels import label
from ..textwidth import cell_width, column_width, pad, truncate
from ..usertext import json_text, shown
from ..views.text import wrap  # kinsoku: no line starts with 。、）, dates stay whole
from .context import Context

if TYPE_CHECKING:
    from ..models import Engagement
    from ..pitfalls import Finding

# Every command's parser is built on each run: the engine is imported only when check runs.
SEVERITIES = ("info", "warning", "critical")
SUBJECT_WIDTH = 24
# Messages carry the facts: they are wrapped to the terminal, never cut.


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help=t("check.help"), description=t("check.help"))
    p.add_argument("engagement", nargs="?", metavar="ENGAGEMENT", help=t("check.opt_engagement"))
    p.add_argument("--format", choices=("text", "json"), default="text", help=t("check.opt_format"))
    p.add_argument("--organisation", "--org", dest="organisation", metavar="NAME", help=t("cli.opt_org"))
    # The global --today, allowed after the subcommand too, as users type it: the same option,
    # parsed once with it by Context (SUPPRESS: not given here, the global value stands).
    p.add_argument("--today", dest="today", default=argparse.SUPPRESS, metavar="YYYY-MM-DD", help=t("check.opt_today"))
    p.add_argument(
        "--fail-on", choices=SEVERITIES, default="critical", help=t("check.opt_fail_on")
    )
    p.set_defaults(handler=cmd_check)


def cmd_check(args: argparse.Namespace, ctx: Context) -> int:
    with collector_paused():
        if args.format == "json":
            return _check_json(args, ctx)
        return _check_text(args, ctx)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off meanwhile (as in views/rowhelper's helper): an engagement
    holds no reference cycle, so each is freed by its last reference, and the collector's passes
    over the objects each file allocates were a fifth of the check's work a file."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _check_text(args: argparse.Namespace, ctx: Context) -> int:
    from ..pitfalls import Severity, evaluate
    from ..settings import load_settings

    today = ctx.today
    settings = load_settings(ctx.config_path)
    named = bool(args.engagement)
    # One engagement at a time, dropped once checked: memory stays that of one engagement and
    # the collector never has a thousand of them to walk (see docs/performance.md).
    from .. import organisations

    engagements = [ctx.store.find(args.engagement)] if named else organisations.only(ctx.store.scan(), args.organisation)
    width = terminal_width()
    threshold = Severity(args.fail_on)
    failed = False
    checked: list[tuple[tuple[int, int, str], list[Finding], str]] = []
    closed = 0
    for engagement in engagements:
        # A closed engagement is a record, not an alarm: named, it says so; otherwise it is counted.
        if not named and engagement.closure is not None:
            closed += 1
            continue
        findings = evaluate(engagement, today, settings, ctx.lang)
        failed = failed or any(f.severity >= threshold for f in findings)
        checked.append((order_key(engagement, findings, today), findings,
                        engagement_block(engagement, findings, today, ctx.lang, width)))
    # Worst first, then the nearest term end: the order in which someone should act.
    checked.sort(key=lambda c: c[0])
    every = [f for _, findings, _ in checked for f in findings]
    text = "\n".join([*(block for _, _, block in checked),
                      *_wrapped_header(summary(len(checked), every, today, ctx.lang, closed), width)])
    print(shown(text, multiline=True))
    return 1 if failed else 0


def _check_json(args: argparse.Namespace, ctx: Context) -> int:
    """The findings as one JSON list, worst engagement first.  Every engagement's part is kept
    by its file (views/rowcache.current_check): a database checked before reads only the
    engagements changed since, and neither pydantic nor the rules are loaded when none did."""
    from .. import organisations
    from ..settingsfile import user_settings

    settings = user_settings(ctx.config_path, ctx.store.root)  # a bad file: refused, as always

    def compute(engagement: Engagement) -> list[Any]:
        return checked_entry(engagement, ctx.today, settings, ctx.lang)

    if args.engagement:  # one file: nothing to keep
        entries = [compute(ctx.store.find(args.engagement))]
    elif ctx.store.journal_dir.exists():  # a change a crashed writer left: reading finishes it first
        entries = [compute(e) for e in ctx.store.scan()]
    else:
        from ..views import rowcache

        entries = rowcache.current_check(ctx.store, ctx.today, ctx.lang, settings, checked_entry)
    wanted = None if args.engagement else args.organisation
    # A closed engagement is a record, not an alarm: it has no findings, named or not.
    chosen = [entry for entry in entries if not entry[1] and organisations.matches(entry[2], wanted)]
    threshold = SEVERITIES.index(args.fail_on)  # a severity's rank (pitfalls.Severity.rank)
    failed = any(-worst_first >= threshold for _, _, _, worst_first, _, _ in chosen)
    chosen.sort(key=lambda entry: (entry[3], entry[4], entry[0]))  # order_key, as the text lists them
    items = [entry[5] for entry in chosen if entry[5]]
    if not items:
        print("[]")
    else:
        write = sys.stdout.write
        write("[\n")
        for n, chunk in enumerate(items):
            write(",\n" + chunk if n else chunk)
        write("\n]\n")
    return 1 if failed else 0


def checked_entry(engagement: Engagement, today: date, settings: Any, lang: str) -> list[Any]:
    """What `check --format json` needs of one engagement, as JSON data (kept by
    views/rowcache.current_check): [id, closed, organisation, the first two parts of its
    order_key (minus the rank of its worst finding, days between today and the term's end),
    its findings as JSON list items]."""
    from ..pitfalls import evaluate

    closed = engagement.closure is not None
    findings = [] if closed else evaluate(engagement, today, settings, lang)
    worst_first, days, _ = order_key(engagement, findings, today)
    return [engagement.id, closed, engagement.organisation, worst_first, days, json_items(findings, lang)]


def json_items(findings: list[Finding], lang: str) -> str:
    """The findings as items of the JSON list `check --format json` prints (see list_items)."""
    return list_items([f.to_dict(lang) for f in findings]) if findings else ""


def list_items(data: list[Any]) -> str:
    """`data` as the items of an indented JSON list (indented by two, comma-separated, no
    brackets), every invisible character escaped (usertext.json_text).

    What json.dumps(ensure_ascii=False, indent=2) writes for them, by pydantic-core's encoder
    (json's indenting encoder is pure Python: a tenth of the command at a thousand engagements):
    byte for byte, but for how a float is spelled (1e-05 is 0.00001: the same number).
    """
    from pydantic_core import PydanticSerializationError, to_json

    if not data:
        return ""
    try:
        text = to_json(data, indent=2).decode("utf-8")
    except (PydanticSerializationError, ValueError):  # what its encoder refuses (a lone surrogate)
        text = json.dumps(data, ensure_ascii=False, indent=2)
    return json_text(text[2:-2])  # "[\n" … "\n]" off


def order_key(engagement: Engagement, findings: list[Finding], today: date) -> tuple[int, int, str]:
    from ..pitfalls import worst

    severity = worst(findings)
    return (-(severity.rank if severity else -1), abs(engagement.days_left(today)), engagement.id)


def engagement_block(engagement: Engagement, findings: list[Finding], today: date, lang: str, width: int) -> str:
    """One engagement's header and findings (or, closed, how it was closed), then a blank line."""
    lines = _wrapped_header(_header(engagement, today, lang), width)
    if engagement.closure is not None:
        closure = engagement.closure
        text = t("check.closed", lang, status=label(engagement.lifecycle(today), lang), on=closure.on.isoformat(),
                 by=closure.by)
        lines.extend("  " + line for line in wrap(text, width - 2))
    else:
        lines.append(_table(engagement, findings, lang, width) if findings else "  " + t("check.none", lang))
    lines.append("")
    return "\n".join(lines)


def summary(engagements: int, findings: list[Finding], today: date, lang: str, closed: int = 0) -> str:
    from ..pitfalls import Severity, count_by_severity

    counts = count_by_severity(findings)
    text = t(
        "check.summary", lang, engagements=engagements, today=today.isoformat(),
        critical=counts[Severity.CRITICAL], warning=counts[Severity.WARNING], info=counts[Severity.INFO],
    )
    if closed:
        text += t("check.closed_skipped", lang, n=closed)
    return text


def render_text(
    engagements: list[Engagement], results: dict[str, list[Finding]], today: date, lang: str, width: int | None = None,
    *, closed: int = 0,
) -> str:
    width = terminal_width() if width is None else width
    blocks = [engagement_block(e, results[e.id], today, lang, width) for e in engagements]
    every = [f for findings in results.values() for f in findings]
    # the last line fits the width like the rest
    return "\n".join([*blocks, *_wrapped_header(summary(len(engagements), every, today, lang, closed), width)])


def _wrapped_header(text: str, width: int) -> list[str]:
    # Its parts are set apart by two spaces; wrapped, a line break does that and one space will do.
    return [text] if cell_width(text) <= width else wrap(" ".join(text.split()), width)


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
        status=label(engagement.lifecycle(today), lang),
        readiness=readiness(engagement, today, lang).value, bunshin=bunshin(engagement).total, term=term,
    )


def _subject(engagement: Engagement, finding: Finding, lang: str) -> str:
    """The record a finding is about; for one cause covering several, the first and how many more."""
    from ..views.engagement import subject_title

    subjects = finding.subjects
    if not subjects:
        return "-"
    record = engagement.find(subjects[0])
    name = shown(subject_title(record) if record is not None else subjects[0])
    if len(subjects) == 1:
        return truncate(name, SUBJECT_WIDTH)
    more = t("pitfall.common.and_more", lang, n=len(subjects) - 1).strip()
    return truncate(name, SUBJECT_WIDTH - cell_width(more) - 1) + " " + more


MIN_MESSAGE_WIDTH = 30
STACK_INDENT = "    "


def terminal_width() -> int:
    """The width to print to: COLUMNS if set; else the terminal's — that of stdout, or, piped
    (`check | less`, `check > file`), of the terminal the user typed it in (stderr, stdin); 100
    when there is none (a scheduled job)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for stream in (sys.__stdout__, sys.__stderr__, sys.__stdin__):
        try:
            width = os.get_terminal_size(stream.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, OSError, ValueError):
            continue
        if width > 0:
            return width
    return 100


def _table(engagement: Engagement, findings: list[Finding], lang: str, width: int | None = None) -> str:
    """Severity, code and subject, then the message and its action wrapped to the terminal."""
    width = terminal_width() if width is None else width
    headers = [t("pitfall.severity.name", lang)] + [t(f"check.col_{c}", lang) for c in ("code", "subject", "message")]
    rows: list[tuple[list[str], str, str]] = []
    for finding in findings:
        # Names inside are shown safe before they are measured: a control character becomes a
        # one-cell picture (␛) where the terminal would have drawn nothing.
        message, action = (shown(part) for part in finding.text(lang))
        cells = [finding.severity.label(lang), finding.code, _subject(engagement, finding, lang)]
        rows.append((cells, message, t("check.action", lang, action=action)))
    fixed = [column_width(headers[c], (r[0][c] for r in rows)) for c in range(3)]
    indent = sum(fixed) + 2 * 3
    longest = column_width(headers[3], (text for r in rows for text in r[1:]))
    if width - indent >= MIN_MESSAGE_WIDTH:
        message_width = min(longest, width - indent)
        widths = [*fixed, message_width]
        lines = ["  ".join(pad(headers[c], widths[c]) for c in range(4)).rstrip()]
        lines.append("  ".join("-" * w for w in widths))
        for cells, message, action in rows:
            first = True
            for text in (message, action):
                for piece in wrap(text, message_width):
                    left = [pad(c, w) for c, w in zip(cells, fixed)] if first else [" " * w for w in fixed]
                    lines.append("  ".join([*left, piece]).rstrip())
                    first = False
        return "\n".join(lines)
    # Too narrow for a column: the message and action go on their own lines under the row.
    lines = ["  ".join(pad(headers[c], fixed[c]) for c in range(3)).rstrip()]
    lines.append("-" * min(indent - 2, width))
    for cells, message, action in rows:
        lines.append("  ".join(pad(c, w) for c, w in zip(cells, fixed)).rstrip())
        for text in (message, action):
            lines.extend(STACK_INDENT + piece for piece in wrap(text, width - len(STACK_INDENT)))
    return "\n".join(lines)

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
from ..usertext import json_text
from .context import Context

if TYPE_CHECKING:
    from ..models import Engagement
    from ..pitfalls import Finding

# Every command's parser is built on each run: the engine is imported only when check runs.
SEVERITIES = ("info", "warning", "critical")


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
    from ..usertext import shown
    from .checktext import engagement_block, summary, wrapped_header

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
                      *wrapped_header(summary(len(checked), every, today, ctx.lang, closed), width)])
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
    items = [utf8(entry[5]) for entry in chosen if entry[5]]
    if not items:
        print("[]")
    else:
        # As bytes (JSON is UTF-8, as `export` writes it): the kept findings are read as such,
        # and those just computed were encoded once to be kept.
        sys.stdout.flush()
        write = sys.stdout.buffer.write
        write(b"[\n")
        for n, chunk in enumerate(items):  # not joined first: a copy of 8 MB (~5 ms at a thousand)
            if n:
                write(b",\n")
            write(chunk)
        write(b"\n]\n")
        sys.stdout.buffer.flush()
    return 1 if failed else 0


def utf8(text: str | bytes | memoryview) -> bytes | memoryview:
    """A findings' text to print: as kept (bytes: views/rowcache.current_check), or encoded."""
    return text.encode("utf-8") if isinstance(text, str) else text


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

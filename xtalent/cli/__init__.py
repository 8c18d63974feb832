"""The `xtalent` command.  Each subcommand is a small module with `register(subparsers)`;
its handler takes (args, ctx) and returns the exit code: 0 ok, 1 findings, 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from importlib import import_module
from typing import Sequence

from ..errors import XtalentError
from ..i18n import LANGUAGES, language_from_env, set_language, t
from .context import Context

# Modules under xtalent.cli that register subcommands, in the order `--help` lists them.
COMMAND_MODULES = ("tui", "records", "check", "export", "backup")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 on bad usage, as we want
        self.print_usage(sys.stderr)
        self.exit(2, f"xtalent: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="xtalent", description=t("cli.description"))
    parser.add_argument("--db", metavar="PATH", help=t("cli.opt_db"))
    parser.add_argument("--lang", choices=LANGUAGES, help=t("cli.opt_lang"))
    parser.add_argument("--config", metavar="PATH", help=t("cli.opt_config"))
    parser.add_argument("--today", metavar="YYYY-MM-DD", help=t("cli.opt_today"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        import_module(f"{__name__}.{name}").register(sub)
    return parser


def _pre_language(argv: Sequence[str]) -> str:
    # The language must be known before --help text is built.
    for n, arg in enumerate(argv):
        if arg == "--lang" and n + 1 < len(argv) and argv[n + 1] in LANGUAGES:
            return argv[n + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            return arg.split("=", 1)[1]
    return language_from_env()


def main(argv: Sequence[str] | None = None, *, today: date | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(_pre_language(argv))
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        ctx = Context.from_args(args, today=today)
        handler = getattr(args, "handler", None)
        if handler is None:
            from .tui import run_tui

            return run_tui(args, ctx)
        return handler(args, ctx)
    except XtalentError as exc:
        print(f"xtalent: {exc.message()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

"""The `xtalent` command.  Each subcommand is a small module with `register(subparsers)`;
its handler takes (args, ctx) and returns the exit code: 0 ok, 1 findings, 2 bad input.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from importlib import import_module
from typing import NoReturn, Sequence

from ..errors import XtalentError
from ..i18n import LANGUAGES, language_from_env, set_language, t
from ..usertext import shown
from .context import Context

# Modules under xtalent.cli that register subcommands, in the order `--help` lists them.
COMMAND_MODULES = ("tui", "records", "check", "attention", "staff", "history", "closing", "export", "report", "backup", "serve")
# The module that registers each command, so that running one imports and describes only its
# own module (a test checks this against what the modules register).
COMMANDS = {
    "demo": "tui", "tui": "tui", "import": "records", "list": "records", "schema": "records",
    "check": "check", "attention": "attention", "staff": "staff", "history": "history", "close": "closing",
    "reopen": "closing", "export": "export", "report": "report", "backup": "backup",
    "restore": "backup", "serve": "serve",
}


class _Formatter(argparse.HelpFormatter):
    """argparse's help in the UI language: only the "usage:" prefix is argparse's own text."""

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        if prefix is None:
            prefix = t("cli.usage") + " "
        super().add_usage(usage, actions, groups, prefix)


# argparse's own error messages (Python 3.11-3.13), and the catalog keys that say them instead.
# Anything not listed here stays in argparse's English.  Patterns as text, compiled by re.match
# when an error is translated: compiling them at import was ~3 M instructions of every command.
_ARGPARSE_ERRORS = (
    (r"^the following arguments are required: (?P<args>.+)$", "cli.argparse_required"),
    (r"^unrecognized arguments: (?P<args>.+)$", "cli.argparse_unrecognized"),
    (r"^argument (?P<arg>[^:]+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)$", "cli.argparse_choice"),
    (r"^argument (?P<arg>[^:]+): expected one argument$", "cli.argparse_one_value"),
    (r"^argument (?P<arg>[^:]+): invalid int value: (?P<value>.+)$", "cli.argparse_not_int"),
)


def translate_argparse_error(message: str) -> str:
    for pattern, key in _ARGPARSE_ERRORS:
        m = re.match(pattern, message)
        if m:
            return t(key, **m.groupdict())
    return message


class _Parser(argparse.ArgumentParser):
    """A parser whose help and errors go through the catalog.

    argparse's default groups ("positional arguments", "options") and its -h help are English;
    here every argument goes into a group titled from the catalog, so the default groups stay
    empty (argparse omits empty groups), and -h/--help is our own argument.
    """

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._xt_positional = self.add_argument_group(t("cli.group_positionals"))
        self._xt_options = self.add_argument_group(t("cli.group_options"))
        self._xt_options.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=t("cli.opt_help"))

    def add_argument(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        groups = self.__dict__.get("_xt_options"), self.__dict__.get("_xt_positional")
        if None in groups:
            return super().add_argument(*args, **kwargs)
        optional = bool(args) and args[0][:1] in self.prefix_chars
        return (groups[0] if optional else groups[1]).add_argument(*args, **kwargs)

    def error(self, message: str) -> NoReturn:  # argparse exits 2 on bad usage, as we want
        self.print_usage(sys.stderr)
        self.exit(2, f"xtalent: {translate_argparse_error(message)}\n")


# The global options that take a value, so that a value is not taken for a command.
_VALUE_OPTIONS = ("--db", "--lang", "--config", "--today")


_FLAG_OPTIONS = ("--team", "--verbose")


def command_named(argv: Sequence[str]) -> str | None:
    """The command `argv` plainly runs: only our own global options written in full (and their
    values), then a known command.  None for anything else (help, abbreviations, unknown
    tokens), which argparse must read with the whole parser."""
    tokens = iter(argv)
    for token in tokens:
        if token in _VALUE_OPTIONS:
            if next(tokens, None) is None:
                return None
        elif token in _FLAG_OPTIONS or (token.split("=", 1)[0] in _VALUE_OPTIONS and "=" in token):
            continue
        else:
            return token if token in COMMANDS else None
    return None


def names_a_command(argv: Sequence[str]) -> bool:
    """Whether parsing `argv` needs the subcommands: it names one (or something that could be
    one, or asks for help).  Plain `xtalent [--db …]` launches the TUI and needs none of them."""
    tokens = iter(argv)
    for token in tokens:
        # Only our own long options are taken as options: argparse reads "-", "-1" or "--" its
        # own way, and then the whole parser decides.
        if token in ("-h", "--help", "--") or not token.startswith("--"):
            return True
        if token in _VALUE_OPTIONS:
            next(tokens, None)
    return False


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line; given the `argv` about to be parsed, only what parsing it needs:
    importing and describing every subcommand was ~10 ms of each launch of the TUI, and ~70 ms
    of CPU of each command (`list` at 1,000 engagements takes ~0.3 s)."""
    parser = _Parser(prog="xtalent", description=t("cli.description"))
    parser.add_argument("--db", metavar="PATH", help=t("cli.opt_db"))
    parser.add_argument("--lang", choices=LANGUAGES, help=t("cli.opt_lang"))
    parser.add_argument("--config", metavar="PATH", help=t("cli.opt_config"))
    parser.add_argument("--today", metavar="YYYY-MM-DD", help=t("cli.opt_today"))
    parser.add_argument("--team", action="store_true", help=t("cli.opt_team"))
    parser.add_argument("--verbose", action="store_true", help=t("cli.opt_verbose"))
    sub = parser.add_subparsers(
        title=t("cli.group_commands"), dest="command", metavar="COMMAND", parser_class=_Parser
    )
    command = None if argv is None else command_named(argv)
    if command is not None:
        import_module(f"{__name__}.{COMMANDS[command]}").register(sub)
    elif argv is None or names_a_command(argv):
        for name in COMMAND_MODULES:
            import_module(f"{__name__}.{name}").register(sub)
    return parser


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """`argv` parsed by the parser built for it (see build_parser): how every launch reads it."""
    return build_parser(argv).parse_args(argv)


def _pre_language(argv: Sequence[str]) -> str:
    # The language must be known before --help text is built.
    for n, arg in enumerate(argv):
        if arg == "--lang" and n + 1 < len(argv) and argv[n + 1] in LANGUAGES:
            return argv[n + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            return arg.split("=", 1)[1]
    return language_from_env()


def _excepthook(*exc_info) -> None:  # type: ignore[no-untyped-def]
    from ..crashlog import excepthook  # loaded only when something has already gone wrong

    excepthook(*exc_info)


def main(argv: Sequence[str] | None = None, *, today: date | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(_pre_language(argv))
    # An error nothing caught: a short message and the traceback in the private crash log,
    # instead of a traceback (which may quote personal data) on the terminal.
    sys.excepthook = _excepthook
    args = parse_args(argv)
    if args.verbose:
        from ..crashlog import log_path

        print(t("cli.log_path", path=str(log_path())), file=sys.stderr)
    try:
        ctx = Context.from_args(args, today=today)
        handler = getattr(args, "handler", None)
        if handler is None:
            from .tui import run_tui

            return run_tui(args, ctx)
        return handler(args, ctx)
    except XtalentError as exc:
        print(shown(f"xtalent: {exc.message()}", multiline=True), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

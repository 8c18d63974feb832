"""serve: the TUI in a browser (textual-serve), for people who do not open a terminal.

One machine, a few colleagues: it is not a multi-tenant web service.  It listens on 127.0.0.1
unless --public names another address, and every request needs the access token printed at
start (the first page sets it as a cookie), like a notebook server.  Each browser tab runs its
own `xtalent tui` on the same database; --read-only makes those reviewers' views.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import secrets
import shlex
import socket
import subprocess
import sys
from importlib import import_module

from ..errors import XtalentError
from ..i18n import t
from .context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help=t("cli.serve_help"), description=t("cli.serve_help"))
    p.add_argument("--host", default="127.0.0.1", help=t("cli.serve_host"))
    p.add_argument("--port", type=int, default=8000, help=t("cli.serve_port"))
    p.add_argument("--public", action="store_true", help=t("cli.serve_public"))
    p.add_argument("--read-only", action="store_true", help=t("cli.serve_read_only"))
    p.set_defaults(handler=cmd_serve)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name: it may resolve to anything


def tui_command(args: argparse.Namespace, ctx: Context) -> str:
    """The command each browser connection runs: this database, language, day and settings."""
    argv = [sys.executable, "-m", "xtalent", "--db", str(ctx.db_path), "--lang", ctx.lang]
    # Only a --config that was given: the default settings file may not exist, and a --config
    # naming a missing file is refused (the child resolves the default as this process did).
    if args.config:
        argv += ["--config", str(ctx.config_path)]
    if args.today:  # the day as Context read it: each connection gets it, not the text typed
        argv += ["--today", ctx.today.isoformat()]
    if ctx.team:
        argv.append("--team")
    argv.append("tui")
    if args.read_only:
        argv.append("--read-only")
    # textual-serve starts it through the shell.
    return subprocess.list2cmdline(argv) if os.name == "nt" else shlex.join(argv)


def cmd_serve(args: argparse.Namespace, ctx: Context) -> int:
    if not is_loopback(args.host) and not args.public:
        raise XtalentError("cli.serve_needs_public", host=args.host)
    try:
        web = import_module("xtalent_screens.serve")
    except ImportError:
        raise XtalentError("cli.serve_not_installed") from None
    ctx.store  # a database that cannot be opened is reported here, not in every browser tab
    token = secrets.token_urlsafe(24)
    shown_host = socket.gethostname() if args.host in ("0.0.0.0", "::") else args.host
    if ":" in shown_host:
        shown_host = f"[{shown_host}]"
    url = f"http://{shown_host}:{args.port}/?token={token}"
    mode = t("cli.serve_mode_read_only") if args.read_only else t("cli.serve_mode_edit")
    print(t("cli.serve_started", url=url, mode=mode, db=str(ctx.db_path)), flush=True)
    web.TokenServer(tui_command(args, ctx), host=args.host, port=args.port, token=token).serve()
    return 0

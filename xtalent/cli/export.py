"""export: the interchange JSON (the handover checklist formats build on this command)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..atomic import atomic_write_bytes
from ..errors import XtalentError
from ..i18n import t
from ..interchange import dump_document
from ..models import InterchangeDocument
from .context import Context

FORMATS = ("json",)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help=t("cli.export_help"), description=t("cli.export_help"))
    p.add_argument("engagement", nargs="?", metavar="ENGAGEMENT", help=t("cli.export_engagement"))
    p.add_argument("--all", action="store_true", help=t("cli.export_all"))
    p.add_argument("--format", choices=FORMATS, default="json")
    p.add_argument("-o", "--output", metavar="PATH")
    p.add_argument("--force", action="store_true", help=t("cli.export_force"))
    p.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    if args.engagement and not args.all:
        document = InterchangeDocument(
            exported_at=ctx.today.isoformat(), engagements=[ctx.store.find(args.engagement)]
        )
    else:
        document = ctx.store.export_document(exported_at=ctx.today.isoformat())
    text = dump_document(document)
    if not args.output or args.output == "-":
        sys.stdout.write(text)
        return 0
    write_output(Path(args.output), text.encode("utf-8"), force=args.force)
    print(t("cli.exported", path=args.output), file=sys.stderr)
    return 0


def write_output(path: Path, data: bytes, *, force: bool) -> None:
    if path.exists() and not force:
        raise XtalentError("errors.exists", path=str(path))
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise XtalentError("errors.cannot_write", path=str(path), detail=exc.strerror or type(exc).__name__) from None

"""backup, restore: snapshots of the whole database."""

from __future__ import annotations

import argparse
import unicodedata

from ..i18n import t
from ..store import Store
from ..textwidth import render_table
from .context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help=t("cli.backup_help"), description=t("cli.backup_help"))
    p.set_defaults(handler=cmd_backup)
    p = sub.add_parser("restore", help=t("cli.restore_help"), description=t("cli.restore_help"))
    p.add_argument("name", nargs="?", metavar="BACKUP", help=t("cli.restore_name"))
    p.set_defaults(handler=cmd_restore)


def cmd_backup(args: argparse.Namespace, ctx: Context) -> int:
    print(t("cli.backed_up", path=str(ctx.store.backup_now())))
    return 0


def cmd_restore(args: argparse.Namespace, ctx: Context) -> int:
    # Restoring is how a damaged database is repaired, so it must open one whose manifest is damaged.
    store = ctx._store or Store.open_for_restore(ctx.db_path)
    if not args.name:
        backups = store.list_backups()
        if not backups:
            print(t("cli.no_backups", path=str(store.backups_dir)))
            return 0
        body = [
            [str(n), b.name, b.created.astimezone().strftime("%Y-%m-%d %H:%M"), f"{b.size:,}"]
            for n, b in enumerate(backups, 1)
        ]
        headers = [t("cli.col_number"), t("cli.col_backup"), t("cli.col_created"), t("cli.col_bytes")]
        print(render_table(headers, body, aligns=">" + "<<>", max_width=80))
        print(t("cli.restore_hint"))
        return 0
    name = backup_name(args.name, [b.name for b in store.list_backups()])
    kept = store.restore_backup(name)
    print(t("cli.restored", name=name, kept=str(kept) if kept else "-"))
    return 0


LATEST = ("latest", "最新")


def backup_name(given: str, names: list[str]) -> str:
    """A backup's name from what was typed: its number in the list (1 = newest), "latest", or a name."""
    from ..errors import XtalentError

    text = unicodedata.normalize("NFKC", given).strip()
    if text.casefold() in LATEST:
        text = "1"
    if text.isdecimal() and text.isascii():
        n = int(text)
        if n == 0 or n > len(names):
            raise XtalentError("cli.no_backup_number", n=n, count=len(names))
        return names[n - 1]
    return given

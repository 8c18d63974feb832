"""What every subcommand needs: the database, the language, and the day it runs on."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..dates import DateParseError, parse_date
from ..errors import XtalentError
from ..i18n import get_language, t
from ..paths import default_config, default_db
from ..store import Store


@dataclass
class Context:
    db_path: Path
    config_path: Path
    lang: str
    today: date
    team: bool = False
    read_only: bool = False  # `tui --read-only`: the reviewers' view that `serve --read-only` runs
    _store: Store | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, args: argparse.Namespace, *, today: date | None = None) -> "Context":
        if getattr(args, "today", None):
            try:
                today = parse_date(args.today)
            except DateParseError as exc:
                raise XtalentError("cli.bad_today", reason=t(exc.reason)) from None
        config_path = Path(args.config).expanduser() if args.config else default_config()
        # Without a file every default applies; a file named on purpose that is not there is a
        # typo, and running on the defaults would hide it.
        if args.config and not config_path.exists():
            raise XtalentError("settings.missing", path=str(config_path))
        return cls(
            db_path=Path(args.db).expanduser() if args.db else default_db(),
            config_path=config_path,
            lang=get_language(),
            # The real clock is read here only, as the default; everything below takes `today`.
            today=today or date.today(),
            team=bool(getattr(args, "team", False)) or os.environ.get("XTALENT_TEAM", "") in ("1", "true", "yes"),
        )

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.db_path, team=self.team, read_only=self.read_only)
            if self._store.repaired:
                # stderr, so a piped `list` or `export` stays clean; the TUI says it again on screen.
                key, params = self._store.repaired.notice()
                print(f"xtalent: {t(key, **params)}", file=sys.stderr)
        return self._store

"""What every subcommand needs: the database, the language, and the day it runs on."""

from __future__ import annotations

import argparse
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
    _store: Store | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, args: argparse.Namespace, *, today: date | None = None) -> "Context":
        if getattr(args, "today", None):
            try:
                today = parse_date(args.today)
            except DateParseError as exc:
                raise XtalentError("cli.bad_today", reason=t(exc.reason)) from None
        return cls(
            db_path=Path(args.db).expanduser() if args.db else default_db(),
            config_path=Path(args.config).expanduser() if args.config else default_config(),
            lang=get_language(),
            # The real clock is read here only, as the default; everything below takes `today`.
            today=today or date.today(),
        )

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.db_path)
        return self._store

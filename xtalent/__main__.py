"""`python -m xtalent`: the xtalent command (how `xtalent serve` starts the TUI for each browser)."""

from .cli import main

raise SystemExit(main())

"""Where `xtalent export ID --format md` spends its start-up, counted in instructions.

    python bench/export_steps.py DB ID [TREE ...]
    python bench/export_steps.py --launch DB - [TREE ...]   # a TUI launch up to its row helper's start
    python bench/export_steps.py --modules DB ID [TREE ...]  # the command's imports, module by module

For each code tree (a folder holding `xtalent`, first on PYTHONPATH; default: this checkout)
it counts, with `valgrind --tool=callgrind`, the instructions of a fresh interpreter running
the command's steps up to each one (STEPS), and prints each step's share: the count up to it
minus the count before it.  Instructions do not depend on the machine's load (the same run
gives the same count to ±0.1 M), which wall and CPU times on a shared machine do by ±30 %.
Slow: ~20 s of CPU per step under valgrind.  Run with XTALENT_CONFIG naming a file that does
not exist (a user without a settings file) and XTALENT_CACHE holding the message catalog's cache.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STEPS = (
    ("the interpreter and site", "pass"),
    ("the CLI, the context and the store", "import xtalent.cli, xtalent.cli.context"),
    ("parsing the arguments, the context",
     "from xtalent.cli import parse_args; from xtalent.cli.context import Context; "
     "ctx = Context.from_args(parse_args(['--db', DB, '--today', '2026-11-23', '--lang', 'ja', 'export', ID, '--format', 'md']))"),
    ("from pydantic import BaseModel", "from pydantic import BaseModel, Field, ConfigDict"),
    ("xtalent.models", "import xtalent.models"),
    ("xtalent.settings (and appointments)", "import xtalent.settings"),
    ("xtalent.export", "import xtalent.export"),
    ("pydantic's plugin loader", "from pydantic.plugin._loader import get_plugins; list(get_plugins())"),
    ("reading and validating the file", "e = ctx.store.find(ID)"),
    ("the checklist and its Markdown",
     "import xtalent.export as X; X.export_checklist([e], 'md', ctx.today, ctx.lang, xtalent.settings.load_settings(ctx.config_path))"),
)

# `--launch`: a TUI launch up to the row helper's spawn (cli/tui.build_app before rowhelper.prestart
# starts it), on DB (ID unused); with no rows kept the helper's start waits for all of this.
LAUNCH_STEPS = (
    ("the interpreter and site", "pass"),
    ("the CLI and the context", "from xtalent.cli import parse_args; from xtalent.cli.context import Context"),
    ("cli.tui (the launch's module)", "import xtalent.cli.tui as T"),
    ("parsing the arguments, the context",
     "ctx = Context.from_args(parse_args(['--db', DB, '--today', '2026-11-23', '--lang', 'ja']))"),
    ("opening the store", "store = ctx.store"),
    ("the settings file", "settings = T.user_settings(ctx.config_path, store.root)"),
    ("the kept rows' head and the files",
     "from xtalent.views.rowcache import kept_for; kept_for(store.root, ctx.today, ctx.lang, settings); store.folder.files()"),
)

# `--modules`: the same command's imports one module (or group) at a time, every earlier step's
# modules already loaded, so each figure is that module's own cost; and pydantic's plugin loader
# split into importing it (importlib.metadata) and its scan of the installed packages.
MODULE_STEPS = (
    ("the interpreter and site", "pass"),
    ("standard library the CLI and pydantic share",
     "import argparse, dataclasses, pathlib, json, re, datetime, typing, enum, inspect, os, stat, errno, contextlib, "
     "itertools, functools, unicodedata, bisect, math, hashlib"),
    ("xtalent.i18n, errors, usertext", "import xtalent.errors, xtalent.usertext"),
    ("the message catalog (cache and key)", "import xtalent.i18n as I; I.catalog()"),
    ("xtalent.dates", "import xtalent.dates"),
    ("xtalent.vocabulary", "import xtalent.vocabulary"),
    ("the store and its modules", "import xtalent.store"),
    ("the CLI and the context", "import xtalent.cli, xtalent.cli.context"),
    ("from pydantic import BaseModel", "from pydantic import BaseModel, Field, ConfigDict, field_validator, model_validator"),
    ("xtalent.models", "import xtalent.models"),
    ("xtalent.appointments", "import xtalent.appointments"),
    ("xtalent.settings", "import xtalent.settings"),
    ("xtalent.metrics", "import xtalent.metrics"),
    ("xtalent.pitfalls.base", "import xtalent.pitfalls.base"),
    ("the rules", "import xtalent.pitfalls"),
    ("views.text, textwidth (rich.cells)", "import xtalent.views.text"),
    ("xtalent.export.checklist", "import xtalent.export.checklist"),
    ("the rest of xtalent.export, md", "import xtalent.export, xtalent.export.md"),
    ("importing pydantic's plugin loader", "import pydantic.plugin._loader as L"),
    ("its scan of the entry points", "list(L.get_plugins())"),
)

CHILD = r"""
import sys
DB, ID, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for _, code in STEPS[: n + 1]:
    exec(code)
"""


def count(tree: Path, db: str, eid: str, n: int, steps: tuple = STEPS) -> float:
    env = dict(os.environ, PYTHONPATH=str(tree))
    code = f"STEPS = {steps!r}\n{CHILD}"
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", code,
                          db, eid, str(n)], capture_output=True, text=True, env=env, cwd="/tmp")
    found = re.search(r"Collected : (\d+)", out.stderr)
    if out.returncode or not found:
        raise SystemExit(f"{tree}: step {n} failed: {out.stderr[-800:]}")
    return int(found.group(1)) / 1e6


def main() -> None:
    args = sys.argv[1:]
    steps = LAUNCH_STEPS if "--launch" in args else MODULE_STEPS if "--modules" in args else STEPS
    db, eid, *trees = [a for a in args if a not in ("--launch", "--modules")]
    for tree in [Path(t) for t in trees] or [ROOT]:
        with ThreadPoolExecutor(max_workers=2) as pool:
            counts = list(pool.map(lambda n: count(tree, db, eid, n, steps), range(len(steps))))
        print(f"{tree}: M instructions per step (cumulative {counts[-1]:.1f})")
        before = 0.0
        for (name, _), total in zip(steps, counts):
            print(f"  {total - before:7.1f}  {name}")
            before = total


if __name__ == "__main__":
    main()

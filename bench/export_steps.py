"""Where `xtalent export ID --format md` spends its start-up, counted in instructions.

    python bench/export_steps.py DB ID [TREE ...]
    python bench/export_steps.py --launch DB - [TREE ...]   # a TUI launch up to its row helper's start

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
    steps = LAUNCH_STEPS if "--launch" in args else STEPS
    db, eid, *trees = [a for a in args if a != "--launch"]
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

"""Performance at municipal, prefectural and large scale, against floors measured in the same run.

    python bench/run.py                 # all sizes, 5 runs each
    python bench/run.py --sizes municipal --runs 7

For each size it prints medians of:
  1. launch to the dashboard's first paint with every row (a fresh process each run, the CLI's
     launch path, headless run_test): with the dashboard's row cache for today, with
     yesterday's (the first launch of a day), and with none; with a settings file; the floor: a bare Textual app with
     the same widgets, row count and footer keys (also shown: with an empty footer);
  2. one saved edit (advance one item's stage) — floor: json.dumps + write of one engagement;
  3. the full pitfall check of every engagement;
  4. one engagement's checklist export in each format;
  5. peak RSS of the TUI process (from the first-paint runs).
No assertion: the table is the result (see the README for the figures and targets).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TODAY = date(2026, 11, 23)
OUT = ROOT / "bench" / "out"

# ---------------------------------------------------------------------------------------------
# Children: each first-paint run is a fresh interpreter, so imports and start-up count.
# They print one JSON line: {"seconds": ..., "rss_mb": ...}.

# "First paint" is the first frame that holds the rows: the table has them and the screen has
# rendered itself since (`wait_for_refresh`: the compositor has drawn every line, which a
# terminal would now receive; headless, the frame is discarded).

CHILD_APP = r"""
import time; T0 = time.perf_counter()
import asyncio, json, resource, sys
from datetime import date
from pathlib import Path

# The launch as `xtalent --db DB --today ... --lang ja` does it, up to `.run()`.
from xtalent.cli import parse_args
from xtalent.cli.context import Context
from xtalent.cli.tui import build_app
from xtalent.i18n import set_language
from textual.widgets import DataTable

def peak_rss_mb():
    # VmHWM, not ru_maxrss: the latter survives exec and would report the benchmark's own size.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

async def main():
    set_language("ja")
    # --config names a file that does not exist: a user without a settings file.
    argv = ["--db", sys.argv[1], "--today", "2026-11-23", "--lang", "ja", "--config", sys.argv[3]]
    args = parse_args(argv)
    app = build_app(Context.from_args(args))
    want = int(sys.argv[2])
    async with app.run_test(size=(120, 40)) as pilot:
        while True:
            tables = [t for t in app.screen.query(DataTable)]
            if tables and tables[0].row_count >= want:
                break
            await asyncio.sleep(0.002)
        await tables[0].wait_for_refresh()
        seconds = time.perf_counter() - T0
        keys = len(app.screen.query("Footer > *")) - 1  # the footer's keys besides Textual's ^p
    print(json.dumps({"seconds": seconds, "rss_mb": peak_rss_mb(), "footer_keys": keys,
                      "pydantic": "pydantic" in sys.modules}))

asyncio.run(main())
"""

# The floor: a bare Textual app with the dashboard's widgets (header, search field, a status
# line of two parts, the table with as many rows and columns, a footer showing as many keys,
# the table focused), and nothing of xtalent.  With KEYS=0 the footer is empty.
CHILD_FLOOR = r"""
import time; T0 = time.perf_counter()
import asyncio, json, resource, sys
from textual.app import App
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Static

ROWS = int(sys.argv[1])
KEYS = int(sys.argv[2])

def peak_rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

class Bare(App):
    # As many keys as the dashboard's footer showed in the same run (besides Textual's ^p).
    BINDINGS = [Binding(key, "bell", f"操作{n}") for n, key in enumerate("abcdefghijklmnop"[:KEYS])]

    def compose(self):
        yield Header()
        yield Input()
        with Horizontal():
            yield Static("")
            yield Static("")
        yield DataTable()
        yield Footer()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns(*[f"列{n}" for n in range(9)])
        table.add_rows([[f"行{r}列{c}" for c in range(9)] for r in range(ROWS)])
        if KEYS:
            table.focus()

async def main():
    app = Bare()
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one(DataTable)
        while table.row_count < ROWS:
            await asyncio.sleep(0.002)
        await table.wait_for_refresh()
        seconds = time.perf_counter() - T0
    print(json.dumps({"seconds": seconds, "rss_mb": peak_rss_mb()}))

asyncio.run(main())
"""

# The same floor app run for real (App.run) in a pseudo-terminal, for the terminal launch below.
FLOOR_TTY = CHILD_FLOOR.split("async def main():")[0] + "Bare().run()\n"


def terminal_launch(argv: list[str], marker: bytes, timeout: float = 60.0) -> float:
    """Seconds from starting `argv` in a 120×40 pseudo-terminal until its output holds `marker`.

    The launch a user sees: the real driver, escape codes written to a terminal.  The process
    is killed once the marker arrives (the frame with the rows has been written).
    """
    import fcntl
    import select
    import signal
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "TMUX")}
    env["TERM"] = "xterm-256color"
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, start_new_session=True)
    os.close(slave)
    seen = b""
    try:
        while time.perf_counter() - t0 < timeout:
            if select.select([master], [], [], 0.05)[0]:
                try:
                    seen += os.read(master, 1 << 16)
                except OSError:  # the child exited: the marker never came
                    break
                if marker in seen:
                    return time.perf_counter() - t0
        raise RuntimeError(f"{argv[:3]}: {marker.decode()!r} not seen; last output {seen[-400:]!r}")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)


def compile_like_a_first_run() -> None:
    """Byte code and the message catalog's cache, as the first launch (or `pip install`) writes them.

    These machines set PYTHONDONTWRITEBYTECODE, so without this every timed launch would compile
    xtalent from source while the floor's Textual comes pre-compiled by pip.
    """
    import compileall

    from xtalent import i18n

    for folder in ("xtalent", "screens"):
        compileall.compile_dir(str(ROOT / folder), quiet=1)
    writes = sys.dont_write_bytecode
    sys.dont_write_bytecode = False
    try:
        i18n.catalog.__wrapped__()  # catalog() past its in-process memo: it writes the file cache
    finally:
        sys.dont_write_bytecode = writes


def run_child(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def median(values: list[float]) -> float:
    return statistics.median(values)


def timed(fn, runs: int) -> float:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return median(samples)


# ---------------------------------------------------------------------------------------------


def prepare(size: str, workdir: Path) -> tuple[Path, int]:
    from bench.generate import dataset
    from xtalent.interchange import parse_document
    from xtalent.store import Store

    doc = dataset(size)
    db = workdir / f"{size}-db"
    Store.open(db).import_document(parse_document(doc, size))
    return db, len(doc["engagements"])


def bench_size(size: str, runs: int, workdir: Path) -> dict:
    from xtalent.edits import step_stage
    from xtalent.export import FORMATS, export_checklist
    from xtalent.pitfalls import evaluate_all
    from xtalent.store import Store

    db, count = prepare(size, workdir)
    result: dict = {"size": size, "engagements": count}

    from xtalent.views import rowcache

    config = str(workdir / "no-settings.toml")  # does not exist: a user without a settings file
    cold = []
    for _ in range(runs):
        # Right after an import, or after the settings changed, there is no row cache to paint from.
        rowcache.cache_path(db).unlink(missing_ok=True)
        cold.append(run_child(CHILD_APP, str(db), str(count), config))
    keys = cold[0]["footer_keys"]
    # Each run of the app is followed by the floors, so a machine getting busier or quieter
    # during the benchmark moves both sides of the ratio alike.
    paints, floors, bare = [], [], []
    for _ in range(runs):
        paints.append(run_child(CHILD_APP, str(db), str(count), config))
        floors.append(run_child(CHILD_FLOOR, str(count), str(keys)))
        bare.append(run_child(CHILD_FLOOR, str(count), "0"))
    new_day = []
    for _ in range(runs):
        # The first launch of a new day: yesterday's rows are painted, then replaced.
        cache = json.loads(rowcache.cache_path(db).read_text(encoding="utf-8"))
        cache["today"] = "2026-11-22"
        rowcache.cache_path(db).write_text(json.dumps(cache, ensure_ascii=False), encoding="utf-8")
        new_day.append(run_child(CHILD_APP, str(db), str(count), config))
    # The command as a user types it, in a (pseudo-)terminal: the status line says "N/N件" in
    # the same frame as the rows; the floor's first row ends with 行0列8.
    xtalent = str(Path(sys.executable).with_name("xtalent"))
    command = [xtalent, "--db", str(db), "--today", "2026-11-23", "--lang", "ja", "--config", config]
    tty, tty_floor = [], []
    for _ in range(runs):
        tty.append(terminal_launch(command, f"{count}/{count}件".encode()))
        tty_floor.append(terminal_launch([sys.executable, "-c", FLOOR_TTY, str(count), str(keys)], "行0列8".encode()))
    # A user with a settings file: validated before the screen the first time its bytes are
    # seen (this first run also computes the rows for it), not at later launches.
    settings_file = workdir / "settings.toml"
    settings_file.write_text("[pitfalls]\nterm_ending_days = 120\n", encoding="utf-8")
    run_child(CHILD_APP, str(db), str(count), str(settings_file))
    with_settings, with_settings_floor = [], []
    for _ in range(runs):
        with_settings.append(run_child(CHILD_APP, str(db), str(count), str(settings_file)))
        with_settings_floor.append(run_child(CHILD_FLOOR, str(count), str(keys)))
    result["paint_settings"] = median([p["seconds"] for p in with_settings])
    result["paint_settings_floor"] = median([f["seconds"] for f in with_settings_floor])
    result["tty"] = median(tty)
    result["tty_floor"] = median(tty_floor)
    result["footer_keys"] = keys
    result["pydantic_at_paint"] = any(p["pydantic"] for p in paints)
    result["paint_cold"] = median([p["seconds"] for p in cold])
    result["paint_new_day"] = median([p["seconds"] for p in new_day])
    result["paint"] = median([p["seconds"] for p in paints])
    result["paint_floor"] = median([f["seconds"] for f in floors])
    result["paint_floor_empty_footer"] = median([f["seconds"] for f in bare])
    result["rss_mb"] = max(p["rss_mb"] for p in paints + cold + new_day)
    result["rss_floor_mb"] = max(f["rss_mb"] for f in floors)

    store = Store.open(db)
    engagements = store.engagements()
    target = max(engagements, key=lambda e: len(e.items))
    item = next(i for i in target.items if i.receivers)

    # The session's first save also snapshots the database (once per session): timed apart.
    current = {"e": target}

    def save_one() -> None:
        changed = step_stage(current["e"], item.id, item.receivers[0].staff_id, 1 if current["e"].revision % 2 else -1, TODAY)
        current["e"] = store.save(changed)

    t0 = time.perf_counter()
    save_one()
    result["first_save"] = time.perf_counter() - t0
    result["save"] = timed(save_one, max(runs, 9))

    floor_file = workdir / "floor.json"

    def floor_write() -> None:
        floor_file.write_text(json.dumps(current["e"].model_dump(mode="json"), ensure_ascii=False), encoding="utf-8")

    result["save_floor"] = timed(floor_write, max(runs, 9))

    engagements = store.engagements()
    result["check"] = timed(lambda: evaluate_all(engagements, TODAY, lang="ja"), runs)

    one = [current["e"]]
    result["export"] = {fmt: timed(lambda fmt=fmt: export_checklist(one, fmt, TODAY, "ja"), runs) for fmt in FORMATS}

    raw = [p.read_bytes() for p in sorted((db / "engagements").glob("*.json"))]
    result["json_load_floor"] = timed(lambda: [json.loads(b) for b in raw], runs)
    return result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def report(results: list[dict]) -> str:
    lines = []
    for r in results:
        lines.append(f"== {r['size']} ({r['engagements']} engagements) ==")
        lines.append(f"first paint          {ms(r['paint'])}   floor (bare Textual) {ms(r['paint_floor'])}   ratio {r['paint'] / r['paint_floor']:.2f}x")
        lines.append(f"  (floor: same widgets, {r['footer_keys']} footer keys as the dashboard; with an empty footer: {ms(r['paint_floor_empty_footer'])}, ratio {r['paint'] / r['paint_floor_empty_footer']:.2f}x)")
        lines.append(f"  (pydantic imported before the first paint: {'yes' if r['pydantic_at_paint'] else 'no'})")
        lines.append(f"  (the `xtalent` command in a pseudo-terminal until the rows are written: {ms(r['tty'])}; the floor app run the same way {ms(r['tty_floor'])}, ratio {r['tty'] / r['tty_floor']:.2f}x)")
        lines.append(f"  (with a settings file, validated at an earlier launch: {ms(r['paint_settings'])}; floor {ms(r['paint_settings_floor'])}, ratio {r['paint_settings'] / r['paint_settings_floor']:.2f}x)")
        lines.append(f"  (first launch of a day, yesterday's rows shown while updating: {ms(r['paint_new_day'])}, ratio {r['paint_new_day'] / r['paint_floor']:.2f}x)")
        lines.append(f"  (no row cache at all, e.g. right after an import: {ms(r['paint_cold'])}, ratio {r['paint_cold'] / r['paint_floor']:.2f}x)")
        lines.append(f"  (json.load of every engagement file: {ms(r['json_load_floor'])})")
        lines.append(f"one saved edit       {ms(r['save'])}   floor (dumps+write)  {ms(r['save_floor'])}   ratio {r['save'] / r['save_floor']:.2f}x")
        lines.append(f"  (the session's first save, with its backup snapshot: {ms(r['first_save'])})")
        lines.append(f"full pitfall check   {ms(r['check'])}")
        lines.append("one export           " + "  ".join(f"{fmt} {v * 1000:.1f} ms" for fmt, v in r["export"].items()))
        lines.append(f"peak RSS (TUI)       {r['rss_mb']:8.1f} MB   floor (bare Textual) {r['rss_floor_mb']:.1f} MB")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="municipal,prefectural,large")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="xtalent-bench-"))
    compile_like_a_first_run()
    try:
        results = []
        for size in args.sizes.split(","):
            results.append(bench_size(size.strip(), args.runs, workdir))
            print(report(results[-1:]), flush=True)
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()

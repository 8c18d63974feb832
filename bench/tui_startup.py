"""Time from launch to the dashboard showing the demo's rows, against a bare Textual app.

    .venv/bin/python bench/tui_startup.py [--runs 5]

Each run is a fresh process (imports included, as a user's launch): it starts the app headless
(`run_test`, 140×40) and stops the clock when the engagements table has its rows.  The bare
app is a Textual App with one DataTable filled with as many rows, for comparison.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

XTALENT = r'''
import time
t0 = time.perf_counter()
import asyncio, sys, tempfile
from datetime import date
from pathlib import Path
sys.path.insert(0, ROOT)
from xtalent.interchange import load_document
from xtalent.paths import demo_file
from xtalent.store import Store
folder = Path(tempfile.mkdtemp())
Store.open(folder / "db").import_document(load_document(demo_file()))  # the demo launcher does this too
t_ready = time.perf_counter()
from screens.app import XtalentApp
from textual.widgets import DataTable
async def main():
    app = XtalentApp(store=Store.open(folder / "db"), today=date(2026, 11, 23), lang="ja")
    async with app.run_test(size=(140, 40)) as pilot:
        while True:
            tables = app.screen.query("#engagements")
            if tables and tables.first(DataTable).row_count > 0:
                break
            await asyncio.sleep(0.002)
        t1 = time.perf_counter()
        print({"total": t1 - t0, "app": t1 - t_ready, "rows": tables.first(DataTable).row_count})
asyncio.run(main())
'''

BARE = r'''
import time
t0 = time.perf_counter()
import asyncio
from textual.app import App
from textual.widgets import DataTable, Footer, Header
ROWS = NROWS
class Bare(App):
    def compose(self):
        yield Header(); yield DataTable(); yield Footer()
    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns(*(f"c{n}" for n in range(9)))
        for r in range(ROWS):
            table.add_row(*(f"行{r}-{n}" for n in range(9)))
async def main():
    app = Bare()
    async with app.run_test(size=(140, 40)) as pilot:
        while app.query_one(DataTable).row_count == 0:
            await asyncio.sleep(0.002)
        print({"total": time.perf_counter() - t0, "app": time.perf_counter() - t0, "rows": ROWS})
asyncio.run(main())
'''


def run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return eval(out.stdout.strip().splitlines()[-1])  # noqa: S307 - our own subprocess's dict


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    xt = [run(XTALENT.replace("ROOT", repr(str(ROOT)))) for _ in range(args.runs)]
    rows = xt[0]["rows"]
    bare = [run(BARE.replace("NROWS", str(rows))) for _ in range(args.runs)]
    report = {
        "runs": args.runs,
        "rows": rows,
        "xtalent_launch_to_dashboard_s": round(statistics.median(r["total"] for r in xt), 3),
        "xtalent_app_start_to_rows_s": round(statistics.median(r["app"] for r in xt), 3),
        "bare_textual_datatable_s": round(statistics.median(r["total"] for r in bare), 3),
        "xtalent_all_s": [round(r["total"], 3) for r in xt],
        "bare_all_s": [round(r["total"], 3) for r in bare],
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

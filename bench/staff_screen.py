"""The staff screen (p) at 1,000 engagements, against the dashboard's own first paint in the same run.

    python bench/staff_screen.py                 # large (1,000 engagements), 5 runs
    python bench/staff_screen.py --size municipal --runs 9

Timed as a user meets it, in a fresh process per run on a database made by `xtalent import`
(bench/run.py's `prepare`): the launch up to the dashboard's first paint (the frame holding
every row), then `p` pressed, and from the key:
  * shown: the staff screen's first frame (its header, filters and loading line);
  * first: the first frame holding employees' rows (a screenful: the rest go in batches after,
    TextTable.fill) — who receives what (views/rowcache.current_receptions), the people file, the
    rows computed (xtalent.views.staff);
  * rows: the frame holding every employee's row.
"warm" (the receptions kept, as `xtalent import` leaves them) and "cold" (their file deleted)
runs alternate.  Medians; each figure also as a ratio to the dashboard's first paint measured in
the same run.
The target (issue 16): the staff screen opens (its first frame with rows) in ≤ 0.3 s at 1,000
engagements.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import PRESS_LIKE_A_TERMINAL, median, prepare, run_child  # noqa: E402

CHILD = r"""
import time; T0 = time.perf_counter()
""" + PRESS_LIKE_A_TERMINAL + r"""
import asyncio, json, sys

from xtalent.cli import parse_args
from xtalent.cli.context import Context
from xtalent.cli.tui import build_app
from xtalent.i18n import set_language
from textual.widgets import DataTable

async def main():
    set_language("ja")
    args = parse_args(["--db", sys.argv[1], "--today", "2026-11-23", "--lang", "ja"])
    app = build_app(Context.from_args(args))
    want = int(sys.argv[2])
    async with app.run_test(size=(120, 40)) as pilot:
        while True:
            tables = [t for t in app.screen.query(DataTable)]
            if tables and tables[0].row_count >= want:
                break
            await asyncio.sleep(0.002)
        await tables[0].wait_for_refresh()
        paint = time.perf_counter() - T0
        await asyncio.sleep(1.0)  # the launch's background warm-up, as a user's first seconds
        await app.workers.wait_for_complete()
        from xtalent_screens.staff import StaffScreen
        t1 = time.perf_counter()
        press(app, "p")  # as a terminal's driver posts it (bench/run.py PRESS_LIKE_A_TERMINAL)
        while not isinstance(app.screen, StaffScreen) or not app.screen.query("#staff-table"):
            await asyncio.sleep(0.0005)
        screen = app.screen
        table = screen.query_one("#staff-table", DataTable)
        await table.wait_for_refresh()
        shown = time.perf_counter() - t1
        while not screen.loaded or table.row_count == 0:
            await asyncio.sleep(0.0005)
        await table.wait_for_refresh()
        first = time.perf_counter() - t1
        while table.row_count < len(screen.shown_rows):
            await asyncio.sleep(0.002)
        await table.wait_for_refresh()
        rows = time.perf_counter() - t1
        n = table.row_count
    print(json.dumps({"paint": paint, "shown": shown, "first": first, "rows": rows, "employees": n}))

asyncio.run(main())
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="large")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import os

    os.environ.setdefault("XTALENT_CONFIG", str(Path(tempfile.gettempdir()) / "xtalent-bench-no-settings.toml"))
    print(f"load average before: {os.getloadavg()}")
    # "warm": who receives what kept from an earlier opening (views/rowcache.current_receptions),
    # as the import leaves it; "cold": that file deleted before the run (every engagement read).
    from xtalent.views import rowcache

    kinds: dict[str, list[dict]] = {"warm": [], "cold": []}
    with tempfile.TemporaryDirectory(prefix="xtalent-bench-staff-") as tmp:
        db, count, _ = prepare(args.size, Path(tmp))
        for _ in range(args.runs):
            kinds["warm"].append(run_child(CHILD, str(db), str(count)))
            rowcache.staff_path(db).unlink(missing_ok=True)
            kinds["cold"].append(run_child(CHILD, str(db), str(count)))
    print(f"{args.size}: {count} engagements, {kinds['warm'][0]['employees']} employees, {args.runs} runs (medians)")
    for kind, runs in kinds.items():
        paint = median([r["paint"] for r in runs])
        shown = median([r["shown"] for r in runs])
        first = median([r["first"] for r in runs])
        rows = median([r["rows"] for r in runs])
        print(f"{kind}:")
        print(f"  dashboard first paint          {paint:6.2f} s   (the floor of this run)")
        print(f"  p → staff screen shown         {shown:6.2f} s   {shown / paint:5.2f}× the first paint")
        print(f"  p → first frame with rows      {first:6.2f} s   {first / paint:5.2f}× the first paint   target ≤ 0.3 s: "
              f"{'met' if first <= 0.3 else 'NOT met'}")
        print(f"  p → every employee's row       {rows:6.2f} s   {rows / paint:5.2f}× the first paint   (the rest in batches)")
        print("  per run (paint, shown, first, rows):", ", ".join(f"({r['paint']:.2f}, {r['shown']:.2f}, {r['first']:.2f}, {r['rows']:.2f})" for r in runs))
    print(f"load average after: {os.getloadavg()}")

if __name__ == "__main__":
    main()

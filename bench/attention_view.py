"""The attention view (w) at 1,000 engagements, against the dashboard's own first paint in the same run.

    python bench/attention_view.py                 # large (1,000 engagements), 5 runs
    python bench/attention_view.py --size municipal --runs 9

The attention part of bench/run.py on its own (that one times every target of issue 17 and takes
minutes): a database made by `xtalent import` (bench/run.py's `prepare`), a fresh process per
run, the launch up to the dashboard's first paint (the frame holding every row), 1.5 s of reading,
then `w` posted as a terminal posts it, and from the key:
  * first: the first frame holding the view's rows (a screenful; the rest go in batches);
  * every: the frame holding every row.
"warm": the view's rows kept from an earlier opening (views/rowcache.py), as the import leaves
them; "cold": that file deleted before the run.  Medians, each also as a ratio to the
dashboard's first paint.  The target (issue 16): the view opens in ≤ 0.3 s at 1,000 engagements.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import CHILD_ATTENTION, median, prepare, run_child  # noqa: E402

# bench/run.py's child, timing the dashboard's first paint from the start of the process too.
CHILD = "import time; T0 = time.perf_counter()\n" + CHILD_ATTENTION.replace(
    "        await asyncio.sleep(1.5)\n",
    "        await app.screen.query(DataTable).first().wait_for_refresh()\n"
    "        paint = time.perf_counter() - T0\n"
    "        await asyncio.sleep(1.5)\n",
).replace('print(json.dumps({"first": first,', 'print(json.dumps({"paint": paint, "first": first,')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="large")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from xtalent.views import rowcache

    os.environ.setdefault("XTALENT_CONFIG", str(Path(tempfile.gettempdir()) / "xtalent-bench-no-settings.toml"))
    print(f"load average before: {os.getloadavg()}")
    runs: dict[str, list[dict]] = {"warm": [], "cold": []}
    with tempfile.TemporaryDirectory(prefix="xtalent-bench-attention-") as tmp:
        db, count, _ = prepare(args.size, Path(tmp))
        run_child(CHILD, str(db), str(count))  # its rows for today, as a first opening leaves them
        for _ in range(args.runs):
            runs["warm"].append(run_child(CHILD, str(db), str(count)))
            rowcache.attention_path(db).unlink(missing_ok=True)
            runs["cold"].append(run_child(CHILD, str(db), str(count)))
    print(f"{args.size}: {count} engagements, {runs['warm'][0]['rows']} rows, {args.runs} runs (medians)")
    for kind, samples in runs.items():
        paint = median([r["paint"] for r in samples])
        first = median([r["first"] for r in samples])
        every = median([r["every"] for r in samples])
        print(f"  {kind}: dashboard first paint {paint:6.2f} s;  w → first frame with rows {first:6.2f} s "
              f"({first / paint:4.2f}× the paint; target ≤ 0.3 s: {'met' if first <= 0.3 else 'NOT met'});"
              f"  every row {every:6.2f} s")
        print("    per run (paint, first, every):", ", ".join(f"({r['paint']:.2f}, {r['first']:.2f}, {r['every']:.2f})" for r in samples))
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()

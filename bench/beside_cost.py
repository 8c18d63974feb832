"""What keeping the attention view's rows and the staff screen's receptions costs after a new day's rows.

    python bench/beside_cost.py DB [RUNS]        # a copy of DB is used; 3 runs by default

In-process CPU seconds (this process, and its children: the helper process), medians of RUNS
interleaved runs on a copy of a database made by `xtalent import` (bench/run.py prepare), each for
a day none is kept for:
  rows           the dashboard's rows of every engagement from its file (build_rows(store.scan()));
  rows+entries   the same pass also computing each engagement's attention entry and receptions
                 (rowcache.Beside.entries) while it is loaded: what computing them with the rows
                 would add to a cold or new day's paint (an upper bound: the findings are
                 evaluated twice here; with them shared, commit 7e2c6db, it was +43 %);
  keep_beside    the follow-up as the dashboard runs it once the rows are shown
                 (rowcache.keep_beside: every entry computed, half in a helper process, kept with
                 both views' first screenfuls), wall and CPU.
The collector is disabled in the first two (a launch freezes what it imported; the rows' own
garbage is what is measured), as bench/rows_from_scratch.py does.
"""

from __future__ import annotations

import gc
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def cpu() -> tuple[float, float]:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def main() -> None:
    from xtalent.store import Store
    from xtalent.views import rowcache
    from xtalent.views.dashboard import build_rows, dashboard_row

    source, runs = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with tempfile.TemporaryDirectory(prefix="xtalent-beside-") as tmp:
        db = Path(tmp) / "db"
        shutil.copytree(source, db)
        store = Store.open(db)
        found: dict[str, list[tuple[float, float, float]]] = {"rows": [], "rows+entries": [], "keep_beside": []}
        day = date(2030, 4, 1)
        for n in range(runs):
            order = ("rows", "rows+entries") if n % 2 == 0 else ("rows+entries", "rows")
            for name in (*order, "keep_beside"):
                day += timedelta(days=1)  # nothing kept for it
                beside = rowcache.Beside(day, "ja")
                if name != "keep_beside":
                    gc.disable()
                (own, kids), t0 = cpu(), time.perf_counter()
                if name == "rows":
                    build_rows(store.scan(), day, "ja")
                elif name == "rows+entries":
                    for engagement in store.scan():
                        dashboard_row(engagement, day, "ja")
                        beside.entries(engagement)
                else:
                    rowcache.keep_beside(store, beside)
                (own2, kids2), t1 = cpu(), time.perf_counter()
                gc.enable()
                gc.collect()
                found[name].append((t1 - t0, own2 - own, kids2 - kids))
    print(f"{sys.argv[1]}: {runs} runs, medians")
    for name, samples in found.items():
        wall, own, kids = (statistics.median(s[i] for s in samples) for i in range(3))
        print(f"  {name:<13} wall {wall:6.2f} s   CPU {own:6.2f} s here + {kids:5.2f} s in the helper"
              f"   per run (wall, CPU here): {', '.join(f'({s[0]:.2f}, {s[1]:.2f})' for s in samples)}")


if __name__ == "__main__":
    main()

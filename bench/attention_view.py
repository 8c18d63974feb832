"""The attention view (w) at 1,000 engagements, against the dashboard's own first paint in the same run.

    python bench/attention_view.py                 # large (1,000 engagements), 5 runs of each
    python bench/attention_view.py --size municipal --runs 9

The attention part of bench/run.py on its own (that one times every target of issue 17 and takes
minutes), with the same child (bench/run.py CHILD_VIEW): a database made by `xtalent import`, a
fresh process per run, the launch up to the dashboard's first paint, 1.5 s of reading, then `w`
posted as a terminal posts it, and from the key the view's first frame, the first frame holding
its rows, and the frame holding every row.  Opened "warm" (as the last opening left it), "after a
change" (a stage of the busiest engagement moved and saved since: bench/run.py change_one),
without its kept head (views/firstscreen.py), "cold" (its kept rows deleted too), "new day" (the
day's first `w`: yesterday's kept data, none of today's, the key pressed 1.5 s after the dashboard
shows today's rows: bench/run.py as_yesterday) and "upgrade" (no kept data at all, likewise), the
six interleaved.  Medians, each also as a ratio to the dashboard's first paint of the same launches.
The target (issue 16): the view opens in ≤ 0.3 s at 1,000 engagements.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import view_main  # noqa: E402

if __name__ == "__main__":
    view_main("attention", __doc__)

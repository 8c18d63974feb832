"""The staff screen (p) at 1,000 engagements, against the dashboard's own first paint in the same run.

    python bench/staff_screen.py                 # large (1,000 engagements), 5 runs of each
    python bench/staff_screen.py --size municipal --runs 9

The staff part of bench/run.py on its own, with the same child (bench/run.py CHILD_VIEW): a
database made by `xtalent import`, a fresh process per run, the launch up to the dashboard's first
paint, 1.5 s of reading, then `p` posted as a terminal posts it, and from the key the screen's
first frame, the first frame holding employees' rows, and the frame holding every employee's row.
Opened "warm" (as the last opening left it), "after a change" (a stage of the busiest engagement
moved and saved since: bench/run.py change_one), without its kept head (views/firstscreen.py),
"cold" (the receptions kept per engagement deleted too: every engagement read), "new day"
(yesterday's kept data, none of today's, the key pressed 1.5 s after the dashboard shows today's
rows) and "upgrade" (no kept data at all: a first launch or a new code version's first `p`,
likewise), the six interleaved.  Medians, each also as a ratio to the dashboard's first
paint of the same launches.  The target (issue 16): the screen opens in ≤ 0.3 s at 1,000
engagements.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import view_main  # noqa: E402

if __name__ == "__main__":
    view_main("staff", __doc__)

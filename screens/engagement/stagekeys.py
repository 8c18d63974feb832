"""A screen's stage keys (`]`, `[`) and their saves (fastpaths.step_stage)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xtalent.models import Engagement


class StageKeys:
    """A screen's stage keys (`]`, `[`): their saves one at a time, each starting from the copy the
    user saw or from the previous key's save when that is newer.  `]` pressed again before the
    first save is on screen would otherwise start from the same copy, be the same step again, and
    merge into nothing: a key lost (seen on a busy machine)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # held by a key's worker from its start to its save
        self.last_saved: Engagement | None = None

    def start_from(self, seen: Engagement | None) -> Engagement | None:
        """What the next key's change starts from (under `lock`).  A newer copy saved by
        another process is not taken: the save merges with it, or shows a conflict."""
        last = self.last_saved
        if last is not None and (seen is None or last.revision > seen.revision):
            return last
        return seen

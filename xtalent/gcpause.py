"""Pausing the cyclic garbage collector around bulk work and during the TUI's launch."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Callable, Iterator


def pause_collector() -> Callable[[], None]:
    """Switch the collector off; the returned function switches it back on (once, and only if
    it was on: nested pauses leave it to the outermost one).

    The TUI's launch allocates ~50,000 objects that live as long as the process (modules,
    widgets, styles, the message catalog): collections during the launch walk them again and
    again, and the first full one (~15 ms) landed just before the first paint.  The app
    resumes the collector once the dashboard is on screen (screens/app.py)."""
    was_enabled = gc.isenabled()
    gc.disable()
    resumed = False

    def resume() -> None:
        nonlocal resumed
        if not resumed:
            resumed = True
            if was_enabled:
                gc.enable()

    return resume


@contextmanager
def collector_paused() -> Iterator[None]:
    """Validating and checking engagements allocates only acyclic objects (reference counting
    frees them), but so many that full collections keep walking every object still alive:
    ~10-15 % of the time at a thousand engagements.  Peak memory was measured unchanged."""
    resume = pause_collector()
    try:
        yield
    finally:
        resume()

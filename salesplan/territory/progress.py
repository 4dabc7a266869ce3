"""The clock of one :func:`~salesplan.territory.assign` run: a progress bar over its stages, and the time limit."""

from __future__ import annotations

import sys
import time
from typing import Sequence

#: Seconds a run must last before its progress bar shows (short runs never show one).
BAR_DELAY_S = 3.0


class _Clock:
    """Stages of a run on a tqdm bar, and whether a user's time limit (``stop_after``, s) is past.

    ``show``: True always shows the bar (once the run lasts ``BAR_DELAY_S``),
    False never, None only on a terminal.  The limit is checked between
    stages and inside the long ones; the prices and the first plan are always
    made, so a run cut short still returns a whole plan.
    """

    def __init__(self, stages: Sequence[str], stop_after: float | None, show: bool | None):
        self.t0 = time.perf_counter()
        self.stop_after = stop_after
        self.cut_short = False
        self.bar = None
        if show or (show is None and sys.stderr.isatty()):
            from tqdm.auto import tqdm

            self.bar = tqdm(total=len(stages), desc="territories", unit="stage", delay=BAR_DELAY_S, leave=False)

    def stage(self, name: str) -> None:
        """Enter stage ``name`` (the bar advances past the previous one)."""
        if self.bar is not None:
            if self.bar.n or self.bar.postfix:
                self.bar.update(1)
            self.bar.set_postfix_str(name, refresh=False)

    def out_of_time(self) -> bool:
        """Whether the time limit is past (then it stays so: the run winds up with what it has)."""
        if self.stop_after is not None and time.perf_counter() - self.t0 > self.stop_after:
            self.cut_short = True
        return self.cut_short

    def close(self) -> None:
        """Take the bar off the screen."""
        if self.bar is not None:
            self.bar.close()

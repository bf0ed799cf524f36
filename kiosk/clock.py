"""Clocks the session's idle timeout can run on."""

from __future__ import annotations

import time


class OffsetClock:
    """Monotonic time plus an offset that can only grow: the tour and tests skip ahead with it
    instead of sleeping through an idle timeout."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.offset

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock does not go back")
        self.offset += seconds

"""Clocks: simulated (advanced by the data) and live (the wall clock), both in UTC ns."""

from __future__ import annotations

import time

from aitrader.core.errors import DataError


class SimClock:
    """A clock moved by the engine as data is replayed; never goes backwards."""

    __slots__ = ("_now",)

    def __init__(self, start_ns: int = 0) -> None:
        self._now = start_ns

    def now_ns(self) -> int:
        """Current simulated time."""
        return self._now

    def advance_to(self, ts_ns: int) -> None:
        """Move time forward; moving backwards is a data error."""
        if ts_ns < self._now:
            raise DataError(f"time went backwards: {ts_ns} after {self._now}")
        self._now = ts_ns


class LiveClock:
    """The wall clock, UTC ns; ``advance_to`` is a no-op so the engine loop stays the same."""

    __slots__ = ()

    def now_ns(self) -> int:
        """Current wall-clock time."""
        return time.time_ns()

    def advance_to(self, ts_ns: int) -> None:
        """Live time moves by itself."""

"""Clocks: simulated (advanced by the data) and live (the wall clock), both in UTC ns."""

from __future__ import annotations

import time

from aitrader.core.errors import DataError


class SimClock:
    """A clock moved by the engine as data is replayed; never goes backwards."""

    __slots__ = ("ns",)

    def __init__(self, start_ns: int = 0) -> None:
        #: the current time; only :meth:`advance_to` and the engine's bar loop (which makes the
        #: same monotonic check itself, to save a call per bar) write it
        self.ns = start_ns

    def now_ns(self) -> int:
        """Current simulated time."""
        return self.ns

    def advance_to(self, ts_ns: int) -> None:
        """Move time forward; moving backwards is a data error."""
        if ts_ns < self.ns:
            raise DataError(f"time went backwards: {ts_ns} after {self.ns}")
        self.ns = ts_ns


class LiveClock:
    """The wall clock, UTC ns; ``advance_to`` is a no-op so the engine loop stays the same."""

    __slots__ = ()

    def now_ns(self) -> int:
        """Current wall-clock time."""
        return time.time_ns()

    def advance_to(self, ts_ns: int) -> None:
        """Live time moves by itself."""

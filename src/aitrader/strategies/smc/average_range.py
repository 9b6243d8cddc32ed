"""Wilder's average true range, one closed bar at a time (private to the SMC trackers)."""

from __future__ import annotations

from aitrader.core.errors import StrategyError


class WilderAtr:
    """ATR with Wilder's smoothing: the first value is the mean true range of ``period`` bars
    (the first bar's true range is its high - low), then ``atr += (tr - atr) / period``."""

    __slots__ = ("_count", "_prev_close", "_sum", "period", "value")

    def __init__(self, period: int) -> None:
        if period < 1:
            raise StrategyError(f"ATR period must be >= 1, was {period}")
        self.period = period
        self.value: float | None = None
        self._prev_close: float | None = None
        self._sum = 0.0
        self._count = 0

    def update(self, high: float, low: float, close: float) -> float | None:
        """Add a closed bar; the ATR once ``period`` bars were seen, else None."""
        pc = self._prev_close
        tr = high - low if pc is None else max(high, pc) - min(low, pc)
        self._prev_close = close
        if self.value is None:
            self._sum += tr
            self._count += 1
            if self._count == self.period:
                self.value = self._sum / self.period
        else:
            self.value += (tr - self.value) / self.period
        return self.value

"""The closed bars an analysis has seen so far (the only data its trackers may read)."""

from __future__ import annotations

from aitrader.core.errors import StrategyError


class BarHistory:
    """Append-only OHLC columns; index ``i`` is the ``i``-th closed bar."""

    __slots__ = ("close", "high", "low", "open")

    def __init__(self) -> None:
        self.open: list[float] = []
        self.high: list[float] = []
        self.low: list[float] = []
        self.close: list[float] = []

    def __len__(self) -> int:
        return len(self.close)

    def append(self, o: float, h: float, lo: float, c: float) -> int:
        """Add a closed bar and return its index; refuses bars whose high/low do not hold it."""
        if not (lo <= min(o, c) and h >= max(o, c)):
            raise StrategyError(
                f"bar {len(self.close)} is not consistent: low {lo} must be <= open {o} and "
                f"close {c}, high {h} must be >= both"
            )
        self.open.append(o)
        self.high.append(h)
        self.low.append(lo)
        self.close.append(c)
        return len(self.close) - 1

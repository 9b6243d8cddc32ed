"""The dealing range (latest swing low to latest swing high) for premium and discount."""

from __future__ import annotations

from aitrader.strategies.smc.structures import DealingRange, Swing


class DealingRangeTracker:
    """Range from the latest confirmed swing low to the latest confirmed swing high.

    When price has traded beyond either end since that swing formed, the end moves to the
    extreme reached (so a breakout stretches the range instead of leaving price "outside").
    Undefined until one swing of each kind is confirmed.
    """

    def __init__(self) -> None:
        self._high: float | None = None
        self._low: float | None = None

    def on_swings(self, swings: list[Swing], highs_since: list[float],
                  lows_since: list[float]) -> None:
        """New swings reset their end to the extreme from the swing bar to now."""
        for s in swings:
            if s.is_high:
                self._high = max(highs_since[s.index:])
            else:
                self._low = min(lows_since[s.index:])

    def on_bar(self, high: float, low: float) -> None:
        """Stretch the ends to a new extreme."""
        if self._high is not None and high > self._high:
            self._high = high
        if self._low is not None and low < self._low:
            self._low = low

    def current(self) -> DealingRange | None:
        """The range now, or None before both ends exist."""
        if self._high is None or self._low is None:
            return None
        return DealingRange(self._low, self._high)

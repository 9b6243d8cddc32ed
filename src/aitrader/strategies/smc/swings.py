"""Swing highs and lows with a configurable lookback, confirmed ``lookback`` bars later."""

from __future__ import annotations

from aitrader.core.errors import StrategyError
from aitrader.strategies.smc.history import BarHistory
from aitrader.strategies.smc.structures import Swing


class SwingDetector:
    """Finds swings once they are confirmed.

    Bar ``c`` is a swing high when its high is strictly above the highs of the ``lookback``
    bars before it and at least as high as the highs of the ``lookback`` bars after it (so of
    two equal highs, the first is the swing). Swing lows mirror this. The swing becomes known
    when bar ``c + lookback`` closes; bars without a full window on the left are never swings.
    """

    def __init__(self, lookback: int) -> None:
        if lookback < 1:
            raise StrategyError(f"swing lookback must be >= 1, was {lookback}")
        self.lookback = lookback

    def on_bar(self, bars: BarHistory, t: int) -> list[Swing]:
        """Swings confirmed by the close of bar ``t`` (at most one high and one low)."""
        n = self.lookback
        c = t - n
        if c - n < 0:
            return []
        found: list[Swing] = []
        h = bars.high
        hc = h[c]
        if hc > max(h[c - n:c]) and hc >= max(h[c + 1:t + 1]):
            found.append(Swing(c, t, hc, True))
        lo = bars.low
        lc = lo[c]
        if lc < min(lo[c - n:c]) and lc <= min(lo[c + 1:t + 1]):
            found.append(Swing(c, t, lc, False))
        return found

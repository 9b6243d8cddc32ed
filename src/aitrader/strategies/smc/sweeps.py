"""Liquidity sweeps: a wick beyond a resting swing that closes back inside."""

from __future__ import annotations

from aitrader.core.errors import StrategyError
from aitrader.strategies.smc.history import BarHistory
from aitrader.strategies.smc.structures import Direction, LiquiditySweep, Swing


class SweepTracker:
    """Every confirmed swing rests as liquidity until price first trades beyond it.

    On that bar: a swing high whose level the high exceeded while the close stayed strictly
    below it is **swept** (BEARISH sweep); a close at or above it takes it for good (no
    sweep). Swing lows mirror this (BULLISH sweep). Either way the swing stops resting.
    Swings older than ``max_age`` bars stop resting too, which keeps the check bounded.
    """

    def __init__(self, max_age: int = 1000) -> None:
        if max_age < 1:
            raise StrategyError(f"sweep max_age must be >= 1, was {max_age}")
        self.max_age = max_age
        self.sweeps: list[LiquiditySweep] = []
        self._highs: list[Swing] = []
        self._lows: list[Swing] = []

    def on_swings(self, swings: list[Swing]) -> None:
        """Newly confirmed swings start resting."""
        for s in swings:
            (self._highs if s.is_high else self._lows).append(s)

    def on_bar(self, bars: BarHistory, t: int) -> list[LiquiditySweep]:
        """Sweeps made by bar ``t`` (called before this bar's own swings are added)."""
        h, lo, c = bars.high[t], bars.low[t], bars.close[t]
        oldest = t - self.max_age
        found: list[LiquiditySweep] = []
        rest_h: list[Swing] = []
        for s in self._highs:
            if s.index < oldest:
                continue
            if h > s.price:
                if c < s.price:
                    found.append(LiquiditySweep(t, Direction.BEARISH, s))
            else:
                rest_h.append(s)
        rest_l: list[Swing] = []
        for s in self._lows:
            if s.index < oldest:
                continue
            if lo < s.price:
                if c > s.price:
                    found.append(LiquiditySweep(t, Direction.BULLISH, s))
            else:
                rest_l.append(s)
        self._highs, self._lows = rest_h, rest_l
        self.sweeps.extend(found)
        return found

    def resting(self) -> list[Swing]:
        """Swings still resting as liquidity."""
        return self._highs + self._lows

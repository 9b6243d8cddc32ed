"""Breakout: a close above the previous Donchian high on above-average volume; out on a close
below the previous (shorter) Donchian low."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from pydantic import Field

from aitrader.core.market_data import Bar
from aitrader.strategies.bar_indicators import SMA, BarIndicator, Highest, Lowest
from aitrader.strategies.base import Strategy, StrategyParams


class BreakoutParams(StrategyParams):
    """Parameters of the Donchian breakout."""

    entry_period: int = Field(20, ge=2, le=10_000, description="bars in the entry channel")
    exit_period: int = Field(10, ge=1, le=10_000, description="bars in the exit channel")
    volume_period: int = Field(20, ge=1, le=10_000, description="bars in the average volume")
    volume_factor: float = Field(1.5, ge=0, le=100,
                                 description="entry volume must exceed this × average")
    quantity: Decimal = Field(Decimal(1), gt=0, description="base quantity per entry")


class Breakout(Strategy):
    """Donchian channel breakout confirmed by volume (long-only).

    The channels and the average volume are those of the bars *before* the
    current one, so the current bar can break them. When flat: buy if ``close > highest high of
    the previous entry_period bars`` and ``volume > volume_factor × mean volume of the previous
    volume_period bars``. When long: sell if ``close < lowest low of the previous exit_period``.
    """

    name = "donchian_breakout"
    Params = BreakoutParams

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._high: BarIndicator  # the engine's handles, from on_start
        self._low: BarIndicator
        self._volume: BarIndicator
        self._previous = (math.nan, math.nan, math.nan)  # their values on the previous bar

    def on_start(self) -> None:
        """Ask the engine for the channels and the average volume (they include the bar)."""
        p: BreakoutParams = self.params
        self._high = self.indicator(Highest(p.entry_period, "high"))
        self._low = self.indicator(Lowest(p.exit_period, "low"))
        self._volume = self.indicator(SMA(p.volume_period, "volume"))
        self._previous = (math.nan, math.nan, math.nan)  # a restart waits one bar

    def on_bar(self, bar: Bar) -> None:
        """Compare the close with the channels of the previous bar, then remember this bar's."""
        p: BreakoutParams = self.params
        upper, lower, avg_volume = self._previous
        self._previous = (self._high.value, self._low.value, self._volume.value)
        pos = self.position()
        if pos == 0:
            if (not math.isnan(upper) and not math.isnan(avg_volume) and bar.close > upper
                    and bar.volume > p.volume_factor * avg_volume):
                self.buy(p.quantity, tag="breakout-entry")
        elif pos > 0 and bar.close < lower:  # NaN lower never triggers
            self.sell(pos, reduce_only=True, tag="breakout-exit")

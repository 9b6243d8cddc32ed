"""Trend following: EMA crossover, entered only when ADX says a trend is present."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import Field, model_validator

from aitrader.core.market_data import Bar
from aitrader.indicators.adx import StreamingDMI
from aitrader.indicators.ema import StreamingEMA
from aitrader.strategies.base import Strategy, StrategyParams


class TrendFollowingParams(StrategyParams):
    """Parameters of the EMA/ADX trend follower."""

    fast: int = Field(12, ge=1, le=10_000, description="fast EMA period in bars")
    slow: int = Field(26, ge=2, le=10_000, description="slow EMA period in bars")
    adx_period: int = Field(14, ge=2, le=1_000, description="ADX period in bars")
    adx_min: float = Field(25.0, ge=0, le=100, description="enter only when ADX >= this")
    quantity: Decimal = Field(Decimal(1), gt=0, description="base quantity per entry")

    @model_validator(mode="after")
    def _fast_below_slow(self) -> TrendFollowingParams:
        if self.fast >= self.slow:
            raise ValueError(f"fast must be < slow, was fast={self.fast} slow={self.slow}")
        return self


class TrendFollowing(Strategy):
    """EMA crossover entries, taken only when ADX shows a trend (long-only).

    On each close: ``up = ema_fast > ema_slow``. When ``up`` turns true (a cross
    up: the previous bar had both EMAs and was not up) and ADX >= ``adx_min``, buy if flat; when
    ``up`` turns false, sell the long. A cross up under a weak ADX is skipped, not deferred.
    """

    name = "trend_ema_adx"
    Params = TrendFollowingParams

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        p: TrendFollowingParams = self.params
        self._fast = StreamingEMA(p.fast)
        self._slow = StreamingEMA(p.slow)
        self._dmi = StreamingDMI(p.adx_period)
        self._up: bool | None = None

    def on_bar(self, bar: Bar) -> None:
        """Update the EMAs and ADX, then act on a cross."""
        p: TrendFollowingParams = self.params
        fast = self._fast.update(bar.close)
        slow = self._slow.update(bar.close)
        strength = self._dmi.update(bar.high, bar.low, bar.close).adx
        if fast != fast or slow != slow:
            return
        up = fast > slow
        prev, self._up = self._up, up
        if prev is None or up == prev:
            return
        pos = self.position()
        if up and pos == 0 and strength >= p.adx_min:  # NaN ADX (warming up) never passes
            self.buy(p.quantity, tag="trend-entry")
        elif not up and pos > 0:
            self.sell(pos, reduce_only=True, tag="trend-exit")

"""Trend following: EMA crossover, entered only when ADX says a trend is present."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import Field, model_validator

from aitrader.core.market_data import Bar
from aitrader.strategies.bar_indicators import EMA
from aitrader.strategies.base import Strategy, StrategyParams
from aitrader.strategies.indicator_parts import DMI


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
        self._up: bool | None = None

    def on_start(self) -> None:
        """Ask the engine for the two EMAs of the close and the ADX."""
        p: TrendFollowingParams = self.params
        self._fast = self.indicator(EMA(p.fast))
        self._slow = self.indicator(EMA(p.slow))
        self._adx = self.indicator(DMI(p.adx_period, "adx"))

    def on_bar(self, bar: Bar) -> None:
        """Act on a cross of the EMAs at this close."""
        p: TrendFollowingParams = self.params
        fast, slow, strength = self._fast.value, self._slow.value, self._adx.value
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

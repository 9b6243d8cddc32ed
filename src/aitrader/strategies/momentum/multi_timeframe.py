"""Multi-timeframe confirmation: lower-timeframe EMA crosses, taken only in the direction of a
higher-timeframe EMA trend computed from higher-timeframe bars that had already closed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import Field, field_validator, model_validator

from aitrader.core.errors import DataError
from aitrader.core.market_data import Bar
from aitrader.data.timeframes import parse_timeframe
from aitrader.indicators.ema import StreamingEMA
from aitrader.strategies.base import Strategy, StrategyParams
from aitrader.strategies.momentum.higher_timeframe import ClosedBarAggregator


class MultiTimeframeParams(StrategyParams):
    """Parameters of the multi-timeframe trend filter."""

    higher_timeframe: str = Field("1h", description="filter timeframe, e.g. 15m, 1h, 4h, 1d")
    htf_fast: int = Field(10, ge=1, le=10_000, description="fast EMA on higher-timeframe closes")
    htf_slow: int = Field(30, ge=2, le=10_000, description="slow EMA on higher-timeframe closes")
    fast: int = Field(9, ge=1, le=10_000, description="fast EMA on the trading timeframe")
    slow: int = Field(21, ge=2, le=10_000, description="slow EMA on the trading timeframe")
    quantity: Decimal = Field(Decimal(1), gt=0, description="base quantity per entry")

    @field_validator("higher_timeframe")
    @classmethod
    def _timeframe(cls, value: str) -> str:
        try:
            parse_timeframe(value)
        except DataError as exc:  # pydantic reports ValueErrors with the key
            raise ValueError(str(exc)) from None
        return value

    @model_validator(mode="after")
    def _fast_below_slow(self) -> MultiTimeframeParams:
        for fast, slow, label in ((self.fast, self.slow, ""), (self.htf_fast, self.htf_slow,
                                                                "htf_")):
            if fast >= slow:
                raise ValueError(f"{label}fast must be < {label}slow, was {fast} and {slow}")
        return self


class MultiTimeframe(Strategy):
    """Trading-timeframe EMA crosses filtered by a closed higher-timeframe trend (long-only).

    ``trend_up = htf_fast_ema > htf_slow_ema`` over closed higher-timeframe bars
    (unknown until both exist). On each trading bar's close: a cross up of the trading EMAs
    buys when flat and the trend is up; a cross down, or the trend turning down at the close of
    a higher-timeframe bar, sells the long.
    """

    name = "mtf_trend"
    Params = MultiTimeframeParams

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        p: MultiTimeframeParams = self.params
        self._htf = ClosedBarAggregator(parse_timeframe(p.higher_timeframe))
        self._htf_fast = StreamingEMA(p.htf_fast)
        self._htf_slow = StreamingEMA(p.htf_slow)
        self._fast = StreamingEMA(p.fast)
        self._slow = StreamingEMA(p.slow)
        self.trend_up: bool | None = None
        self._up: bool | None = None

    def on_bar(self, bar: Bar) -> None:
        """Update both timeframes, then act."""
        p: MultiTimeframeParams = self.params
        for closed in self._htf.update(bar):
            hf = self._htf_fast.update(closed.close)
            hs = self._htf_slow.update(closed.close)
            if hf == hf and hs == hs:
                self.trend_up = hf > hs
        fast = self._fast.update(bar.close)
        slow = self._slow.update(bar.close)
        if fast != fast or slow != slow:
            return
        up = fast > slow
        prev, self._up = self._up, up
        crossed = prev is not None and up != prev
        pos = self.position()
        if pos == 0:
            if crossed and up and self.trend_up:
                self.buy(p.quantity, tag="mtf-entry")
        elif pos > 0 and ((crossed and not up) or self.trend_up is False):
            self.sell(pos, reduce_only=True, tag="mtf-exit")

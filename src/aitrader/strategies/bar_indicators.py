"""Indicators a strategy asks the engine for: a spec names one, a handle shows its latest value.

A strategy registers specs in ``on_start`` (``self.fast = self.indicator(SMA(10))``) and reads
``self.fast.value`` in ``on_bar``. The engine keeps every handle current before the strategies
see a bar: in a backtest over known arrays it computes the batch kernel once over the whole
columns and hands out one value per bar; live and on paper it feeds the streaming twin bar by
bar. The indicators package guarantees the two agree bit for bit, so the same strategy code
makes the same decisions either way.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import partial
from operator import attrgetter
from typing import Literal, Protocol, get_args

from aitrader.core.market_data import Bar
from aitrader.indicators.atr import StreamingATR, atr
from aitrader.indicators.cci import StreamingCCI, cci
from aitrader.indicators.ema import StreamingEMA, ema
from aitrader.indicators.obv import StreamingOBV, obv
from aitrader.indicators.realized_volatility import (
    StreamingRealizedVolatility,
    realized_volatility,
)
from aitrader.indicators.rolling_extremes import StreamingExtreme, rolling_max, rolling_min
from aitrader.indicators.rsi import StreamingRSI, rsi
from aitrader.indicators.sma import StreamingSMA, sma
from aitrader.indicators.validation import F64, check_period
from aitrader.indicators.wma import StreamingWMA, wma
from aitrader.indicators.zscore import StreamingZScore, zscore

BarField = Literal["open", "high", "low", "close", "volume"]
BAR_FIELDS: tuple[BarField, ...] = get_args(BarField)


class StreamingTwin(Protocol):
    """A streaming indicator: ``update`` takes the spec's bar fields and returns the value."""

    @property
    def update(self) -> Callable[..., float]:
        """Add one bar's fields; return the value on that bar (NaN during the warm-up)."""
        ...


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """What to compute: ``key`` names the indicator and its parameters (two specs with one key
    must give the same values), ``fields`` the bar fields it reads, in the order ``batch`` and
    the twin's ``update`` take them."""

    key: tuple[Hashable, ...]
    fields: tuple[BarField, ...]
    batch: Callable[..., F64] = field(compare=False, repr=False)
    twin: Callable[[], StreamingTwin] = field(compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.fields:
            raise ValueError(f"indicator {self.key}: fields must name at least one bar field")
        for name in self.fields:
            check_field("fields", name)

    def compute(self, *columns: F64) -> F64:
        """The batch values over whole columns (one per field, in ``fields`` order)."""
        return self.batch(*columns)

    def reader(self, twin: StreamingTwin) -> Callable[[Bar], float]:
        """A function that feeds one bar's fields to ``twin`` and returns its new value."""
        update = twin.update
        get = attrgetter(*self.fields)
        if len(self.fields) == 1:
            return lambda bar: update(get(bar))
        return lambda bar: update(*get(bar))


class BarIndicator:
    """One indicator of one instrument, owned by the engine: ``value`` is its value on the
    latest bar (NaN during the warm-up). Strategies read ``value``; only the engine writes it."""

    __slots__ = ("feed", "spec", "twin", "value")

    def __init__(self, spec: IndicatorSpec) -> None:
        self.spec = spec
        self.twin = spec.twin()
        self.value = math.nan
        # how the engine moves this handle to the next bar when it streams (it may swap it)
        self.feed: Callable[[Bar], float] = spec.reader(self.twin)

    def __repr__(self) -> str:
        return f"BarIndicator({self.spec.key}, value={self.value})"


def check_field(name: str, value: str) -> BarField:
    """``value`` as a bar field name, or ValueError naming the allowed ones."""
    if value not in BAR_FIELDS:
        raise ValueError(f"{name} must be one of {', '.join(BAR_FIELDS)}, was {value!r}")
    return value


def _one_source(name: str, source: str, period: int, minimum: int, batch: Callable[..., F64],
                twin: Callable[[int], StreamingTwin]) -> IndicatorSpec:
    """A spec of an indicator of one bar field and one period."""
    p = check_period("period", period, minimum)
    src = check_field("source", source)
    return IndicatorSpec((name, src, p), (src,), partial(batch, period=p), partial(twin, p))


def SMA(period: int, source: BarField = "close") -> IndicatorSpec:  # noqa: N802 - reads as a type
    """Simple moving average of ``source`` over ``period`` bars."""
    return _one_source("sma", source, period, 1, sma, StreamingSMA)


def EMA(period: int, source: BarField = "close") -> IndicatorSpec:  # noqa: N802 - reads as a type
    """Exponential moving average (seeded by the SMA of the first ``period`` values)."""
    return _one_source("ema", source, period, 1, ema, StreamingEMA)


def WMA(period: int, source: BarField = "close") -> IndicatorSpec:  # noqa: N802 - reads as a type
    """Linearly weighted moving average."""
    return _one_source("wma", source, period, 1, wma, StreamingWMA)


def RSI(period: int = 14, source: BarField = "close") -> IndicatorSpec:  # noqa: N802 - a type
    """Relative strength index with Wilder smoothing (period >= 2)."""
    return _one_source("rsi", source, period, 2, rsi, StreamingRSI)


def ZScore(period: int = 20, source: BarField = "close") -> IndicatorSpec:  # noqa: N802 - a type
    """z-score of the value within its window (period >= 2)."""
    return _one_source("zscore", source, period, 2, zscore, StreamingZScore)


def Highest(period: int, source: BarField = "high") -> IndicatorSpec:  # noqa: N802 - a type
    """Highest ``source`` of the last ``period`` bars (the current one included)."""
    return _one_source("highest", source, period, 1, rolling_max,
                       partial(StreamingExtreme, highest=True))


def Lowest(period: int, source: BarField = "low") -> IndicatorSpec:  # noqa: N802 - a type
    """Lowest ``source`` of the last ``period`` bars (the current one included)."""
    return _one_source("lowest", source, period, 1, rolling_min,
                       partial(StreamingExtreme, highest=False))


def RealizedVolatility(period: int = 20, periods_per_year: float = 1.0,  # noqa: N802 - a type
                       source: BarField = "close") -> IndicatorSpec:
    """Root mean square of the last ``period`` log returns times sqrt(periods_per_year)."""
    p = check_period("period", period)
    src = check_field("source", source)
    scale = float(periods_per_year)
    if not math.isfinite(scale) or scale <= 0:
        raise ValueError(f"periods_per_year must be a finite number > 0, was {periods_per_year!r}")
    return IndicatorSpec(("realized_volatility", src, p, scale), (src,),
                         partial(realized_volatility, period=p, periods_per_year=scale),
                         partial(StreamingRealizedVolatility, p, scale))


def ATR(period: int = 14) -> IndicatorSpec:  # noqa: N802 - reads as a type
    """Average true range with Wilder smoothing, from high, low and close."""
    p = check_period("period", period)
    return IndicatorSpec(("atr", p), ("high", "low", "close"), partial(atr, period=p),
                         partial(StreamingATR, p))


def CCI(period: int = 14) -> IndicatorSpec:  # noqa: N802 - reads as a type
    """Commodity channel index of the typical price (period >= 2)."""
    p = check_period("period", period, 2)
    return IndicatorSpec(("cci", p), ("high", "low", "close"), partial(cci, period=p),
                         partial(StreamingCCI, p))


def OBV() -> IndicatorSpec:  # noqa: N802 - reads as a type
    """On-balance volume from close and volume."""
    return IndicatorSpec(("obv",), ("close", "volume"), obv, StreamingOBV)

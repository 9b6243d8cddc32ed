"""Keltner channel (the modern form): EMA of the close ± ``multiplier`` × ATR. TA-Lib has no
Keltner; it equals TA-Lib's EMA and ATR combined the same way."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from aitrader.indicators.atr import StreamingATR, atr
from aitrader.indicators.donchian import ChannelValue
from aitrader.indicators.ema import StreamingEMA, ema
from aitrader.indicators.validation import as_series, check_period

F64 = npt.NDArray[np.float64]


def _check(period: int, atr_period: int, multiplier: float) -> None:
    check_period("period", period)
    check_period("atr_period", atr_period)
    if not math.isfinite(multiplier) or multiplier < 0:
        raise ValueError(f"multiplier must be a finite number >= 0, was {multiplier!r}")


def keltner(high: npt.ArrayLike, low: npt.ArrayLike, close: npt.ArrayLike, period: int = 20,
            atr_period: int = 10, multiplier: float = 2.0) -> tuple[F64, F64, F64]:
    """(upper, middle, lower); NaN until both the EMA and the ATR exist."""
    _check(period, atr_period, multiplier)
    h, lo, c = as_series(high=high, low=low, close=close)
    mid = ema(c, period)
    band = atr(h, lo, c, atr_period) * multiplier
    ok = ~(np.isnan(mid) | np.isnan(band))
    mid = np.where(ok, mid, np.nan)
    return mid + band, mid, mid - band


class StreamingKeltner:
    """One bar at a time; equals :func:`keltner` bit for bit."""

    __slots__ = ("_atr", "_ema", "multiplier", "value")

    def __init__(self, period: int = 20, atr_period: int = 10, multiplier: float = 2.0) -> None:
        _check(period, atr_period, multiplier)
        self.multiplier = float(multiplier)
        self._ema = StreamingEMA(period)
        self._atr = StreamingATR(atr_period)
        self.value = ChannelValue(math.nan, math.nan, math.nan)

    def update(self, high: float, low: float, close: float) -> ChannelValue:
        """Add a bar; return (upper, middle, lower)."""
        mid = self._ema.update(close)
        band = self._atr.update(high, low, close) * self.multiplier
        if mid == mid and band == band:
            self.value = ChannelValue(mid + band, mid, mid - band)
        return self.value

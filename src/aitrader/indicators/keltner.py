"""Keltner channel (the modern form): EMA of the close ± ``multiplier`` × ATR. TA-Lib has no
Keltner; it equals TA-Lib's EMA and ATR combined the same way."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import njit

from aitrader.indicators.atr import StreamingATR, true_range_of, wilder_factors
from aitrader.indicators.donchian import ChannelValue
from aitrader.indicators.ema import StreamingEMA
from aitrader.indicators.validation import as_series, check_period, first_valid

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
    b = first_valid(h, lo, c)
    n = len(h)
    upper, mid, lower = np.empty(n), np.empty(n), np.empty(n)
    for arr in (upper, mid, lower):
        arr[:b] = np.nan
    _keltner(h[b:], lo[b:], c[b:], period, atr_period, float(multiplier),
             upper[b:], mid[b:], lower[b:])
    return upper, mid, lower


@njit(cache=True, error_model="numpy")
def _keltner(h: F64, lo: F64, c: F64, period: int, atr_period: int, multiplier: float,
             upper: F64, mid: F64, lower: F64) -> None:
    """The EMA and the ATR in one pass, with :mod:`ema`'s and :mod:`atr`'s exact operations."""
    n = len(h)
    start = max(period - 1, atr_period)
    k = 2.0 / (period + 1)
    inv, decay = wilder_factors(atr_period)
    ema_v = 0.0
    atr_v = 0.0
    for i in range(n):
        v = c[i]
        if i < period:
            ema_v += v
            if i == period - 1:
                ema_v = ema_v / period
        else:
            ema_v = ((v - ema_v) * k) + ema_v
        if i >= 1:
            tr = true_range_of(h[i], lo[i], c[i - 1])
            if atr_period == 1:
                atr_v = tr
            elif i <= atr_period:
                atr_v += tr
                if i == atr_period:
                    atr_v = atr_v / atr_period
            else:
                atr_v = atr_v * decay + tr * inv
        if i >= start:
            band = atr_v * multiplier
            upper[i], mid[i], lower[i] = ema_v + band, ema_v, ema_v - band
        else:
            upper[i] = mid[i] = lower[i] = np.nan


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

"""Slow stochastic oscillator as TA-Lib's STOCH with SMA smoothing: fast %K =
``(close - lowest low) / ((highest high - lowest low) / 100)`` (0 when the range is 0),
slow %K = SMA of fast %K, slow %D = SMA of slow %K; both start on bar
``k_period + k_slowing + d_period - 3``."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from numba import njit

from aitrader.indicators.rolling_extremes import StreamingExtreme, rolling_max, rolling_min
from aitrader.indicators.sma import StreamingSMA, sma
from aitrader.indicators.validation import as_series, check_period, first_valid

F64 = npt.NDArray[np.float64]


class StochasticValue(NamedTuple):
    """Slow %K and %D of one bar (NaN while warming up)."""

    k: float
    d: float


def _periods(k_period: int, k_slowing: int, d_period: int) -> None:
    check_period("k_period", k_period)
    check_period("k_slowing", k_slowing)
    check_period("d_period", d_period)


@njit(cache=True, error_model="numpy")
def _fast_k(close: float, highest: float, lowest: float) -> float:
    diff = (highest - lowest) / 100.0
    return (close - lowest) / diff if diff != 0.0 else 0.0


@njit(cache=True, error_model="numpy")
def _fast_k_into(c: F64, hh: F64, ll: F64, out: F64) -> None:
    for i in range(len(c)):
        if hh[i] == hh[i]:
            out[i] = _fast_k(c[i], hh[i], ll[i])


def stochastic(high: npt.ArrayLike, low: npt.ArrayLike, close: npt.ArrayLike, k_period: int = 5,
               k_slowing: int = 3, d_period: int = 3) -> tuple[F64, F64]:
    """(slow %K, slow %D)."""
    _periods(k_period, k_slowing, d_period)
    h, lo, c = as_series(high=high, low=low, close=close)
    n = len(h)
    k_out, d_out = np.full(n, np.nan), np.full(n, np.nan)
    b = first_valid(h, lo, c)
    fast = np.full(n - b, np.nan)
    _fast_k_into(c[b:], rolling_max(h[b:], k_period), rolling_min(lo[b:], k_period), fast)
    slow_k = sma(fast, k_slowing)
    slow_d = sma(slow_k, d_period)
    start = b + k_period + k_slowing + d_period - 3
    k_out[start:] = slow_k[start - b:]
    d_out[start:] = slow_d[start - b:]
    return k_out, d_out


class StreamingStochastic:
    """One bar at a time; equals :func:`stochastic` bit for bit."""

    __slots__ = ("_count", "_d", "_hi", "_k", "_lo", "_start", "value")

    def __init__(self, k_period: int = 5, k_slowing: int = 3, d_period: int = 3) -> None:
        _periods(k_period, k_slowing, d_period)
        self._hi = StreamingExtreme(k_period, highest=True)
        self._lo = StreamingExtreme(k_period, highest=False)
        self._k = StreamingSMA(k_slowing)
        self._d = StreamingSMA(d_period)
        self._start = k_period + k_slowing + d_period - 3
        self._count = 0
        self.value = StochasticValue(math.nan, math.nan)

    def update(self, high: float, low: float, close: float) -> StochasticValue:
        """Add a bar; return (slow %K, slow %D)."""
        if self._count == 0 and not (high == high and low == low and close == close):
            return self.value
        i = self._count
        self._count = i + 1
        hh = self._hi.update(high)
        ll = self._lo.update(low)
        if hh != hh:
            return self.value
        diff = (hh - ll) / 100.0
        fast = (close - ll) / diff if diff != 0.0 else 0.0
        k = self._k.update(fast)
        d = self._d.update(k) if k == k else math.nan
        if i >= self._start:
            self.value = StochasticValue(k, d)
        return self.value

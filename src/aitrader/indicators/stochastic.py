"""Slow stochastic oscillator as TA-Lib's STOCH with SMA smoothing: fast %K =
``(close - lowest low) / ((highest high - lowest low) / 100)`` (0 when the range is 0),
slow %K = SMA of fast %K, slow %D = SMA of slow %K; both start on bar
``k_period + k_slowing + d_period - 3``."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from numba import njit, uint64

from aitrader.indicators.exact_sum import BLOCK, window_scratch, window_sums
from aitrader.indicators.rolling_extremes import (
    StreamingExtreme,
    high_low_block,
    rolling_max,
    rolling_min,
)
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


def stochastic(high: npt.ArrayLike, low: npt.ArrayLike, close: npt.ArrayLike, k_period: int = 5,
               k_slowing: int = 3, d_period: int = 3) -> tuple[F64, F64]:
    """(slow %K, slow %D)."""
    _periods(k_period, k_slowing, d_period)
    h, lo, c = as_series(high=high, low=low, close=close)
    n = len(h)
    k_out, d_out = np.empty(n), np.empty(n)
    b = first_valid(h, lo, c)
    k_out[:b] = np.nan
    d_out[:b] = np.nan
    if _stochastic(h[b:], lo[b:], c[b:], k_period, k_slowing, d_period, k_out[b:], d_out[b:]):
        _with_nans(h[b:], lo[b:], c[b:], k_period, k_slowing, d_period, k_out[b:], d_out[b:])
    return k_out, d_out


@njit(cache=True, error_model="numpy")
def _stochastic(h: F64, lo: F64, c: F64, k_period: int, k_slowing: int, d_period: int,
                k_out: F64, d_out: F64) -> bool:
    """Block by block: the window extremes, fast %K into a buffer that keeps the last
    ``k_slowing - 1`` values of the previous block, slow %K and %D by :func:`window_sums`
    (the values of ``sma``) while the block is in cache. True if an input holds a NaN (then
    the outputs are not valid)."""
    n = len(h)
    first_k = k_period + k_slowing - 2  # the first bar with a slow %K
    start = first_k + d_period - 1  # ... and with a slow %D: where both begin
    keep = k_slowing - 1
    fast = np.empty(keep + BLOCK)  # fast[j]: fast %K of bar fs - keep + j
    highest, lowest = np.empty(BLOCK), np.empty(BLOCK)
    k_sums = window_scratch(k_slowing, BLOCK)
    d_sums = window_scratch(d_period, BLOCK)
    for fs in range(k_period - 1, n, BLOCK):
        m = min(BLOCK, n - fs)
        hh, ll = highest[:m], lowest[:m]
        if high_low_block(h, lo, k_period, fs, hh, ll):
            return True
        _fast_k_into(c[fs:fs + m], hh, ll, fast[keep:keep + m])
        ks = max(fs, first_k)  # first bar of this block with a slow %K
        if ks < fs + m:
            window_sums(fast, k_slowing, float(k_slowing), ks - fs + keep, k_out[ks:fs + m],
                        k_sums)
        ds = max(fs, first_k + d_period - 1)
        if ds < fs + m:
            window_sums(k_out, d_period, float(d_period), ds, d_out[ds:fs + m], d_sums)
        for j in range(keep):  # forward: safe however keep and m compare
            fast[j] = fast[m + j]
    k_out[: min(n, start)] = np.nan
    d_out[: min(n, start)] = np.nan
    return False


@njit(cache=True, error_model="numpy", boundscheck=False)
def _fast_k_into(c: F64, hh: F64, ll: F64, out: F64) -> None:
    """``(close - lowest) / ((highest - lowest) / 100)``, 0 for a flat range (TA-Lib's)."""
    for i in range(uint64(len(c))):
        diff = (hh[i] - ll[i]) / 100.0
        out[i] = (c[i] - ll[i]) / diff if diff != 0.0 else 0.0


def _with_nans(h: F64, lo: F64, c: F64, k_period: int, k_slowing: int, d_period: int,
               k_out: F64, d_out: F64) -> None:
    """The same values for series holding NaNs, from the general kernels (NaN-aware)."""
    hh, ll = rolling_max(h, k_period), rolling_min(lo, k_period)
    fast = np.full(len(h), np.nan)
    valid = hh == hh
    diff = (hh[valid] - ll[valid]) / 100.0
    with np.errstate(divide="ignore", invalid="ignore"):
        fk = (c[valid] - ll[valid]) / diff
    fast[valid] = np.where(diff != 0.0, fk, 0.0)
    k_out[:] = sma(fast, k_slowing)
    d_out[:] = sma(k_out, d_period)
    start = k_period + k_slowing + d_period - 3
    k_out[:start] = np.nan
    d_out[:start] = np.nan


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

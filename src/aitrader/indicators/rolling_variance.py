"""Population mean and variance of each window, numerically stable at any price level.

The mean is the correctly rounded window mean (as :mod:`sma`). The sum of squared deviations is
updated per bar by the sliding-window Welford identity
``M2 += (x_new - x_old)·((x_new - mean_new) + (x_old - mean_old))`` and recomputed from the window
every ``period`` bars, so rounding never accumulates past one window. TA-Lib instead subtracts
``mean²`` from ``mean(x²)``, which on BTC prices (x² ≈ 4e9) loses about six digits of a 1-minute
standard deviation; the bands it returns still agree with ours to ~1e-10 because the
deviation is small next to the price.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np
import numpy.typing as npt
from numba import njit, uint64

from aitrader.indicators.exact_sum import BLOCK, window_scratch, window_sums

F64 = npt.NDArray[np.float64]


@njit(cache=True, error_model="numpy")
def mean_std(x: F64, period: int, k_up: float, k_down: float, mean: F64, upper: F64,
             lower: F64) -> None:
    """Window means, ``mean + k_up·std`` and ``mean - k_down·std`` (population std) into
    ``mean``, ``upper`` and ``lower`` (the Bollinger kernel)."""
    w = min(len(x), period - 1)
    mean[:w] = np.nan
    upper[:w] = np.nan
    lower[:w] = np.nan
    block = period * max(1, BLOCK // period)  # whole rebuild cycles
    scratch = window_scratch(period, block)
    for start in range(period - 1, len(x), block):
        m = mean[start:start + block]
        window_sums(x, period, float(period), start, m, scratch)
        _deviations(x, period, start, m, upper[start:start + block], False)
        _bands(m, upper[start:start + block], lower[start:start + block], period, k_up, k_down)


@njit(cache=True, error_model="numpy")
def zscores(x: F64, period: int, out: F64) -> None:
    """The z-score of each value in its window into ``out`` (the z-score kernel; the means
    live in one block-sized buffer, so no temporary as long as the series)."""
    out[: min(len(x), period - 1)] = np.nan
    block = period * max(1, BLOCK // period)
    scratch = window_scratch(period, block)
    mean = np.empty(block)
    for start in range(period - 1, len(x), block):
        z = out[start:start + block]
        m = mean[: len(z)]
        window_sums(x, period, float(period), start, m, scratch)
        _deviations(x, period, start, m, z, True)


@njit(cache=True, error_model="numpy", boundscheck=False)
def _deviations(x: F64, period: int, start: int, mean: F64, out: F64, zscore: bool) -> None:
    """The sums of squared deviations of the block of bars ``start, start + 1, ...`` (whole
    rebuild cycles: one from the window, then ``period - 1`` sliding updates) into ``out``,
    then — a second pass the compiler vectorizes, square roots and divisions four at a time —
    the z-scores in their place when ``zscore``."""
    x = x[start + 1 - period:start + len(out)]  # out[i] is the window x[i:i + period]
    for first in range(0, len(out), period):
        m = mean[first]
        m2 = 0.0
        for v in x[first:first + period]:
            d = v - m
            m2 += d * d
        out[first] = m2
        for i in range(first + 1, min(first + period, len(out))):
            new = x[i + period - 1]
            old = x[i - 1]
            prev = m
            m = mean[i]
            m2 += (new - old) * ((new - m) + (old - prev))
            out[i] = m2
    if zscore:
        p = np.float64(period)
        for i in range(uint64(len(out))):
            m2 = out[i]
            std = math.sqrt((m2 if m2 > 0.0 else 0.0) / p)
            d = x[i + uint64(period - 1)] - mean[i]
            out[i] = d / std if std > 0.0 else (0.0 if std == 0.0 else np.nan)


@njit(cache=True, error_model="numpy", boundscheck=False)
def _bands(mean: F64, upper: F64, lower: F64, period: int, k_up: float, k_down: float) -> None:
    """``upper`` holds sums of squared deviations; make it and ``lower`` the bands (vectorized
    like the z-scores)."""
    p = np.float64(period)
    for i in range(uint64(len(mean))):
        m2 = upper[i]
        std = math.sqrt((m2 if m2 > 0.0 else 0.0) / p)
        m = mean[i]
        upper[i] = m + std * k_up
        lower[i] = m - std * k_down


class StreamingMeanVariance:
    """Window mean and population variance, one value at a time; equals the batch bit for bit."""

    __slots__ = ("_count", "_m2", "_window", "mean", "period", "variance")

    def __init__(self, period: int) -> None:
        self.period = period
        self._window: deque[float] = deque(maxlen=period)
        self._count = 0
        self._m2 = 0.0
        self.mean = math.nan
        self.variance = math.nan

    @property
    def started(self) -> bool:
        """True once a first value has been added."""
        return self._count > 0

    def update(self, x: float) -> float:
        """Add a value; return the variance (NaN until the window is full)."""
        window = self._window
        p = self.period
        old = window[0] if len(window) == p else math.nan
        window.append(x)
        i = self._count
        self._count = i + 1
        if i < p - 1:
            return math.nan
        prev_mean = self.mean
        m = math.fsum(window) / p
        self.mean = m
        if (i - p + 1) % p == 0:
            m2 = 0.0
            for v in window:
                d = v - m
                m2 += d * d
        else:
            m2 = self._m2 + (x - old) * ((x - m) + (old - prev_mean))
        self._m2 = m2
        self.variance = (m2 if m2 > 0.0 else 0.0) / p
        return self.variance

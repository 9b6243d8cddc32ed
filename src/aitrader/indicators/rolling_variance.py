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
from numba import njit

from aitrader.indicators.exact_sum import rolling_fsum_into

F64 = npt.NDArray[np.float64]


@njit(cache=True, error_model="numpy")
def mean_std(x: F64, period: int, k_up: float, k_down: float, zscore: bool,
             mean: F64, a: F64, b: F64) -> None:
    """Window means, and ``mean + k_up·std`` / ``mean - k_down·std`` (population std), or with
    ``zscore`` the z-score of each value in the second array (one pass, no temporaries: the
    Bollinger and z-score kernels), into ``mean``, ``a`` and ``b``."""
    n = len(x)
    rolling_fsum_into(x, period, float(period), mean)
    w = min(n, period - 1)
    a[:w] = np.nan
    b[:w] = np.nan
    m2 = 0.0
    rebuild = 0  # bars until the sum of squared deviations is recomputed from the window
    for i in range(period - 1, n):
        m = mean[i]
        if rebuild == 0:
            m2 = 0.0
            for k in range(i - period + 1, i + 1):
                d = x[k] - m
                m2 += d * d
            rebuild = period
        else:
            new = x[i]
            old = x[i - period]
            m2 += (new - old) * ((new - m) + (old - mean[i - 1]))
        rebuild -= 1
        std = math.sqrt((m2 if m2 > 0.0 else 0.0) / period)
        if zscore:
            a[i] = (x[i] - m) / std if std > 0.0 else (0.0 if std == 0.0 else np.nan)
        else:
            a[i] = m + std * k_up
            b[i] = m - std * k_down


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

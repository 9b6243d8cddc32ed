"""Commodity channel index as TA-Lib: typical price ``(high + low + close) / 3``; CCI =
``(tp - mean) / (0.015 · mean absolute deviation)``, 0 when either is 0. The mean is correctly
rounded (TA-Lib sums a circular buffer in storage order); the deviation is summed in bar order."""

from __future__ import annotations

import math
from collections import deque

import numpy as np
import numpy.typing as npt
from numba import njit

from aitrader.indicators.exact_sum import rolling_fsum
from aitrader.indicators.validation import as_series, check_period, first_valid

F64 = npt.NDArray[np.float64]


def cci(high: npt.ArrayLike, low: npt.ArrayLike, close: npt.ArrayLike, period: int = 14) -> F64:
    """CCI (NaN for the first ``period - 1`` bars after any leading NaNs)."""
    check_period("period", period, 2)
    h, lo, c = as_series(high=high, low=low, close=close)
    out = np.empty(len(h))
    b = first_valid(h, lo, c)
    out[:b] = np.nan
    _cci_into(h[b:], lo[b:], c[b:], period, out[b:])
    return out


@njit(cache=True, error_model="numpy")
def _cci_into(h: F64, lo: F64, c: F64, period: int, out: F64) -> None:
    n = len(h)
    out[: min(n, period - 1)] = np.nan
    tp = np.empty(n)
    for i in range(n):
        tp[i] = (h[i] + lo[i] + c[i]) / 3
    sums = rolling_fsum(tp, period)
    for i in range(period - 1, n):
        mean = sums[i] / period
        dev = 0.0
        for k in range(i - period + 1, i + 1):
            dev += abs(tp[k] - mean)
        diff = tp[i] - mean
        out[i] = diff / (0.015 * (dev / period)) if diff != 0.0 and dev != 0.0 else 0.0


class StreamingCCI:
    """One bar at a time; equals :func:`cci` bit for bit."""

    __slots__ = ("_window", "period", "value")

    def __init__(self, period: int = 14) -> None:
        self.period = check_period("period", period, 2)
        self._window: deque[float] = deque(maxlen=period)
        self.value = math.nan

    def update(self, high: float, low: float, close: float) -> float:
        """Add a bar; return the CCI (NaN during the warm-up)."""
        tp = (high + low + close) / 3
        window = self._window
        if not window and tp != tp:
            return math.nan
        window.append(tp)
        p = self.period
        if len(window) < p:
            return math.nan
        mean = math.fsum(window) / p
        dev = 0.0
        for v in window:
            dev += abs(v - mean)
        diff = tp - mean
        self.value = diff / (0.015 * (dev / p)) if diff != 0.0 and dev != 0.0 else 0.0
        if dev != dev or diff != diff:
            self.value = math.nan
        return self.value

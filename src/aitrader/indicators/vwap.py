"""Rolling volume-weighted average price over the last ``period`` bars, on the typical price
``(high + low + close) / 3``: fsum(tp·volume) / fsum(volume), NaN when the window traded nothing.
TA-Lib has no VWAP."""

from __future__ import annotations

import math
from collections import deque

import numpy as np
import numpy.typing as npt
from numba import njit

from aitrader.indicators.exact_sum import rolling_fsum
from aitrader.indicators.validation import as_series, check_period

F64 = npt.NDArray[np.float64]


def vwap(high: npt.ArrayLike, low: npt.ArrayLike, close: npt.ArrayLike, volume: npt.ArrayLike,
         period: int = 20) -> F64:
    """VWAP of each window of ``period`` bars (NaN before the first full window)."""
    check_period("period", period)
    h, lo, c, v = as_series(high=high, low=low, close=close, volume=volume)
    out: F64 = _vwap(h, lo, c, v, period)
    return out


@njit(cache=True, error_model="numpy")
def _vwap(h: F64, lo: F64, c: F64, v: F64, period: int) -> F64:
    n = len(h)
    pv = np.empty(n)
    for i in range(n):
        pv[i] = ((h[i] + lo[i] + c[i]) / 3) * v[i]
    num = rolling_fsum(pv, period)
    den = rolling_fsum(v, period)
    out = np.full(n, np.nan)
    for i in range(period - 1, n):
        if den[i] != 0.0:
            out[i] = num[i] / den[i]
    return out


class StreamingVWAP:
    """One bar at a time; equals :func:`vwap` bit for bit."""

    __slots__ = ("_pv", "_v", "period", "value")

    def __init__(self, period: int = 20) -> None:
        self.period = check_period("period", period)
        self._pv: deque[float] = deque(maxlen=period)
        self._v: deque[float] = deque(maxlen=period)
        self.value = math.nan

    def update(self, high: float, low: float, close: float, volume: float) -> float:
        """Add a bar; return the VWAP (NaN during the warm-up or when nothing traded)."""
        self._pv.append(((high + low + close) / 3) * volume)
        self._v.append(volume)
        if len(self._v) < self.period:
            return math.nan
        den = math.fsum(self._v)
        self.value = math.fsum(self._pv) / den if den != 0.0 else math.nan
        return self.value

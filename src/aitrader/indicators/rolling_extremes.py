"""Highest and lowest value of each window (monotonic deques: O(1) amortized per bar, exact).

A NaN inside the window makes that window's value NaN; it leaves with the window.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np
import numpy.typing as npt
from numba import njit

from aitrader.indicators.validation import as_series, check_period

F64 = npt.NDArray[np.float64]


def rolling_max(values: npt.ArrayLike, period: int) -> F64:
    """Highest value of each window of ``period`` (NaN before the first full window)."""
    check_period("period", period)
    (x,) = as_series(values=values)
    out = np.empty(len(x))
    _extreme(x, period, True, out)
    return out


def rolling_min(values: npt.ArrayLike, period: int) -> F64:
    """Lowest value of each window of ``period`` (NaN before the first full window)."""
    check_period("period", period)
    (x,) = as_series(values=values)
    out = np.empty(len(x))
    _extreme(x, period, False, out)
    return out


@njit(cache=True, error_model="numpy")
def _extreme(x: F64, period: int, highest: bool, out: F64) -> None:
    """TA-Lib's scheme: keep the extreme and its index; rescan the window only when that index
    leaves it (rare on prices), else compare with the new value. Lows are compared negated
    (exact), so one loop serves both."""
    n = len(x)
    sign = 1.0 if highest else -1.0
    best = -np.inf  # sign * extreme
    best_i = -1
    last_bad = -1  # index of the latest NaN
    for i in range(n):
        v = sign * x[i]
        if v != v:
            last_bad = i
        lo = i - period + 1
        if best_i < lo or best_i < 0:
            best_i = -1
            best = -np.inf
            for j in range(max(lo, 0), i + 1):
                w = sign * x[j]
                if w >= best:  # NaN never is
                    best = w
                    best_i = j
        elif v >= best:
            best = v
            best_i = i
        out[i] = sign * best if i >= period - 1 and last_bad < lo and best_i >= 0 else np.nan


class StreamingExtreme:
    """Highest (``highest=True``) or lowest value of the last ``period``; equals the batch."""

    __slots__ = ("_count", "_items", "_last_bad", "_sign", "period", "value")

    def __init__(self, period: int, highest: bool = True) -> None:
        self.period = check_period("period", period)
        self._sign = 1.0 if highest else -1.0
        self._items: deque[tuple[int, float]] = deque()
        self._count = 0
        self._last_bad = -1
        self.value = math.nan

    def update(self, x: float) -> float:
        """Add a value; return the window's extreme (NaN until the window is full)."""
        i = self._count
        self._count = i + 1
        items = self._items
        if x != x:
            self._last_bad = i
        else:
            s = self._sign
            sx = s * x
            while items and s * items[-1][1] <= sx:
                items.pop()
            items.append((i, x))
        p = self.period
        while items and items[0][0] <= i - p:
            items.popleft()
        ok = i >= p - 1 and self._last_bad <= i - p and items
        self.value = items[0][1] if ok else math.nan
        return self.value

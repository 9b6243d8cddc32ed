"""Linearly weighted moving average (weights 1..period, newest heaviest).

TA-Lib's running form (weighted sum minus plain sum each bar) lets rounding in the plain sum
accumulate into the weighted sum without bound — ~1e-9 relative after 200k BTC minutes. Here
both sums follow a running recurrence too — ``weighted += x·period - plain``, ``plain += x - old``
(one add on each loop-carried chain) — but are recomputed from the window every
:func:`rebuild_every` bars (at least 256, a multiple of the period), so rounding never builds up
past a few hundred bars (agrees with TA-Lib to ~1e-13 relative on BTC minutes).
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np
import numpy.typing as npt
from numba import njit

from aitrader.indicators.validation import as_series, check_period, first_valid

F64 = npt.NDArray[np.float64]


def wma(values: npt.ArrayLike, period: int) -> F64:
    """WMA (NaN for the first ``period - 1`` values after any leading NaNs)."""
    check_period("period", period)
    (x,) = as_series(values=values)
    out = np.empty(len(x))
    b = first_valid(x)
    out[:b] = np.nan
    _wma_into(x[b:], period, rebuild_every(period), out[b:])
    return out


def rebuild_every(period: int) -> int:
    """Bars between recomputations of the sums from the window: the smallest multiple of
    ``period`` that is at least 256 (rare enough to cost nothing, often enough to keep the
    running sums' rounding small)."""
    return period * max(1, -(-256 // period))


@njit(cache=True, error_model="numpy", boundscheck=False)
def _wma_into(x: F64, period: int, every: int, out: F64) -> None:
    n = len(x)
    out[: min(n, period - 1)] = np.nan
    divider = float((period * (period + 1)) >> 1)
    for first in range(period - 1, n, every):
        plain = 0.0
        weighted = 0.0
        for j in range(period):
            v = x[first - period + 1 + j]
            plain += v
            weighted += v * (j + 1)
        out[first] = weighted / divider
        for i in range(first + 1, min(first + every, n)):
            v = x[i]
            weighted += v * period - plain
            plain += v - x[i - period]
            out[i] = weighted / divider


class StreamingWMA:
    """One value at a time; equals :func:`wma` bit for bit."""

    __slots__ = ("_count", "_divider", "_every", "_plain", "_weighted", "_window", "period",
                 "value")

    def __init__(self, period: int) -> None:
        self.period = check_period("period", period)
        self._divider = float((period * (period + 1)) >> 1)
        self._every = rebuild_every(period)
        self._window: deque[float] = deque(maxlen=period + 1)
        self._count = 0
        self._plain = 0.0
        self._weighted = 0.0
        self.value = math.nan

    def update(self, x: float) -> float:
        """Add a value; return the WMA (NaN during the warm-up)."""
        i = self._count
        if i == 0 and x != x:
            return math.nan
        self._count = i + 1
        p = self.period
        window = self._window
        window.append(x)
        if i < p - 1:
            return math.nan
        if (i - p + 1) % self._every == 0:
            plain = 0.0
            weighted = 0.0
            values = list(window)[-p:]
            for j in range(p):
                v = values[j]
                plain += v
                weighted += v * (j + 1)
            self._plain, self._weighted = plain, weighted
        else:
            self._weighted += x * p - self._plain
            self._plain += x - window[0]
        self.value = self._weighted / self._divider
        return self.value

    @property
    def ready(self) -> bool:
        """True once the window is full."""
        return self._count >= self.period

"""Exponential moving average with TA-Lib's conventions: seeded by the SMA of the first
``period`` values, then ``ema += (x - ema) * k`` with ``k = 2 / (period + 1)``."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import njit

from aitrader.indicators.validation import as_series, check_period, first_valid

F64 = npt.NDArray[np.float64]


def ema(values: npt.ArrayLike, period: int) -> F64:
    """EMA (NaN for the first ``period - 1`` values after any leading NaNs)."""
    check_period("period", period)
    (x,) = as_series(values=values)
    out = np.empty(len(x))
    b = first_valid(x)
    out[:b] = np.nan
    _ema_into(x[b:], period, 2.0 / (period + 1), 0, out[b:])
    return out


@njit(cache=True, error_model="numpy")
def _ema_into(x: F64, period: int, k: float, seed_at: int, out: F64) -> None:
    """EMA seeded by the plain (sequential, as TA-Lib) sum of ``x[seed_at:seed_at+period]``;
    writes ``out`` (NaN before ``seed_at+period-1``)."""
    n = len(x)
    first = seed_at + period - 1
    out[: min(n, first)] = np.nan
    if first >= n:
        return
    total = 0.0
    for i in range(seed_at, seed_at + period):
        total += x[i]
    prev = total / period
    out[first] = prev
    for i in range(first + 1, n):
        prev = ((x[i] - prev) * k) + prev
        out[i] = prev


class StreamingEMA:
    """One value at a time; equals :func:`ema` bit for bit."""

    __slots__ = ("_count", "_k", "_total", "period", "value")

    def __init__(self, period: int) -> None:
        self.period = check_period("period", period)
        self._k = 2.0 / (period + 1)
        self._count = 0
        self._total = 0.0
        self.value = math.nan

    def update(self, x: float) -> float:
        """Add a value; return the EMA (NaN during the warm-up)."""
        count = self._count
        if count >= self.period:
            self.value = ((x - self.value) * self._k) + self.value
            return self.value
        if count == 0 and x != x:  # leading NaNs are skipped, as in the batch version
            return math.nan
        self._total += x
        self._count = count + 1
        if self._count == self.period:
            self.value = self._total / self.period
        return self.value

    @property
    def ready(self) -> bool:
        """True once the seed window is full."""
        return self._count >= self.period

"""Relative strength index with Wilder smoothing, as TA-Lib computes it: the first average gain
and loss are plain means over ``period`` changes, then
``avg = (avg·(period-1) + change)·(1/period)`` (a multiply by the reciprocal where TA-Lib
divides: faster, and within ~1e-15 of TA-Lib); RSI = 100·gain/(gain+loss), 0 when both
averages are (near) zero."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import njit

from aitrader.indicators.validation import as_series, check_period, first_valid

F64 = npt.NDArray[np.float64]
ZERO = 1e-14  # TA-Lib's TA_IS_ZERO threshold


def rsi(values: npt.ArrayLike, period: int = 14) -> F64:
    """RSI (NaN for the first ``period`` values after any leading NaNs)."""
    check_period("period", period, 2)
    (x,) = as_series(values=values)
    out = np.empty(len(x))
    b = first_valid(x)
    out[:b] = np.nan
    _rsi_into(x[b:], period, out[b:])
    return out


@njit(cache=True, error_model="numpy")
def _ratio(gain: float, loss: float) -> float:
    total = gain + loss
    if -ZERO < total < ZERO:
        return 0.0
    return 100.0 * (gain / total)


@njit(cache=True, error_model="numpy")
def _rsi_into(x: F64, period: int, out: F64) -> None:
    n = len(x)
    out[: min(n, period)] = np.nan
    if n <= period:
        return
    gain = 0.0
    loss = 0.0
    for i in range(1, period + 1):
        d = x[i] - x[i - 1]
        if d < 0:
            loss -= d
        else:
            gain += d
    loss /= period
    gain /= period
    out[period] = _ratio(gain, loss)
    keep = float(period - 1)
    inv = 1.0 / period
    for i in range(period + 1, n):
        d = x[i] - x[i - 1]
        # selects instead of a branch (price changes are random: a branch mispredicts); adding
        # or subtracting 0.0 leaves the other average bit for bit as TA-Lib's branch does
        down = d if d < 0 else 0.0
        up = 0.0 if d < 0 else d
        loss = (loss * keep - down) * inv  # multiplies in the loop-carried chain, not divides
        gain = (gain * keep + up) * inv
        out[i] = _ratio(gain, loss)


class StreamingRSI:
    """One value at a time; equals :func:`rsi` bit for bit."""

    __slots__ = ("_count", "_gain", "_inv", "_keep", "_loss", "_prev", "period", "value")

    def __init__(self, period: int = 14) -> None:
        self.period = check_period("period", period, 2)
        self._keep = float(period - 1)
        self._inv = 1.0 / period
        self._count = 0  # values seen
        self._prev = math.nan
        self._gain = 0.0
        self._loss = 0.0
        self.value = math.nan

    def update(self, x: float) -> float:
        """Add a close; return the RSI (NaN during the warm-up)."""
        count = self._count
        if count == 0:
            if x == x:
                self._prev = x
                self._count = 1
            return math.nan
        d = x - self._prev
        self._prev = x
        self._count = count + 1
        p = self.period
        if count > p:
            down = d if d < 0 else 0.0
            up = 0.0 if d < 0 else d
            self._loss = (self._loss * self._keep - down) * self._inv
            self._gain = (self._gain * self._keep + up) * self._inv
        else:
            if d < 0:
                self._loss -= d
            else:
                self._gain += d
            if count == p:
                self._loss /= p
                self._gain /= p
        if count >= p:
            total = self._gain + self._loss
            self.value = 0.0 if -ZERO < total < ZERO else 100.0 * (self._gain / total)
        return self.value

    @property
    def ready(self) -> bool:
        """True once ``period`` changes have been seen."""
        return self._count > self.period

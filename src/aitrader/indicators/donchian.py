"""Donchian channel: highest high and lowest low of the last ``period`` bars, and their mid.

The batch kernel runs the block algorithm of :mod:`rolling_extremes` on highs and lows in one
pass and writes the three lines as it goes (one pass over memory instead of three)."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from numba import njit, uint64

from aitrader.indicators.rolling_extremes import StreamingExtreme, extreme_into
from aitrader.indicators.validation import as_series, check_period

F64 = npt.NDArray[np.float64]


class ChannelValue(NamedTuple):
    """Upper, middle and lower line of a channel on one bar (NaN while warming up)."""

    upper: float
    middle: float
    lower: float


def donchian(high: npt.ArrayLike, low: npt.ArrayLike, period: int = 20) -> tuple[F64, F64, F64]:
    """(upper, middle, lower), including the current bar; NaN before bar ``period - 1``."""
    check_period("period", period)
    h, lo = as_series(high=high, low=low)
    n = len(h)
    upper, middle, lower = np.empty(n), np.empty(n), np.empty(n)
    if _channel(h, lo, period, upper, middle, lower):  # a NaN somewhere: the rescan kernels
        extreme_into(h, period, True, upper)
        extreme_into(lo, period, False, lower)
        np.divide(upper + lower, 2.0, out=middle)
    return upper, middle, lower


@njit(cache=True, error_model="numpy", boundscheck=False)
def _channel(h: F64, lo: F64, period: int, upper: F64, middle: F64, lower: F64) -> bool:
    """Highs and lows through ``rolling_extremes._blocks`` side by side (lows negated); returns
    True if an input holds a NaN (the outputs are then not valid)."""
    n = len(h)
    suffix = np.empty((period + 1, 2))  # both suffix maxima per row, then a -inf sentinel row
    suffix[period] = -np.inf
    nan = False
    hi = -np.inf
    nl = -np.inf  # the negated lowest low
    for i in range(min(period, n)):
        v, w = h[i], -lo[i]
        nan |= (v != v) | (w != w)
        hi = hi if hi > v else v
        nl = nl if nl > w else w
        upper[i], lower[i], middle[i] = hi, -nl, (hi - nl) / 2.0
    p = uint64(period)
    for start in range(period, n, period):
        prev = uint64(start - period)
        th = -np.inf
        tl = -np.inf
        for k in range(p):
            j = p - uint64(1) - k
            v, w = h[prev + j], -lo[prev + j]
            th = v if v > th else th
            tl = w if w > tl else tl
            suffix[j, 0] = th
            suffix[j, 1] = tl
        hi = -np.inf
        nl = -np.inf
        first = uint64(start)
        for k in range(uint64(min(start + period, n) - start)):
            b = first + k
            v, w = h[b], -lo[b]
            nan |= (v != v) | (w != w)
            hi = hi if hi > v else v
            nl = nl if nl > w else w
            oh, ol = suffix[k + uint64(1), 0], suffix[k + uint64(1), 1]
            u = oh if oh > hi else hi
            d = -(ol if ol > nl else nl)
            upper[b], lower[b], middle[b] = u, d, (u + d) / 2.0
    w0 = min(n, period - 1)
    upper[:w0] = np.nan
    middle[:w0] = np.nan
    lower[:w0] = np.nan
    return nan


class StreamingDonchian:
    """One bar at a time; equals :func:`donchian` bit for bit."""

    __slots__ = ("_hi", "_lo", "period", "value")

    def __init__(self, period: int = 20) -> None:
        self.period = check_period("period", period)
        self._hi = StreamingExtreme(period, highest=True)
        self._lo = StreamingExtreme(period, highest=False)
        self.value = ChannelValue(math.nan, math.nan, math.nan)

    def update(self, high: float, low: float) -> ChannelValue:
        """Add a bar; return (upper, middle, lower)."""
        u = self._hi.update(high)
        lo = self._lo.update(low)
        self.value = ChannelValue(u, (u + lo) / 2.0, lo)
        return self.value

"""Donchian channel: highest high and lowest low of the last ``period`` bars, and their mid.

The batch kernel runs the block algorithm of :mod:`rolling_extremes` on highs and lows side by
side, a cache-sized block at a time, and averages the block while it is in cache."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from numba import njit, uint64

from aitrader.indicators.exact_sum import BLOCK
from aitrader.indicators.rolling_extremes import StreamingExtreme, extreme_into, high_low_block
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


@njit(cache=True, error_model="numpy")
def _channel(h: F64, lo: F64, period: int, upper: F64, middle: F64, lower: F64) -> bool:
    """The three lines, block by block; True if an input holds a NaN (then not valid)."""
    n = len(h)
    w = min(n, period - 1)
    upper[:w] = np.nan
    middle[:w] = np.nan
    lower[:w] = np.nan
    for start in range(period - 1, n, BLOCK):
        u = upper[start:start + BLOCK]
        d = lower[start:start + BLOCK]
        if high_low_block(h, lo, period, start, u, d):
            return True
        _mean_of(u, d, middle[start:start + BLOCK])
    return False


@njit(cache=True, error_model="numpy", boundscheck=False)
def _mean_of(u: F64, d: F64, out: F64) -> None:
    for i in range(uint64(len(u))):
        out[i] = (u[i] + d[i]) / 2.0


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

"""True range and average true range with Wilder smoothing, as TA-Lib: the first ATR (at bar
``period``) is the plain mean of the first ``period`` true ranges (bar 0 has none), then
``atr = atr·a + tr·(1/period)`` with ``a = (period-1)·(1/period)`` — TA-Lib's
``(atr·(period-1) + tr) / period`` rearranged so that one multiply and one add sit on the
loop-carried chain instead of a multiply, an add and a divide (3× shorter; the smoothing
contracts, so rounding stays at ~1e-15 of TA-Lib's values)."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import njit, uint64

from aitrader.indicators.validation import as_series, check_period, first_valid

F64 = npt.NDArray[np.float64]


@njit(cache=True, error_model="numpy")
def true_range_of(high: float, low: float, prev_close: float) -> float:
    """max(high - low, |high - prev_close|, |low - prev_close|), in TA-Lib's order."""
    # selects, not branches: which of the three wins is random, a branch would mispredict
    tr = high - low
    a = abs(high - prev_close)
    tr = a if a > tr else tr
    b = abs(low - prev_close)
    return b if b > tr else tr


def true_range(high: npt.ArrayLike, low: npt.ArrayLike, close: npt.ArrayLike) -> F64:
    """True range (NaN at the first bar, which has no previous close)."""
    h, lo, c = as_series(high=high, low=low, close=close)
    out = np.empty(len(h))
    b = first_valid(h, lo, c)
    out[: b + 1] = np.nan
    _tr_into(h[b:], lo[b:], c[b:], out[b:])
    return out


@njit(cache=True, error_model="numpy")
def _tr_into(h: F64, lo: F64, c: F64, out: F64) -> None:
    for i in range(1, len(h)):
        out[i] = true_range_of(h[i], lo[i], c[i - 1])


def atr(high: npt.ArrayLike, low: npt.ArrayLike, close: npt.ArrayLike, period: int = 14) -> F64:
    """ATR (NaN for the first ``period`` bars after any leading NaNs)."""
    check_period("period", period)
    h, lo, c = as_series(high=high, low=low, close=close)
    out = np.empty(len(h))
    b = first_valid(h, lo, c)
    out[:b] = np.nan
    _atr_into(h[b:], lo[b:], c[b:], period, out[b:])
    return out


@njit(cache=True, error_model="numpy")
def wilder_factors(period: int) -> tuple[float, float]:
    """``(1/period, (period-1)·(1/period))``: the weights of the new value and of the last."""
    inv = 1.0 / period
    return inv, (period - 1) * inv


@njit(cache=True, error_model="numpy", boundscheck=False)
def _atr_into(h: F64, lo: F64, c: F64, period: int, out: F64) -> None:
    n = len(h)
    out[: min(n, period)] = np.nan
    if n <= period:
        return
    if period == 1:  # TA-Lib returns the true range itself
        for i in range(1, n):
            out[i] = true_range_of(h[i], lo[i], c[i - 1])
        return
    total = 0.0
    for i in range(1, period + 1):
        total += true_range_of(h[i], lo[i], c[i - 1])
    prev = total / period
    out[period] = prev
    inv, decay = wilder_factors(period)
    one = uint64(1)
    for j in range(uint64(period + 1), uint64(n)):  # unsigned: no wraparound code
        prev = prev * decay + true_range_of(h[j], lo[j], c[j - one]) * inv
        out[j] = prev


class StreamingATR:
    """One bar at a time; equals :func:`atr` bit for bit."""

    __slots__ = ("_count", "_decay", "_inv", "_prev_close", "_total", "period", "value")

    def __init__(self, period: int = 14) -> None:
        self.period = check_period("period", period)
        self._inv, self._decay = wilder_factors(period)
        self._count = 0  # bars seen
        self._prev_close = math.nan
        self._total = 0.0
        self.value = math.nan

    def update(self, high: float, low: float, close: float) -> float:
        """Add a bar; return the ATR (NaN during the warm-up)."""
        count = self._count
        if count == 0:
            if high == high and low == low and close == close:
                self._prev_close = close
                self._count = 1
            return math.nan
        pc = self._prev_close
        tr = high - low
        a = abs(high - pc)
        if a > tr:
            tr = a
        b = abs(low - pc)
        if b > tr:
            tr = b
        self._prev_close = close
        self._count = count + 1
        p = self.period
        if p == 1:
            self.value = tr
        elif count <= p:
            self._total += tr
            if count == p:
                self.value = self._total / p
        else:
            self.value = self.value * self._decay + tr * self._inv
        return self.value

    @property
    def ready(self) -> bool:
        """True once ``period`` true ranges have been seen."""
        return self._count > self.period

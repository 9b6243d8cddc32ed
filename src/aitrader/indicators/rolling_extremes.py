"""Highest and lowest value of each window, exact (bit-identical to TA-Lib's MAX/MIN).

The batch kernel is van Herk/Gil-Werman's block algorithm: cut the series into blocks of
``period`` bars; a window then spans the tail of one block and the head of the next, so its
extreme is the larger of a suffix maximum of the earlier block and a prefix maximum of the later
one — three comparisons per bar whatever the data, each a branch-free ``maxsd``. (TA-Lib keeps the
extreme and rescans the window when it leaves: cheap in C, where the branch predicts well, but a
long compare-and-select chain once compiled by numba.) Ties go to the newest bar everywhere, as in
TA-Lib and the streaming twin, so even ``-0.0``/``0.0`` ties give the same bits. Lows are compared
negated (exact), so one kernel serves both.

A NaN inside the window makes that window's value NaN; it leaves with the window. Series that
contain a NaN take the rescan kernel, which handles them (market data is validated before it gets
here, so that is the rare path).
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np
import numpy.typing as npt
from numba import njit, uint64

from aitrader.indicators.validation import as_series, check_period

F64 = npt.NDArray[np.float64]


def rolling_max(values: npt.ArrayLike, period: int) -> F64:
    """Highest value of each window of ``period`` (NaN before the first full window)."""
    check_period("period", period)
    (x,) = as_series(values=values)
    out = np.empty(len(x))
    extreme_into(x, period, True, out)
    return out


def rolling_min(values: npt.ArrayLike, period: int) -> F64:
    """Lowest value of each window of ``period`` (NaN before the first full window)."""
    check_period("period", period)
    (x,) = as_series(values=values)
    out = np.empty(len(x))
    extreme_into(x, period, False, out)
    return out


@njit(cache=True, error_model="numpy")
def extreme_into(x: F64, period: int, highest: bool, out: F64) -> None:
    """Rolling max (``highest``) or min of ``x`` into ``out``."""
    if _blocks(x, period, 1.0 if highest else -1.0, out):
        _rescan(x, period, highest, out)


@njit(cache=True, error_model="numpy", boundscheck=False)
def _blocks(x: F64, period: int, sign: float, out: F64) -> bool:
    """The block algorithm on ``sign·x`` (``sign`` ±1); returns True if ``x`` holds a NaN (then
    ``out`` is not valid). Unsigned indices spare numba's negative-index wraparound code."""
    n = len(x)
    suffix = np.empty(period + 1)  # suffix maxima of the previous block, then a -inf sentinel
    suffix[period] = -np.inf
    nan = False
    head = -np.inf
    for i in range(min(period, n)):
        v = sign * x[i]
        nan |= v != v
        head = head if head > v else v  # maxsd; an equal newer value wins
        out[i] = sign * head
    p = uint64(period)
    for start in range(period, n, period):
        prev = uint64(start - period)
        tail = -np.inf
        for k in range(p):  # suffix maxima of the previous block, newest first
            j = p - uint64(1) - k
            v = sign * x[prev + j]
            tail = v if v > tail else tail
            suffix[j] = tail
        head = -np.inf
        first = uint64(start)
        for k in range(uint64(min(start + period, n) - start)):
            v = sign * x[first + k]
            nan |= v != v
            head = head if head > v else v
            older = suffix[k + uint64(1)]  # bars i-period+1 .. start-1
            out[first + k] = sign * (older if older > head else head)
    out[: min(n, period - 1)] = np.nan
    return nan


@njit(cache=True, error_model="numpy", boundscheck=False)
def high_low_block(high: F64, low: F64, period: int, start: int, highest: F64,
                   lowest: F64) -> bool:
    """Rolling max of ``high`` and min of ``low`` for bars ``start, start + 1, ...`` into the
    blocks ``highest`` and ``lowest`` (``start >= period - 1``), both series in one pass of
    :func:`_blocks`' algorithm with sub-blocks counted from ``start``; True if an input of
    these windows is NaN (the outputs are then not valid). For Donchian and the stochastic,
    which use the block while it is in cache."""
    n = len(highest)
    p = uint64(period)
    h = high[start + 1 - period:start + n]  # bar start + i is h[i + period - 1]
    lw = low[start + 1 - period:start + n]
    suffix = np.empty((period + 1, 2))  # suffix maxima of the previous sub-block, then -inf
    suffix[period] = -np.inf
    nan = False
    for e in range(period - 1):  # the first output's earlier bars
        nan |= (h[e] != h[e]) | (lw[e] != lw[e])
    for first in range(uint64(0), uint64(n), p):
        # sub-block: outputs first .. first + p - 1, i.e. h[first + p - 1 ...]; the earlier
        # bars of their windows are h[first .. first + p - 2]: their suffix maxima
        th = -np.inf
        tl = -np.inf
        for b in range(p - uint64(1)):
            j = first + p - uint64(2) - b
            v, w = h[j], -lw[j]
            th = v if v > th else th
            tl = w if w > tl else tl
            suffix[j - first + uint64(1), 0] = th
            suffix[j - first + uint64(1), 1] = tl
        hi = -np.inf
        lo = -np.inf  # the negated lowest low
        for k in range(uint64(min(first + p, uint64(n))) - first):
            j = first + p - uint64(1) + k
            v, w = h[j], -lw[j]
            nan |= (v != v) | (w != w)
            hi = hi if hi > v else v
            lo = lo if lo > w else w
            oh, ol = suffix[k + uint64(1), 0], suffix[k + uint64(1), 1]
            highest[first + k] = oh if oh > hi else hi
            lowest[first + k] = -(ol if ol > lo else lo)
    return nan


@njit(cache=True, error_model="numpy")
def _rescan(x: F64, period: int, highest: bool, out: F64) -> None:
    """TA-Lib's scheme, for series with NaNs: keep the extreme and its index; rescan the window
    only when that index leaves it, else compare with the new value."""
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

"""Correctly rounded float sums (Shewchuk's algorithm, as CPython's math.fsum), for numba.

The result equals ``math.fsum`` bit for bit, so batch indicators compiled here and streaming
ones using ``math.fsum`` agree exactly, on every Python version (``sum()`` changed in 3.12).

A window sum is kept as an exact expansion (``partials``): adding the new value and the negated
old one is exact, so rounding the expansion gives ``fsum(window)`` in O(1) per bar instead of
re-summing the window.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

PARTIALS_CAPACITY = 64  # nonoverlapping partials of any finite double sum fit comfortably


@njit(cache=True)
def grow(partials: npt.NDArray[np.float64], n: int, x: float) -> int:
    """Add ``x`` exactly to the expansion ``partials[:n]``; returns its new length."""
    i = 0
    for j in range(n):
        y = partials[j]
        if abs(x) < abs(y):
            x, y = y, x
        hi = x + y
        lo = y - (hi - x)
        if lo != 0.0:
            partials[i] = lo
            i += 1
        x = hi
    partials[i] = x
    return i + 1


@njit(cache=True)
def round_partials(partials: npt.NDArray[np.float64], n: int) -> float:
    """The expansion ``partials[:n]`` rounded correctly to one float (as math.fsum ends)."""
    if n == 0:
        return 0.0
    n -= 1
    hi = partials[n]
    lo = 0.0
    while n > 0:
        x_ = hi
        n -= 1
        y = partials[n]
        hi = x_ + y
        yr = hi - x_
        lo = y - yr
        if lo != 0.0:
            break
    # half-even rounding across several partials, as CPython does
    if n > 0 and ((lo < 0.0 and partials[n - 1] < 0.0) or (lo > 0.0 and partials[n - 1] > 0.0)):
        y = lo * 2.0
        x_ = hi + y
        yr = x_ - hi
        if y == yr:
            hi = x_
    return float(hi)


@njit(cache=True)
def fsum_range(x: npt.NDArray[np.float64], start: int, stop: int,
               partials: npt.NDArray[np.float64]) -> float:
    """``math.fsum(x[start:stop])``; ``partials`` is scratch space of at least stop-start."""
    n = 0
    for k in range(start, stop):
        n = grow(partials, n, x[k])
    return round_partials(partials, n)


@njit(cache=True)
def rolling_fsum(x: npt.NDArray[np.float64], period: int) -> npt.NDArray[np.float64]:
    """``math.fsum(x[i-period+1:i+1])`` for each full window (NaN before, and while a non-finite
    value is inside the window)."""
    n_x = len(x)
    out = np.full(n_x, np.nan)
    partials = np.empty(PARTIALS_CAPACITY)
    n = 0
    bad = 0  # non-finite values inside the window: kept out of the expansion
    for i in range(n_x):
        v = x[i]
        if np.isfinite(v):
            n = grow(partials, n, v)
        else:
            bad += 1
        if i >= period:
            old = x[i - period]
            if np.isfinite(old):
                n = grow(partials, n, -old)
            else:
                bad -= 1
        if n > PARTIALS_CAPACITY - 4:  # never seen on market data; rebuild to stay in bounds
            n = 0
            for k in range(max(0, i - period + 1), i + 1):
                if np.isfinite(x[k]):
                    n = grow(partials, n, x[k])
        if i >= period - 1 and bad == 0:
            out[i] = round_partials(partials, n)
    return out

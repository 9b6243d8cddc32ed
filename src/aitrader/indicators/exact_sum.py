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


@njit(cache=True, error_model="numpy")
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


@njit(cache=True, error_model="numpy")
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


@njit(cache=True, error_model="numpy")
def fsum_range(x: npt.NDArray[np.float64], start: int, stop: int,
               partials: npt.NDArray[np.float64]) -> float:
    """``math.fsum(x[start:stop])``; ``partials`` is scratch space of at least stop-start."""
    n = 0
    for k in range(start, stop):
        n = grow(partials, n, x[k])
    return round_partials(partials, n)


@njit(cache=True, error_model="numpy")
def rolling_fsum(x: npt.NDArray[np.float64], period: int,
                 divisor: float = 1.0) -> npt.NDArray[np.float64]:
    """:func:`rolling_fsum_into` a new array."""
    out = np.empty(len(x))
    rolling_fsum_into(x, period, divisor, out)
    return out


@njit(cache=True, error_model="numpy")
def rolling_fsum_into(x: npt.NDArray[np.float64], period: int, divisor: float,
                      out: npt.NDArray[np.float64]) -> None:
    """``math.fsum(x[i-period+1:i+1]) / divisor`` for each full window into ``out`` (NaN
    before, and while a non-finite value is inside the window).

    The window sum is carried as two floats ``s + e`` that equal it *exactly* — ``s`` a running
    sum, ``e`` its exact rounding error (two-sum) — so ``fl(s + e)`` is the correctly rounded sum,
    i.e. ``fsum(window)``, in O(1) per bar. Each update checks that ``e`` absorbed the new error
    without rounding; when it did not (values of very different magnitudes, or a non-finite
    value), that bar's sum is rebuilt from the window on an exact expansion and the pair is
    re-seeded from it. On prices the rebuild never happens.
    """
    n = len(x)
    out[: min(n, period - 1)] = np.nan
    partials = np.empty(PARTIALS_CAPACITY)
    s = 0.0
    e = 0.0
    exact = True
    for i in range(n):
        if exact:
            v = x[i]
            hi = s + v
            bb = hi - s
            t = (s - (hi - bb)) + (v - bb)
            s = hi
            e2 = e + t
            bb = e2 - e
            err = (e - (e2 - bb)) + (t - bb)
            e = e2
            err_old = 0.0
            if i >= period:
                v = -x[i - period]
                hi = s + v
                bb = hi - s
                t = (s - (hi - bb)) + (v - bb)
                s = hi
                e2 = e + t
                bb = e2 - e
                err_old = (e - (e2 - bb)) + (t - bb)
                e = e2
            exact = err == 0.0 and err_old == 0.0  # NaN (a non-finite value) is not exact
            if exact:
                if i >= period - 1:
                    out[i] = (s + e) / divisor
                continue
        # rebuild this window exactly and try to re-seed s + e from it
        finite = True
        m = 0
        for k in range(max(0, i - period + 1), i + 1):
            v = x[k]
            if not np.isfinite(v):
                finite = False
                break
            m = grow(partials, m, v)
        if not finite:
            if i >= period - 1:
                out[i] = np.nan
            continue
        s = round_partials(partials, m)
        m = grow(partials, m, -s)
        e = round_partials(partials, m)
        m = grow(partials, m, -e)
        exact = round_partials(partials, m) == 0.0
        if i >= period - 1:
            out[i] = s / divisor

"""Correctly rounded float sums (Shewchuk's algorithm, as CPython's math.fsum), for numba.

The result equals ``math.fsum`` bit for bit, so batch indicators compiled here and streaming
ones using ``math.fsum`` agree exactly, on every Python version (``sum()`` changed in 3.12).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit


@njit(cache=True)
def fsum_range(x: npt.NDArray[np.float64], start: int, stop: int,
               partials: npt.NDArray[np.float64]) -> float:
    """``math.fsum(x[start:stop])``; ``partials`` is scratch space of at least stop-start."""
    n = 0
    for k in range(start, stop):
        v = x[k]
        i = 0
        for j in range(n):
            y = partials[j]
            if abs(v) < abs(y):
                v, y = y, v
            hi = v + y
            lo = y - (hi - v)
            if lo != 0.0:
                partials[i] = lo
                i += 1
            v = hi
        partials[i] = v
        n = i + 1
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

"""On-balance volume as TA-Lib: starts at the first bar's volume, then adds the volume on an up
close and subtracts it on a down close (a plain running sum, in bar order)."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import njit

from aitrader.indicators.validation import as_series, first_valid

F64 = npt.NDArray[np.float64]


def obv(close: npt.ArrayLike, volume: npt.ArrayLike) -> F64:
    """OBV from the first bar on (after any leading NaNs)."""
    c, v = as_series(close=close, volume=volume)
    out = np.empty(len(c))
    b = first_valid(c, v)
    out[:b] = np.nan
    _obv_into(c[b:], v[b:], out[b:])
    return out


@njit(cache=True, error_model="numpy")
def _obv_into(c: F64, v: F64, out: F64) -> None:
    n = len(c)
    if n == 0:
        return
    total = v[0]
    prev = c[0]
    out[0] = total
    for i in range(1, n):
        x = c[i]
        if x > prev:
            total += v[i]
        elif x < prev:
            total -= v[i]
        out[i] = total
        prev = x


class StreamingOBV:
    """One bar at a time; equals :func:`obv` bit for bit."""

    __slots__ = ("_prev", "_started", "value")

    def __init__(self) -> None:
        self._prev = math.nan
        self._started = False
        self.value = math.nan

    def update(self, close: float, volume: float) -> float:
        """Add a bar; return the OBV."""
        prev = self._prev
        if not self._started:
            if close == close and volume == volume:
                self._started = True
                self._prev = close
                self.value = volume
            return self.value
        if close > prev:
            self.value += volume
        elif close < prev:
            self.value -= volume
        self._prev = close
        return self.value

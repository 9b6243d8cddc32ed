"""Simple moving average: a numba batch kernel and a streaming twin with identical values.

Each window is summed with correct rounding (``math.fsum``) and divided by the period — what
backtrader computes, and independent of the order of additions and of the Python version.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np
import numpy.typing as npt
from numba import njit

from aitrader.indicators.exact_sum import fsum_range


def sma(values: npt.NDArray[np.float64], period: int) -> npt.NDArray[np.float64]:
    """SMA of each window (NaN until ``period`` values exist)."""
    if period < 1:
        raise ValueError(f"period must be >= 1, was {period}")
    out: npt.NDArray[np.float64] = _sma_kernel(np.ascontiguousarray(values, dtype=np.float64),
                                               period)
    return out


@njit(cache=True)
def _sma_kernel(values: npt.NDArray[np.float64], period: int) -> npt.NDArray[np.float64]:
    n = len(values)
    out = np.full(n, np.nan)
    scratch = np.empty(period + 1)
    for i in range(period - 1, n):
        out[i] = fsum_range(values, i - period + 1, i + 1, scratch) / period
    return out


class StreamingSMA:
    """One value at a time; equals :func:`sma` bit for bit."""

    __slots__ = ("_window", "period", "value")

    def __init__(self, period: int) -> None:
        if period < 1:
            raise ValueError(f"period must be >= 1, was {period}")
        self.period = period
        self._window: deque[float] = deque(maxlen=period)
        self.value: float | None = None

    def update(self, x: float) -> float | None:
        """Add a value; return the SMA once ``period`` values have been seen, else None."""
        window = self._window
        window.append(x)
        if len(window) == self.period:
            self.value = math.fsum(window) / self.period
        return self.value

    @property
    def ready(self) -> bool:
        """True once the window is full."""
        return self.value is not None

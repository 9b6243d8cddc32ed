"""Simple moving average: a numba batch kernel and a streaming twin with identical values.

Each window is summed with correct rounding (``math.fsum``) and divided by the period — what
backtrader computes, and independent of the order of additions and of the Python version. The
batch kernel keeps the window sum as an exact expansion, so it costs O(1) per bar.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np
import numpy.typing as npt

from aitrader.indicators.exact_sum import rolling_fsum_into
from aitrader.indicators.validation import as_series, check_period

_fsum = math.fsum  # a module global: one lookup fewer per update on the hot path


def sma(values: npt.ArrayLike, period: int) -> npt.NDArray[np.float64]:
    """SMA of each window (NaN until ``period`` values exist, and while a NaN is inside)."""
    check_period("period", period)
    (x,) = as_series(values=values)
    # outputs are allocated by numpy, which asks for huge pages: page faults on fresh memory
    # otherwise cost more than the kernel
    out = np.empty(len(x))
    rolling_fsum_into(x, period, float(period), out)
    return out


class StreamingSMA:
    """One value at a time; equals :func:`sma` bit for bit (NaN during the warm-up)."""

    __slots__ = ("_window", "period", "value")

    def __init__(self, period: int) -> None:
        self.period = check_period("period", period)
        self._window: deque[float] = deque(maxlen=period)
        self.value = math.nan

    def update(self, x: float) -> float:
        """Add a value; return the SMA once ``period`` values have been seen, else NaN."""
        window = self._window
        window.append(x)
        period = self.period
        if len(window) == period:
            value = self.value = _fsum(window) / period
            return value
        return self.value

    @property
    def ready(self) -> bool:
        """True once the window is full."""
        return len(self._window) == self.period

"""Realized volatility: the root mean square of the last ``period`` log returns, scaled by
``sqrt(periods_per_year)`` (1 = per bar). Squared returns are summed with correct rounding."""

from __future__ import annotations

import math
from collections import deque

import numpy as np
import numpy.typing as npt
from numba import njit

from aitrader.indicators.exact_sum import rolling_fsum
from aitrader.indicators.validation import as_series, check_period, first_valid

F64 = npt.NDArray[np.float64]


def _check_scale(periods_per_year: float) -> None:
    if not math.isfinite(periods_per_year) or periods_per_year <= 0:
        raise ValueError(f"periods_per_year must be a finite number > 0, was {periods_per_year!r}")


def realized_volatility(close: npt.ArrayLike, period: int = 20,
                        periods_per_year: float = 1.0) -> F64:
    """sqrt(periods_per_year · mean(r²)) over ``period`` returns; NaN for the first ``period``."""
    check_period("period", period)
    _check_scale(periods_per_year)
    (c,) = as_series(close=close)
    out = np.empty(len(c))
    b = first_valid(c)
    out[:b] = np.nan
    _rv_into(c[b:], period, float(periods_per_year), out[b:])
    return out


@njit(cache=True, error_model="numpy")
def _rv_into(c: F64, period: int, scale: float, out: F64) -> None:
    n = len(c)
    out[: min(n, period)] = np.nan
    if n <= period:
        return
    sq = np.empty(n - 1)
    for i in range(1, n):
        r = math.log(c[i] / c[i - 1])
        sq[i - 1] = r * r
    sums = rolling_fsum(sq, period)
    for i in range(period, n):
        out[i] = math.sqrt(scale * (sums[i - 1] / period))


class StreamingRealizedVolatility:
    """One close at a time; equals :func:`realized_volatility` bit for bit."""

    __slots__ = ("_prev", "_scale", "_started", "_window", "period", "value")

    def __init__(self, period: int = 20, periods_per_year: float = 1.0) -> None:
        self.period = check_period("period", period)
        _check_scale(periods_per_year)
        self._scale = float(periods_per_year)
        self._window: deque[float] = deque(maxlen=period)
        self._prev = math.nan
        self._started = False
        self.value = math.nan

    def update(self, close: float) -> float:
        """Add a close; return the realized volatility (NaN during the warm-up)."""
        prev = self._prev
        if not self._started:
            self._started = close == close
            self._prev = close
            return math.nan
        self._prev = close
        r = math.log(close / prev)
        window = self._window
        window.append(r * r)
        if len(window) == self.period:
            self.value = math.sqrt(self._scale * (math.fsum(window) / self.period))
        return self.value

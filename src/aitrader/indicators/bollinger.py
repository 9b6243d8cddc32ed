"""Bollinger bands: the SMA ± ``k`` population standard deviations of the same window (TA-Lib's
BBANDS with its default SMA; see :mod:`rolling_variance` for how the deviation is computed)."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from aitrader.indicators.donchian import ChannelValue
from aitrader.indicators.rolling_variance import StreamingMeanVariance, mean_std
from aitrader.indicators.validation import as_series, check_period, first_valid

F64 = npt.NDArray[np.float64]


def _check_k(k_up: float, k_down: float) -> None:
    for name, k in (("k_up", k_up), ("k_down", k_down)):
        if not math.isfinite(k) or k < 0:
            raise ValueError(f"{name} must be a finite number >= 0, was {k!r}")


def bollinger(values: npt.ArrayLike, period: int = 20, k_up: float = 2.0,
              k_down: float = 2.0) -> tuple[F64, F64, F64]:
    """(upper, middle, lower); NaN for the first ``period - 1`` values after leading NaNs."""
    check_period("period", period)
    _check_k(k_up, k_down)
    (x,) = as_series(values=values)
    b = first_valid(x)
    n = len(x)
    mid, upper, lower = np.empty(n), np.empty(n), np.empty(n)
    for arr in (mid, upper, lower):
        arr[:b] = np.nan
    mean_std(x[b:], period, float(k_up), float(k_down), mid[b:], upper[b:], lower[b:])
    return upper, mid, lower


class StreamingBollinger:
    """One value at a time; equals :func:`bollinger` bit for bit."""

    __slots__ = ("_mv", "k_down", "k_up", "period", "value")

    def __init__(self, period: int = 20, k_up: float = 2.0, k_down: float = 2.0) -> None:
        self.period = check_period("period", period)
        _check_k(k_up, k_down)
        self.k_up, self.k_down = float(k_up), float(k_down)
        self._mv = StreamingMeanVariance(period)
        self.value = ChannelValue(math.nan, math.nan, math.nan)

    def update(self, x: float) -> ChannelValue:
        """Add a value; return (upper, middle, lower)."""
        mv = self._mv
        if not mv.started and x != x:
            return self.value
        var = mv.update(x)
        if var != var:
            return self.value
        std = math.sqrt(var)
        mid = mv.mean
        self.value = ChannelValue(mid + std * self.k_up, mid, mid - std * self.k_down)
        return self.value

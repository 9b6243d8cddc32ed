"""Donchian channel: highest high and lowest low of the last ``period`` bars, and their mid."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from aitrader.indicators.rolling_extremes import StreamingExtreme, rolling_max, rolling_min
from aitrader.indicators.validation import as_series, check_period

F64 = npt.NDArray[np.float64]


class ChannelValue(NamedTuple):
    """Upper, middle and lower line of a channel on one bar (NaN while warming up)."""

    upper: float
    middle: float
    lower: float


def donchian(high: npt.ArrayLike, low: npt.ArrayLike, period: int = 20) -> tuple[F64, F64, F64]:
    """(upper, middle, lower), including the current bar; NaN before bar ``period - 1``."""
    check_period("period", period)
    h, lo = as_series(high=high, low=low)
    upper = rolling_max(h, period)
    lower = rolling_min(lo, period)
    return upper, (upper + lower) / 2.0, lower


class StreamingDonchian:
    """One bar at a time; equals :func:`donchian` bit for bit."""

    __slots__ = ("_hi", "_lo", "period", "value")

    def __init__(self, period: int = 20) -> None:
        self.period = check_period("period", period)
        self._hi = StreamingExtreme(period, highest=True)
        self._lo = StreamingExtreme(period, highest=False)
        self.value = ChannelValue(math.nan, math.nan, math.nan)

    def update(self, high: float, low: float) -> ChannelValue:
        """Add a bar; return (upper, middle, lower)."""
        u = self._hi.update(high)
        lo = self._lo.update(low)
        self.value = ChannelValue(u, (u + lo) / 2.0, lo)
        return self.value

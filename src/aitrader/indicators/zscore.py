"""Rolling z-score: (x - window mean) / window population standard deviation; 0 when the
window is flat (every value equals the mean)."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from aitrader.indicators.rolling_variance import StreamingMeanVariance, zscores
from aitrader.indicators.validation import as_series, check_period, first_valid

F64 = npt.NDArray[np.float64]


def zscore(values: npt.ArrayLike, period: int = 20) -> F64:
    """z-score of each value within its window (NaN for the first ``period - 1``)."""
    check_period("period", period, 2)
    (x,) = as_series(values=values)
    b = first_valid(x)
    n = len(x)
    z = np.empty(n)
    z[:b] = np.nan
    zscores(x[b:], period, z[b:])
    return z


class StreamingZScore:
    """One value at a time; equals :func:`zscore` bit for bit."""

    __slots__ = ("_mv", "period", "value")

    def __init__(self, period: int = 20) -> None:
        self.period = check_period("period", period, 2)
        self._mv = StreamingMeanVariance(period)
        self.value = math.nan

    def update(self, x: float) -> float:
        """Add a value; return its z-score (NaN during the warm-up)."""
        mv = self._mv
        if not mv.started and x != x:
            return math.nan
        var = mv.update(x)
        if var != var:
            self.value = math.nan
        else:
            std = math.sqrt(var)
            self.value = (x - mv.mean) / std if std > 0.0 else 0.0
        return self.value

"""Simple moving average: batch over arrays and a streaming twin with the same values."""

from __future__ import annotations

from collections import deque

import numpy as np
import numpy.typing as npt


def sma(values: npt.NDArray[np.float64], period: int) -> npt.NDArray[np.float64]:
    """SMA of each window, summed fresh left to right (NaN until ``period`` values exist)."""
    if period < 1:
        raise ValueError(f"period must be >= 1, was {period}")
    n = len(values)
    out = np.full(n, np.nan)
    if n < period:
        return out
    windows = np.lib.stride_tricks.sliding_window_view(values, period)
    # Left-to-right accumulation column by column reproduces `sum(window)` exactly.
    acc = windows[:, 0].copy()
    for k in range(1, period):
        acc += windows[:, k]
    out[period - 1 :] = acc / period
    return out


class StreamingSMA:
    """One value at a time; equals :func:`sma` bit for bit (fresh left-to-right window sum)."""

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
            self.value = sum(window) / self.period
        return self.value

    @property
    def ready(self) -> bool:
        """True once the window is full."""
        return self.value is not None

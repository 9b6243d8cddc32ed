"""MACD with TA-Lib's conventions: both EMAs are seeded by SMAs that end on bar ``slow - 1``
(so the fast EMA's seed covers bars ``slow-fast .. slow-1``, unlike a standalone EMA), the
signal line is an SMA-seeded EMA of the MACD line, and all three outputs start on bar
``slow + signal - 2``."""

from __future__ import annotations

import math
from collections import deque
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from numba import njit

from aitrader.indicators.validation import as_series, check_period, first_valid

F64 = npt.NDArray[np.float64]


class MACDValue(NamedTuple):
    """MACD line, signal line and histogram of one bar (NaN while warming up)."""

    macd: float
    signal: float
    hist: float


def _periods(fast: int, slow: int, signal: int) -> tuple[int, int, int]:
    check_period("fast", fast, 2)
    check_period("slow", slow, 2)
    check_period("signal", signal, 1)
    if slow < fast:  # TA-Lib swaps them too
        fast, slow = slow, fast
    return fast, slow, signal


def macd(values: npt.ArrayLike, fast: int = 12, slow: int = 26,
         signal: int = 9) -> tuple[F64, F64, F64]:
    """(MACD, signal, histogram), NaN before bar ``slow + signal - 2``."""
    fast, slow, signal = _periods(fast, slow, signal)
    (x,) = as_series(values=values)
    b = first_valid(x)
    n = len(x)
    line, sig, hist = np.empty(n), np.empty(n), np.empty(n)
    for arr in (line, sig, hist):
        arr[:b] = np.nan
    _macd(x[b:], fast, slow, signal, line[b:], sig[b:], hist[b:])
    return line, sig, hist


@njit(cache=True, error_model="numpy")
def _macd(x: F64, fast: int, slow: int, signal: int, line: F64, sig: F64, hist: F64) -> None:
    """One pass; the same operations, in the same order, as three TA-Lib EMAs."""
    n = len(x)
    start = slow + signal - 2
    w = min(n, start)
    line[:w] = np.nan
    sig[:w] = np.nan
    hist[:w] = np.nan
    if start >= n:
        return
    k_slow, k_fast, k_sig = 2.0 / (slow + 1), 2.0 / (fast + 1), 2.0 / (signal + 1)
    total = 0.0
    for i in range(slow):
        total += x[i]
    slow_ema = total / slow
    total = 0.0
    for i in range(slow - fast, slow):
        total += x[i]
    fast_ema = total / fast
    raw = fast_ema - slow_ema
    total = 0.0 + raw
    for i in range(slow, start + 1):
        v = x[i]
        slow_ema = ((v - slow_ema) * k_slow) + slow_ema
        fast_ema = ((v - fast_ema) * k_fast) + fast_ema
        raw = fast_ema - slow_ema
        total += raw
    s = total / signal
    line[start], sig[start], hist[start] = raw, s, raw - s
    for i in range(start + 1, n):
        v = x[i]
        slow_ema = ((v - slow_ema) * k_slow) + slow_ema
        fast_ema = ((v - fast_ema) * k_fast) + fast_ema
        raw = fast_ema - slow_ema
        s = ((raw - s) * k_sig) + s
        line[i], sig[i], hist[i] = raw, s, raw - s


class StreamingMACD:
    """One value at a time; equals :func:`macd` bit for bit."""

    __slots__ = ("_count", "_fast", "_k_fast", "_k_sig", "_k_slow", "_recent", "_sig",
                 "_sig_total", "_slow", "fast", "signal", "slow", "value")

    def __init__(self, fast: int = 12, slow: int = 26, signal: int = 9) -> None:
        self.fast, self.slow, self.signal = _periods(fast, slow, signal)
        self._k_fast = 2.0 / (self.fast + 1)
        self._k_slow = 2.0 / (self.slow + 1)
        self._k_sig = 2.0 / (self.signal + 1)
        self._recent: deque[float] = deque(maxlen=self.slow)
        self._count = 0
        self._fast = self._slow = self._sig = math.nan
        self._sig_total = 0.0
        self.value = MACDValue(math.nan, math.nan, math.nan)

    def update(self, x: float) -> MACDValue:
        """Add a value; return (MACD, signal, histogram), NaN while warming up."""
        i = self._count
        if i == 0 and x != x:
            return self.value
        self._count = i + 1
        slow = self.slow
        if i < slow - 1:
            self._recent.append(x)
            return self.value
        if i == slow - 1:  # both seeds end here, summed in order as TA-Lib does
            self._recent.append(x)
            total = 0.0
            for v in self._recent:
                total += v
            self._slow = total / slow
            total = 0.0
            for v in list(self._recent)[slow - self.fast:]:
                total += v
            self._fast = total / self.fast
            self._recent.clear()
        else:
            self._slow = ((x - self._slow) * self._k_slow) + self._slow
            self._fast = ((x - self._fast) * self._k_fast) + self._fast
        raw = self._fast - self._slow
        j = i - (slow - 1)  # index of this MACD value
        if j < self.signal:
            self._sig_total += raw
            if j < self.signal - 1:
                return self.value
            self._sig = self._sig_total / self.signal
        else:
            self._sig = ((raw - self._sig) * self._k_sig) + self._sig
        self.value = MACDValue(raw, self._sig, raw - self._sig)
        return self.value

    @property
    def ready(self) -> bool:
        """True once the signal line has its first value."""
        return self._count >= self.slow + self.signal - 1

"""Fused numba kernels: one call computes a feature group for every period at once.

Each output row ``i`` is computed from rows ``i - window .. i`` only, by the same compiled code
in a batch over all bars and in the live window over the last ``warmup`` bars, so both give the
same value bit for bit. Rows without enough history are NaN.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

from aitrader.indicators.exact_sum import fsum_range

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


@njit(cache=True)
def realized_vol_matrix(close: F64, windows: I64) -> F64:  # pragma: no cover - compiled
    """Std (population) of the last ``w`` one-bar log returns, one column per window."""
    n, k = len(close), len(windows)
    out = np.full((n, k), np.nan)
    for c in range(k):
        w = windows[c]
        for i in range(w, n):
            s = 0.0
            for j in range(i - w + 1, i + 1):
                s += np.log(close[j] / close[j - 1])
            mean = s / w
            ss = 0.0
            for j in range(i - w + 1, i + 1):
                d = np.log(close[j] / close[j - 1]) - mean
                ss += d * d
            out[i, c] = np.sqrt(ss / w)
    return out


@njit(cache=True)
def rsi_matrix(close: F64, periods: I64) -> F64:  # pragma: no cover - compiled
    """RSI in [0, 1] from simple means of gains and losses over ``p`` changes (0.5 if flat)."""
    n, k = len(close), len(periods)
    out = np.full((n, k), np.nan)
    for c in range(k):
        p = periods[c]
        for i in range(p, n):
            gains = 0.0
            losses = 0.0
            for j in range(i - p + 1, i + 1):
                d = close[j] - close[j - 1]
                if d > 0:
                    gains += d
                elif d < 0:
                    losses -= d
            g, lo = gains / p, losses / p
            out[i, c] = g / (g + lo) if g + lo > 0 else 0.5
    return out


@njit(cache=True)
def zscore_matrix(values: F64, periods: I64) -> F64:  # pragma: no cover - compiled
    """(x - mean) / std over the trailing ``p`` values (0 where the window is constant)."""
    n, k = len(values), len(periods)
    out = np.full((n, k), np.nan)
    for c in range(k):
        p = periods[c]
        for i in range(p - 1, n):
            s = 0.0
            for j in range(i - p + 1, i + 1):
                s += values[j]
            mean = s / p
            ss = 0.0
            for j in range(i - p + 1, i + 1):
                d = values[j] - mean
                ss += d * d
            std = np.sqrt(ss / p)
            out[i, c] = (values[i] - mean) / std if std > 0 else 0.0
    return out


@njit(cache=True)
def sma_ratio_matrix(close: F64, periods: I64) -> F64:  # pragma: no cover - compiled
    """close / SMA(p) - 1 with the SMA summed exactly (``fsum``), as ``indicators.sma`` does."""
    n, k = len(close), len(periods)
    out = np.full((n, k), np.nan)
    scratch = np.empty(int(periods.max()) + 1 if k else 1)
    for c in range(k):
        p = periods[c]
        for i in range(p - 1, n):
            mean = fsum_range(close, i - p + 1, i + 1, scratch) / p
            if mean != 0:
                out[i, c] = close[i] / mean - 1.0
    return out


@njit(cache=True)
def log_return_matrix(close: F64, horizons: I64) -> F64:  # pragma: no cover - compiled
    """log(close[i] / close[i - h]), one column per horizon."""
    n, k = len(close), len(horizons)
    out = np.full((n, k), np.nan)
    for c in range(k):
        h = horizons[c]
        for i in range(h, n):
            out[i, c] = np.log(close[i] / close[i - h])
    return out


@njit(cache=True)
def calendar_matrix(close_ts_ns: I64, hour: bool, weekday: bool) -> F64:  # pragma: no cover
    """sin/cos of the time of day and of the weekday (Monday = 0) of each bar's close."""
    day_ns = 86_400_000_000_000
    n = len(close_ts_ns)
    out = np.empty((n, 2 * (int(hour) + int(weekday))))
    for i in range(n):
        c = 0
        ts = close_ts_ns[i]
        if hour:
            angle = 2 * np.pi * ((ts % day_ns) / day_ns)
            out[i, 0], out[i, 1] = np.sin(angle), np.cos(angle)
            c = 2
        if weekday:
            dow = ((ts // day_ns) + 3) % 7  # 1970-01-01 was a Thursday
            angle = 2 * np.pi * dow / 7
            out[i, c], out[i, c + 1] = np.sin(angle), np.cos(angle)
    return out


@njit(cache=True)
def bar_shape_matrix(open_: F64, high: F64, low: F64, close: F64) -> F64:  # pragma: no cover
    """(high - low) / close and close / open - 1 (NaN on a zero denominator)."""
    n = len(close)
    out = np.full((n, 2), np.nan)
    for i in range(n):
        if close[i] != 0:
            out[i, 0] = (high[i] - low[i]) / close[i]
        if open_[i] != 0:
            out[i, 1] = close[i] / open_[i] - 1.0
    return out

"""Rolling numpy kernels over finite trailing windows.

Every value at row ``t`` depends only on rows ``t - window + 1 .. t``, computed with the same
operations whatever the length of the input: a live window of the last ``warmup`` bars gives
the batch value bit for bit (no running sums, no recursive smoothing). The window loops are
numba-compiled so one live row costs microseconds, not a numpy call per window.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

F64 = npt.NDArray[np.float64]


@njit(cache=True)
def _window_sum(values: F64, window: int) -> F64:  # pragma: no cover - compiled
    n = len(values)
    out = np.full(n, np.nan)
    for i in range(window - 1, n):
        s = 0.0
        for j in range(i - window + 1, i + 1):
            s += values[j]
        out[i] = s
    return out


@njit(cache=True)
def _window_std(values: F64, window: int) -> F64:  # pragma: no cover - compiled
    n = len(values)
    out = np.full(n, np.nan)
    for i in range(window - 1, n):
        s = 0.0
        for j in range(i - window + 1, i + 1):
            s += values[j]
        mean = s / window
        ss = 0.0
        for j in range(i - window + 1, i + 1):
            d = values[j] - mean
            ss += d * d
        out[i] = np.sqrt(ss / window)
    return out


def _f64(values: F64) -> F64:
    return np.ascontiguousarray(values, dtype=np.float64)


def log_return(close: F64, horizon: int) -> F64:
    """log(close[t] / close[t - horizon]); NaN for the first ``horizon`` rows."""
    out = np.full(len(close), np.nan)
    if len(close) > horizon:
        out[horizon:] = np.log(close[horizon:] / close[:-horizon])
    return out


def rolling_mean(values: F64, window: int) -> F64:
    """Mean of each trailing window (NaN until full)."""
    out: F64 = _window_sum(_f64(values), window) / window
    return out


def rolling_std(values: F64, window: int) -> F64:
    """Population standard deviation of each trailing window (NaN until full)."""
    out: F64 = _window_std(_f64(values), window)
    return out


def rolling_sum(values: F64, window: int) -> F64:
    """Sum of each trailing window (NaN until full)."""
    out: F64 = _window_sum(_f64(values), window)
    return out


def realized_vol(close: F64, window: int) -> F64:
    """Std of the last ``window`` one-bar log returns."""
    return rolling_std(log_return(close, 1), window)


def safe_ratio(num: F64, den: F64) -> F64:
    """num / den, NaN where den is 0."""
    zero = den == 0
    out: F64 = num / np.where(zero, 1.0, den)
    out[zero] = np.nan
    return out

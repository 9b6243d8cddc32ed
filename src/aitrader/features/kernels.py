"""Rolling numpy kernels over finite trailing windows.

Every value at row ``t`` depends only on rows ``t - window + 1 .. t``, computed with the same
operations whatever the length of the input: a live window of the last ``warmup`` bars gives
the batch value bit for bit (no running sums, no recursive smoothing).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

F64 = npt.NDArray[np.float64]


def _pad(values: F64, lead: int) -> F64:
    out = np.full(len(values) + lead, np.nan)
    out[lead:] = values
    return out


def log_return(close: F64, horizon: int) -> F64:
    """log(close[t] / close[t - horizon]); NaN for the first ``horizon`` rows."""
    out = np.full(len(close), np.nan)
    if len(close) > horizon:
        out[horizon:] = np.log(close[horizon:] / close[:-horizon])
    return out


def rolling_mean(values: F64, window: int) -> F64:
    """Mean of each trailing window (NaN until full)."""
    if len(values) < window:
        return np.full(len(values), np.nan)
    return _pad(sliding_window_view(values, window).mean(axis=1), window - 1)


def rolling_std(values: F64, window: int) -> F64:
    """Population standard deviation of each trailing window (NaN until full)."""
    if len(values) < window:
        return np.full(len(values), np.nan)
    return _pad(sliding_window_view(values, window).std(axis=1), window - 1)


def rolling_sum(values: F64, window: int) -> F64:
    """Sum of each trailing window (NaN until full)."""
    if len(values) < window:
        return np.full(len(values), np.nan)
    return _pad(sliding_window_view(values, window).sum(axis=1), window - 1)


def realized_vol(close: F64, window: int) -> F64:
    """Std of the last ``window`` one-bar log returns."""
    return rolling_std(log_return(close, 1), window)


def rsi(close: F64, period: int) -> F64:
    """RSI from simple averages of gains and losses over ``period`` changes, scaled to [0, 1]."""
    diff = np.full(len(close), np.nan)
    diff[1:] = np.diff(close)
    gains = rolling_mean(np.where(diff > 0, diff, 0.0), period)
    losses = rolling_mean(np.where(diff < 0, -diff, 0.0), period)
    total = gains + losses
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(total > 0, gains / total, 0.5)
    out[: period] = np.nan
    return out


def zscore(values: F64, window: int) -> F64:
    """(x - mean) / std over the trailing window; 0 where the window is constant."""
    mean = rolling_mean(values, window)
    std = rolling_std(values, window)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(std > 0, (values - mean) / std, 0.0)
    out[np.isnan(mean)] = np.nan
    return out


def safe_ratio(num: F64, den: F64) -> F64:
    """num / den, NaN where den is 0."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den != 0, num / den, np.nan)

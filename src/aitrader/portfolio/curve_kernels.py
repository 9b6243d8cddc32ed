"""One-pass numba kernels for the per-bar equity curve and its statistics.

Each gives the same floats, bit for bit, as the plain numpy formulation it replaces (the tests
hold them to it, NaNs included); numpy's version makes a dozen temporary arrays the size of
the run, which on a million bars costs more than the rest of the statistics together.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B1 = npt.NDArray[np.bool_]


@njit(cache=True, error_model="numpy")
def equity_from_fills(bar_ts: I64, close: F64, timeframe_ns: int, fill_ts: I64, cash: F64,
                      qty: F64, avg: F64, start_cash: float) -> tuple[F64, B1]:
    """Equity at each bar's close, ``cash + (close - avg) * qty``, from the state recorded at
    each fill, and whether a position was held.

    A fill counts from the first bar whose close is at or after it (the bar opening at or after
    ``fill_ts - timeframe_ns``); when several land on one bar, the last recorded wins; fills
    after the last close change no bar. Before the first fill: ``start_cash``, flat.
    """
    n = len(bar_ts)
    last = np.full(n, -1, dtype=np.int64)
    for k in range(len(fill_ts)):
        j = np.searchsorted(bar_ts, fill_ts[k] - timeframe_ns, side="left")
        if j < n:
            last[j] = k
    equity = np.empty(n, dtype=np.float64)
    in_market = np.empty(n, dtype=np.bool_)
    at = -1
    c, q, a = start_cash, 0.0, 0.0
    for j in range(n):
        if last[j] > at:  # the latest fill at or before this bar (a running maximum)
            at = last[j]
            c, q, a = cash[at], qty[at], avg[at]
        equity[j] = c + (close[j] - a) * q
        in_market[j] = q != 0.0
    return equity, in_market


@njit(cache=True, error_model="numpy")
def max_drawdown(equity: F64) -> float:
    """Largest peak-to-trough fall as a fraction of the peak (0.0 when there is none). Only
    positive peaks count, and a NaN poisons the running peak from there on, as
    ``np.maximum.accumulate`` does."""
    found = False
    worst = 0.0
    peak = 0.0
    for j in range(len(equity)):
        e = equity[j]
        if j == 0:
            peak = e
        elif np.isnan(peak) or np.isnan(e):
            peak = np.nan
        elif e > peak:
            peak = e
        if peak > 0.0:
            dd = (peak - e) / peak
            if not np.isnan(dd) and (not found or dd > worst):
                worst = dd
                found = True
    return worst


@njit(cache=True, error_model="numpy")
def last_of_each_day(ts_ns: I64, day_ns: int) -> I64:
    """Index of the last sample of each UTC day: where ``ts_ns // day_ns`` changes after it
    (in any direction), and the last sample."""
    n = len(ts_ns)
    out = np.empty(n, dtype=np.int64)
    m = 0
    if n == 0:
        return out
    lo = (ts_ns[0] // day_ns) * day_ns  # the current day is [lo, lo + day_ns)
    for j in range(1, n):
        t = ts_ns[j]
        if t < lo or t - lo >= day_ns:  # one division per day, not per sample
            out[m] = j - 1
            m += 1
            lo = (t // day_ns) * day_ns
    out[m] = n - 1
    return out[:m + 1]

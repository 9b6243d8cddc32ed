"""The floor: a plain Python loop over the arrays, rolling sums, the same decisions and fills."""

from __future__ import annotations

import time

import numpy as np


def run(opens: np.ndarray, closes: np.ndarray, stamps: np.ndarray, fast: int, slow: int
        ) -> tuple[float, list[list[float]]]:
    """(seconds, closed trades)."""
    o, c, t = opens.tolist(), closes.tolist(), stamps.tolist()
    started = time.perf_counter()
    trades: list[list[float]] = []
    sum_f = sum_s = 0.0
    prev_above = None
    entry = None
    pending = 0  # +1 buy / -1 sell at the next open
    for i in range(len(c)):
        if pending and entry is None and pending > 0:
            entry = (t[i], o[i])
        elif pending < 0 and entry is not None:
            trades.append([entry[0], entry[1], t[i], o[i]])
            entry = None
        pending = 0
        x = c[i]
        sum_f += x
        sum_s += x
        if i >= fast:
            sum_f -= c[i - fast]
        if i >= slow:
            sum_s -= c[i - slow]
        if i >= slow - 1:
            above = sum_f / fast > sum_s / slow
            if prev_above is not None and above != prev_above:
                pending = 1 if above else -1
            prev_above = above
    return time.perf_counter() - started, trades

"""Synthetic OHLCV bars for tests: a seeded random walk that looks like a market."""

from __future__ import annotations

import numpy as np

from aitrader.data.bar_arrays import BarArrays

MINUTE_NS = 60_000_000_000


def random_walk_bars(n: int, seed: int = 7, tick: float | None = 0.01, start: float = 30_000.0,
                     start_ns: int = 0) -> BarArrays:
    """``n`` one-minute bars of a seeded random walk (prices on a ``tick`` grid unless None,
    positive volumes on a 1e-5 grid); the same arguments give the same bars."""
    rng = np.random.default_rng(seed)
    close = start * np.exp(np.cumsum(rng.normal(0.0, 0.002, n)))
    open_ = np.r_[close[:1], close[:-1]] * np.exp(rng.normal(0.0, 0.0005, n))
    high = np.maximum(open_, close) * (1.0 + np.abs(rng.normal(0.0, 0.001, n)))
    low = np.minimum(open_, close) * (1.0 - np.abs(rng.normal(0.0, 0.001, n)))
    if tick is not None:
        open_, high, low, close = (np.round(x / tick) * tick for x in (open_, high, low, close))
    volume = np.round(rng.lognormal(1.0, 1.0, n), 5) + 1e-5
    ts = start_ns + np.arange(n, dtype=np.int64) * MINUTE_NS
    return BarArrays(ts, open_, high, low, close, volume, MINUTE_NS)

"""Small generated bar series for the research tests."""

from __future__ import annotations

import numpy as np
import pytest

from aitrader.data.bar_arrays import BarArrays

MINUTE_NS = 60_000_000_000
START_NS = 1_704_067_200 * 1_000_000_000  # 2024-01-01 UTC


def random_walk_bars(n: int, seed: int = 1, drift: float = 0.0, vol: float = 0.001,
                     start: float = 50_000.0) -> BarArrays:
    """Minute bars of a geometric random walk, prices on a 0.01 grid."""
    rng = np.random.default_rng(seed)
    close = start * np.exp(np.cumsum(rng.normal(drift, vol, n)))
    close = np.round(close, 2)
    open_ = np.round(np.concatenate([[start], close[:-1]]) * (1 + rng.normal(0, vol / 4, n)), 2)
    wick = np.abs(rng.normal(0, vol / 2, n)) * close
    high = np.round(np.maximum(open_, close) + wick, 2)
    low = np.round(np.minimum(open_, close) - wick, 2)
    ts = START_NS + np.arange(n, dtype=np.int64) * MINUTE_NS
    return BarArrays(ts, open_, high, low, close, np.ones(n), MINUTE_NS)


@pytest.fixture
def walk_bars() -> BarArrays:
    """20,000 minute bars (about two weeks) of a driftless random walk."""
    return random_walk_bars(20_000)


@pytest.fixture
def make_walk():
    """The random-walk bar factory (``random_walk_bars``)."""
    return random_walk_bars


@pytest.fixture
def make_momentum():
    """Minute bars whose returns carry AR(1) momentum: a genuine edge for SMA crossovers."""

    def build(n: int, phi: float, seed: int) -> BarArrays:
        rng = np.random.default_rng(seed)
        eps = rng.normal(0, 0.001, n)
        r = np.empty(n)
        r[0] = eps[0]
        for i in range(1, n):
            r[i] = phi * r[i - 1] + eps[i]
        close = np.round(50_000 * np.exp(np.cumsum(r)), 2)
        open_ = np.concatenate([[50_000.0], close[:-1]])
        ts = START_NS + np.arange(n, dtype=np.int64) * MINUTE_NS
        return BarArrays(ts, open_, np.maximum(open_, close) + 0.5,
                         np.minimum(open_, close) - 0.5, close, np.ones(n), MINUTE_NS)

    return build

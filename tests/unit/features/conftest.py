"""Small generated bars for the feature tests."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from aitrader.data.bar_arrays import BarArrays

MINUTE_NS = 60_000_000_000


def random_walk_bars(n: int = 600, seed: int = 1) -> BarArrays:
    """A seeded random walk of 1-minute bars starting 2024-01-01."""
    rng = np.random.default_rng(seed)
    close = 100 * np.exp(np.cumsum(rng.normal(0, 0.002, n)))
    open_ = np.concatenate([[100.0], close[:-1]])
    spread = np.abs(rng.normal(0, 0.001, n)) * close
    high = np.maximum(open_, close) + spread
    low = np.minimum(open_, close) - spread
    volume = rng.uniform(1, 10, n)
    ts = 1_704_067_200_000_000_000 + np.arange(n, dtype=np.int64) * MINUTE_NS
    return BarArrays(ts, open_, high, low, close, volume, MINUTE_NS)


@pytest.fixture
def make_bars() -> Callable[..., BarArrays]:
    """Factory of seeded random-walk bars."""
    return random_walk_bars


@pytest.fixture
def bars() -> BarArrays:
    """600 random-walk bars."""
    return random_walk_bars()

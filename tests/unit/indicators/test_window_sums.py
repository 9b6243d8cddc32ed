"""Rolling window sums are ``math.fsum`` of each window whichever exact scheme computes them:
fixed point on prices, the short-window cascade, the expansion fallback for values off the
fixed-point grid, the two-float pair for wide magnitudes; a NaN empties each window it is in."""

from __future__ import annotations

import math

import numpy as np
import pytest

import aitrader.indicators as ind
from aitrader.indicators.exact_sum import BLOCK, rolling_fsum


def _fsum_windows(x: np.ndarray, period: int) -> np.ndarray:
    out = np.full(len(x), np.nan)
    for i in range(period - 1, len(x)):
        w = x[i - period + 1:i + 1]
        out[i] = math.fsum(w.tolist()) if np.isfinite(w).all() else np.nan
    return out


RNG = np.random.default_rng(7)
N = 2 * BLOCK + 321  # several blocks, the last one partial
SERIES = {
    "cent prices": np.round(40_000 * np.exp(np.cumsum(RNG.normal(0, 1e-3, N))), 2),
    "prices that triple within a block": np.round(np.linspace(30_000, 95_000, N), 2),
    "percentages": np.clip(RNG.uniform(-10, 110, N), 0, 100) * RNG.uniform(0, 1, N),
    "prices with a few odd values": np.where(RNG.uniform(size=N) < 0.002, 1e-7,
                                             np.round(RNG.uniform(100, 101, N), 2)),
    "every magnitude": RNG.normal(0, 1, N) * 10.0 ** RNG.integers(-30, 30, N),
    "huge": RNG.normal(0, 1e300, N),
    "tiny": RNG.normal(0, 1e-310, N),
    "prices with NaNs": np.where(RNG.uniform(size=N) < 0.003, np.nan, RNG.uniform(1, 2, N)),
    "prices with infinities": np.where(RNG.uniform(size=N) < 0.001, np.inf, RNG.uniform(9, 10, N)),
    "zeros of both signs": np.where(RNG.uniform(size=N) < 0.5, -0.0, 0.0),
}


@pytest.mark.parametrize("name", sorted(SERIES))
@pytest.mark.parametrize("period", [1, 2, 3, 4, 8, 9, 30, 600])
def test_window_sums_equal_fsum_of_each_window(name, period) -> None:
    x = SERIES[name]
    got = rolling_fsum(x, period)
    expected = _fsum_windows(x, period)
    assert np.array_equal(got, expected, equal_nan=True)
    numbers = ~np.isnan(expected)  # a NaN's sign bit means nothing
    assert np.array_equal(np.signbit(got[numbers]), np.signbit(expected[numbers]))


def test_sma_of_a_series_shorter_than_one_block_and_longer_than_its_period() -> None:
    x = SERIES["cent prices"][:50]
    assert np.array_equal(ind.sma(x, 7), _fsum_windows(x, 7) / 7, equal_nan=True)


def test_stochastic_with_a_nan_inside_equals_its_definition_from_the_parts() -> None:
    rng = np.random.default_rng(3)
    close = np.round(100 + np.cumsum(rng.normal(0, 0.3, 3000)), 2)
    high, low = close + rng.uniform(0, 1, 3000), close - rng.uniform(0, 1, 3000)
    high[1700] = np.nan
    k, d = ind.stochastic(high, low, close, 14, 3, 3)
    hh, ll = ind.rolling_max(high, 14), ind.rolling_min(low, 14)
    with np.errstate(invalid="ignore", divide="ignore"):
        fast = np.where(hh - ll != 0.0, (close - ll) / ((hh - ll) / 100.0), 0.0)
    fast[np.isnan(hh) | np.isnan(ll)] = np.nan
    slow_k = ind.sma(fast, 3)
    slow_d = ind.sma(slow_k, 3)
    slow_k[:17], slow_d[:17] = np.nan, np.nan
    assert np.array_equal(k, slow_k, equal_nan=True) and np.array_equal(d, slow_d, equal_nan=True)
    assert np.isnan(k[1700:1700 + 16]).all() and not np.isnan(k[1700 + 16:]).any()

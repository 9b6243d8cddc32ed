"""Targets label the future; each label says which bar it needs, and unknown tails are NaN."""

from __future__ import annotations

import numpy as np

from aitrader.features.regime import regime
from aitrader.features.targets import (
    TargetSpec,
    build_target,
    direction,
    future_vol,
    triple_barrier,
)


def test_direction_labels_the_sign_of_the_return_over_the_horizon() -> None:
    close = np.array([100.0, 101.0, 100.5, 99.0, 99.0, 102.0])
    t = direction(close, horizon=2)
    assert t.labels[:4].tolist() == [1.0, 0.0, 0.0, 1.0]
    assert np.isnan(t.labels[-2:]).all()
    assert t.end_idx.tolist() == [2, 3, 4, 5, 5, 5]


def test_direction_drops_moves_inside_the_dead_zone() -> None:
    close = np.array([100.0, 100.01, 103.0])
    t = direction(close, horizon=1, threshold=0.001)
    assert np.isnan(t.labels[0]) and t.labels[1] == 1.0


def test_triple_barrier_takes_the_first_barrier_touched() -> None:
    n = 40
    close = np.full(n, 100.0) * np.exp(np.tile([0.01, -0.01], n // 2).cumsum())
    high, low = close.copy(), close.copy()
    high[31] = close[30] * 1.5  # bar 31 spikes up: a long from bar 30 hits the upper barrier
    low[33] = close[30] * 0.5
    t = triple_barrier(close, high, low, horizon=5, mult=2.0, vol_window=10)
    assert t.labels[30] == 1.0 and t.end_idx[30] == 31
    low[31] = close[30] * 0.5  # both barriers in the same bar: the lower one counts
    t2 = triple_barrier(close, high, low, horizon=5, mult=2.0, vol_window=10)
    assert t2.labels[30] == 0.0
    assert np.isnan(t.labels[:10]).all() and np.isnan(t.labels[-5:]).all()


def test_future_vol_flags_a_volatility_expansion() -> None:
    rng = np.random.default_rng(0)
    r = np.concatenate([rng.normal(0, 0.001, 100), rng.normal(0, 0.02, 50)])
    close = 100 * np.exp(np.cumsum(r))
    t = future_vol(close, horizon=10, vol_window=20)
    assert t.labels[95] == 1.0 and t.labels[50] == 0.0


def test_regimes_are_ordered_from_bearish_to_bullish() -> None:
    rng = np.random.default_rng(3)
    r = np.concatenate([rng.normal(-0.01, 0.002, 200), rng.normal(0.01, 0.002, 200)])
    close = 100 * np.exp(np.cumsum(r))
    t = regime(close, horizon=10, n_regimes=2)
    assert t.classes == (0, 1)
    assert t.labels[50] == 0.0 and t.labels[300] == 1.0
    again = build_target(TargetSpec(kind="regime", horizon=10, n_regimes=2), close, close, close)
    assert np.array_equal(again.labels, t.labels, equal_nan=True)

"""The block kernels for rolling max/min and the Donchian channel equal the definition (the
extreme of each window) on data full of ties, with and without NaNs, and the streaming twin."""

from __future__ import annotations

import numpy as np
import pytest

import aitrader.indicators as ind


def _naive(x: np.ndarray, period: int, highest: bool) -> np.ndarray:
    out = np.full(len(x), np.nan)
    for i in range(period - 1, len(x)):
        w = x[i - period + 1:i + 1]
        out[i] = np.nan if np.isnan(w).any() else (w.max() if highest else w.min())
    return out


def _ties(n: int, seed: int) -> np.ndarray:
    return np.round(np.random.default_rng(seed).normal(0, 3, n))  # few distinct values


@pytest.mark.parametrize("period", [1, 2, 3, 7, 20, 64, 299, 301])
def test_rolling_max_and_min_are_the_extreme_of_each_window(period) -> None:
    x = _ties(300, period)
    assert np.array_equal(ind.rolling_max(x, period), _naive(x, period, True), equal_nan=True)
    assert np.array_equal(ind.rolling_min(x, period), _naive(x, period, False), equal_nan=True)


@pytest.mark.parametrize("period", [1, 4, 20])
def test_a_nan_makes_each_window_holding_it_nan_and_leaves_with_it(period) -> None:
    x = _ties(200, 3)
    x[[0, 57, 58, 130]] = np.nan
    assert np.array_equal(ind.rolling_max(x, period), _naive(x, period, True), equal_nan=True)
    assert np.array_equal(ind.rolling_min(x, period), _naive(x, period, False), equal_nan=True)
    upper, middle, lower = ind.donchian(x, x - 1.0, period)
    assert np.array_equal(upper, _naive(x, period, True), equal_nan=True)
    assert np.array_equal(lower, _naive(x - 1.0, period, False), equal_nan=True)
    assert np.array_equal(middle, (upper + lower) / 2.0, equal_nan=True)


@pytest.mark.parametrize("period", [1, 5, 20, 500])
def test_donchian_lines_are_the_rolling_high_low_and_their_mean(period) -> None:
    high = _ties(400, 5) + 10.0
    low = high - np.abs(_ties(400, 6))
    upper, middle, lower = ind.donchian(high, low, period)
    assert np.array_equal(upper, _naive(high, period, True), equal_nan=True)
    assert np.array_equal(lower, _naive(low, period, False), equal_nan=True)
    assert np.array_equal(middle, (upper + lower) / 2.0, equal_nan=True)


def test_ties_of_signed_zeros_go_to_the_newest_bar_as_in_the_streaming_twin() -> None:
    x = np.array([0.0, -0.0, -0.0, 0.0, -0.0, -1.0, -0.0, 0.0, 0.0, -0.0] * 5)
    for highest, batch in ((True, ind.rolling_max), (False, ind.rolling_min)):
        s = ind.StreamingExtreme(3, highest=highest)
        streamed = np.array([s.update(v) for v in x.tolist()])
        assert np.array_equal(np.signbit(batch(x, 3)[2:]), np.signbit(streamed[2:]))
        assert np.array_equal(batch(x, 3), streamed, equal_nan=True)

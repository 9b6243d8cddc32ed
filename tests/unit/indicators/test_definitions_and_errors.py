"""Indicators without a TA-Lib twin match their written definitions; bad input is refused
with an error naming the rule and the value."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import aitrader.indicators as ind


def _walk(n: int, seed: int = 1) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    close = np.round(40_000 * np.exp(np.cumsum(rng.normal(0, 0.001, n))), 2)
    high = close + np.round(rng.uniform(0, 20, n), 2)
    low = close - np.round(rng.uniform(0, 20, n), 2)
    volume = np.round(rng.uniform(0, 5, n), 5)
    return high, low, close, volume


def test_vwap_is_window_sum_of_typical_price_times_volume_over_window_volume() -> None:
    h, lo, c, v = _walk(500)
    tp = (h + lo + c) / 3
    got = ind.vwap(h, lo, c, v, 12)
    for i in range(11, 500):
        w = slice(i - 11, i + 1)
        assert got[i] == math.fsum((tp[w] * v[w]).tolist()) / math.fsum(v[w].tolist())
    assert np.isnan(got[:11]).all()


def test_vwap_of_a_window_without_volume_is_nan() -> None:
    h, lo, c, v = _walk(40)
    v[10:20] = 0.0
    got = ind.vwap(h, lo, c, v, 5)
    assert np.isnan(got[14:20]).all() and not np.isnan(got[20:]).any()


def test_realized_volatility_is_rms_log_return_scaled() -> None:
    _, _, c, _ = _walk(300)
    r = np.diff(np.log(c))
    got = ind.realized_volatility(c, 24, 365.0)
    expected = pd.Series(r**2).rolling(24).mean().pow(0.5).to_numpy() * math.sqrt(365.0)
    assert np.isnan(got[:24]).all()
    np.testing.assert_allclose(got[24:], expected[23:], rtol=1e-12)


def test_zscore_is_distance_from_mean_in_population_deviations_and_zero_when_flat() -> None:
    _, _, c, _ = _walk(300)
    c[100:130] = 41_000.0
    got = ind.zscore(c, 20)
    s = pd.Series(c).rolling(20)
    expected = ((pd.Series(c) - s.mean()) / s.std(ddof=0)).to_numpy()
    flat = np.arange(119, 130)
    assert (got[flat] == 0.0).all()
    rest = np.setdiff1d(np.arange(19, 300), flat)
    np.testing.assert_allclose(got[rest], expected[rest], rtol=1e-9, atol=1e-9)


def test_the_window_deviation_stays_accurate_at_high_price_levels() -> None:
    # 1e9 + small moves: mean(x²) - mean² would lose every digit here
    x = 1e9 + np.tile([0.0, 1.0, 2.0, 3.0], 50)
    _, middle, _ = ind.bollinger(x, 4, 1.0, 1.0)
    assert np.all(middle[3:] == 1e9 + 1.5)
    z = ind.zscore(x, 4)
    expected = (x[3:] - (1e9 + 1.5)) / math.sqrt(1.25)
    np.testing.assert_allclose(z[3:], expected, rtol=1e-12)


def test_sma_equals_fsum_mean_on_values_of_every_magnitude() -> None:
    rng = np.random.default_rng(7)
    x = rng.uniform(-1, 1, 3000) * 10.0 ** rng.integers(-20, 20, 3000)
    got = ind.sma(x, 13)
    assert all(got[i] == math.fsum(x[i - 12:i + 1].tolist()) / 13 for i in range(12, 3000))


@pytest.mark.parametrize("call", [
    lambda: ind.sma([1.0, 2.0], 0), lambda: ind.ema([1.0], 0), lambda: ind.wma([1.0], -3),
    lambda: ind.StreamingEMA(0), lambda: ind.StreamingATR(0), lambda: ind.donchian([1], [1], 0),
])
def test_a_period_below_one_is_refused(call) -> None:
    with pytest.raises(ValueError, match=r"period must be >= 1, was (0|-3)"):
        call()


def test_periods_below_the_indicator_minimum_are_refused() -> None:
    with pytest.raises(ValueError, match="period must be >= 2, was 1"):
        ind.rsi([1.0, 2.0, 3.0], 1)
    with pytest.raises(ValueError, match="slow must be >= 2, was 1"):
        ind.macd([1.0] * 50, 12, 1, 9)
    with pytest.raises(ValueError, match=r"period must be an integer, was 2\.5"):
        ind.sma([1.0, 2.0, 3.0], 2.5)  # type: ignore[arg-type]  # the wrong type is the test


def test_inputs_of_different_lengths_are_refused_naming_both() -> None:
    with pytest.raises(ValueError, match="high has 3, low has 2"):
        ind.atr([1.0, 2.0, 3.0], [1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="close has 2, volume has 1"):
        ind.obv([1.0, 2.0], [1.0])


def test_two_dimensional_input_is_refused() -> None:
    with pytest.raises(ValueError, match=r"values must be one-dimensional, had shape \(2, 2\)"):
        ind.ema(np.ones((2, 2)), 2)


def test_bad_multipliers_are_refused() -> None:
    with pytest.raises(ValueError, match="k_up must be a finite number >= 0, was -1"):
        ind.bollinger([1.0, 2.0], 2, -1.0)
    with pytest.raises(ValueError, match="periods_per_year must be a finite number > 0, was 0"):
        ind.realized_volatility([1.0, 2.0], 1, 0.0)


def test_series_shorter_than_the_warm_up_give_all_nan() -> None:
    short = np.array([1.0, 2.0, 3.0])
    for out in (ind.ema(short, 5), ind.rsi(short, 5), ind.macd(short)[0], ind.wma(short, 5),
                ind.atr(short, short, short, 5), ind.adx(short, short, short, 5),
                ind.cci(short, short, short, 5), ind.zscore(short, 5)):
        assert len(out) == 3 and np.isnan(out).all()
    assert len(ind.sma(np.array([]), 3)) == 0


def test_a_nan_inside_the_window_gives_nan_until_it_leaves_then_exact_sums_resume() -> None:
    _, _, c, _ = _walk(200)
    c[50] = math.nan
    got = ind.sma(c, 10)
    assert np.isnan(got[50:60]).all()
    assert all(got[i] == math.fsum(c[i - 9:i + 1].tolist()) / 10 for i in range(60, 200))
    assert all(got[i] == math.fsum(c[i - 9:i + 1].tolist()) / 10 for i in range(9, 50))


def test_tiny_and_huge_values_together_still_sum_exactly() -> None:
    x = np.array([1e16, 1.0, -1e16, 1e-300, 3.0, 2.0**-60, 7.0] * 30)
    got = ind.sma(x, 4)
    assert all(got[i] == math.fsum(x[i - 3:i + 1].tolist()) / 4 for i in range(3, len(x)))

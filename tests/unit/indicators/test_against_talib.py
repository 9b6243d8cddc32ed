"""Every indicator TA-Lib also has agrees with TA-Lib on real BTCUSDT candles.

Agreement means the same warm-up (NaN at the same bars) and ``|ours - talib| <= 1e-9 · max(|talib|,
typical size)``, the typical size being the median magnitude of the series (so an oscillator
crossing zero is not judged by its relative error at 1e-12). Many are bit-identical; the others
differ only where our sums are correctly rounded and TA-Lib's are running sums.
"""

from __future__ import annotations

import numpy as np
import pytest

talib = pytest.importorskip("talib")

import aitrader.indicators as ind  # noqa: E402

pytestmark = pytest.mark.realdata


def assert_agrees(ours: np.ndarray, theirs: np.ndarray) -> None:
    assert np.array_equal(np.isnan(ours), np.isnan(theirs)), "warm-up differs"
    ok = ~np.isnan(theirs)
    assert ok.sum() > 1000
    scale = float(np.median(np.abs(theirs[ok])))
    bound = 1e-9 * np.maximum(np.abs(theirs[ok]), scale)
    worst = float(np.max(np.abs(ours[ok] - theirs[ok]) - bound))
    assert worst <= 0.0


CASES = {
    "sma": (lambda c: ind.sma(c.close, 30), lambda c: talib.SMA(c.close, 30)),
    "ema": (lambda c: ind.ema(c.close, 20), lambda c: talib.EMA(c.close, 20)),
    "wma": (lambda c: ind.wma(c.close, 20), lambda c: talib.WMA(c.close, 20)),
    "rsi": (lambda c: ind.rsi(c.close, 14), lambda c: talib.RSI(c.close, 14)),
    "atr": (lambda c: ind.atr(c.high, c.low, c.close, 14),
            lambda c: talib.ATR(c.high, c.low, c.close, 14)),
    "true_range": (lambda c: ind.true_range(c.high, c.low, c.close),
                   lambda c: talib.TRANGE(c.high, c.low, c.close)),
    "adx": (lambda c: ind.adx(c.high, c.low, c.close, 14),
            lambda c: talib.ADX(c.high, c.low, c.close, 14)),
    "plus_di": (lambda c: ind.dmi(c.high, c.low, c.close, 14)[0],
                lambda c: talib.PLUS_DI(c.high, c.low, c.close, 14)),
    "minus_di": (lambda c: ind.dmi(c.high, c.low, c.close, 14)[1],
                 lambda c: talib.MINUS_DI(c.high, c.low, c.close, 14)),
    "cci": (lambda c: ind.cci(c.high, c.low, c.close, 20),
            lambda c: talib.CCI(c.high, c.low, c.close, 20)),
    "obv": (lambda c: ind.obv(c.close, c.volume), lambda c: talib.OBV(c.close, c.volume)),
    "donchian_upper": (lambda c: ind.donchian(c.high, c.low, 20)[0],
                       lambda c: talib.MAX(c.high, 20)),
    "donchian_lower": (lambda c: ind.donchian(c.high, c.low, 20)[2],
                       lambda c: talib.MIN(c.low, 20)),
}
for _i, _name in enumerate(("macd", "signal", "hist")):
    CASES[f"macd_{_name}"] = (lambda c, i=_i: ind.macd(c.close, 12, 26, 9)[i],
                              lambda c, i=_i: talib.MACD(c.close, 12, 26, 9)[i])
for _i, _name in enumerate(("upper", "middle", "lower")):
    CASES[f"bollinger_{_name}"] = (lambda c, i=_i: ind.bollinger(c.close, 20, 2.0, 2.0)[i],
                                   lambda c, i=_i: talib.BBANDS(c.close, 20, 2.0, 2.0, 0)[i])
for _i, _name in enumerate(("k", "d")):
    CASES[f"stochastic_{_name}"] = (
        lambda c, i=_i: ind.stochastic(c.high, c.low, c.close, 14, 3, 3)[i],
        lambda c, i=_i: talib.STOCH(c.high, c.low, c.close, 14, 3, 0, 3, 0)[i])


@pytest.mark.parametrize("name", sorted(CASES))
def test_indicator_agrees_with_talib_on_real_candles(name, candles) -> None:
    ours, theirs = CASES[name]
    assert_agrees(ours(candles), theirs(candles))


@pytest.mark.parametrize("name", ["ema", "true_range", "adx", "plus_di", "minus_di", "obv",
                                  "donchian_upper", "donchian_lower"])
def test_recurrences_in_talib_order_are_bit_identical(name, candles) -> None:
    ours, theirs = CASES[name]
    assert np.array_equal(ours(candles), theirs(candles), equal_nan=True)


def test_keltner_is_talib_ema_plus_minus_multiplier_times_talib_atr(candles) -> None:
    c = candles
    upper, middle, lower = ind.keltner(c.high, c.low, c.close, 20, 10, 1.5)
    mid = talib.EMA(c.close, 20)
    band = talib.ATR(c.high, c.low, c.close, 10) * 1.5
    assert_agrees(upper, mid + band)
    assert_agrees(middle, np.where(np.isnan(band), np.nan, mid))
    assert_agrees(lower, mid - band)


def test_zscore_is_distance_from_talib_sma_in_talib_standard_deviations(candles) -> None:
    c = candles.close
    sd = talib.STDDEV(c, 20, 1.0)
    expected = (c - talib.SMA(c, 20)) / sd
    got = ind.zscore(c, 20)
    # TA-Lib's deviation comes from mean(x²) - mean², ~1e-6 relative on BTC minutes: judge there
    ok = sd > 1.0
    assert ok.sum() > 50_000
    assert np.max(np.abs(got[ok] - expected[ok])) < 1e-4


def test_leading_nans_are_skipped_like_talib(candles) -> None:
    c = candles.close[:5000].copy()
    c[:7] = np.nan
    for ours, theirs in ((ind.ema(c, 10), talib.EMA(c, 10)), (ind.rsi(c, 14), talib.RSI(c, 14)),
                         (ind.macd(c)[0], talib.MACD(c)[0]), (ind.sma(c, 5), talib.SMA(c, 5))):
        assert_agrees(ours, theirs)

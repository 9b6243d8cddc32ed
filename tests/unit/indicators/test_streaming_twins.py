"""Every streaming indicator, fed one real bar at a time, returns exactly the batch value."""

from __future__ import annotations

import math

import numpy as np
import pytest

import aitrader.indicators as ind

pytestmark = pytest.mark.realdata
N = 20_000


def _stream(make, feed, candles, width: int) -> np.ndarray:
    c = candles
    s = make()
    rows = []
    for o, h, lo, cl, v in zip(c.open[:N].tolist(), c.high[:N].tolist(), c.low[:N].tolist(),
                               c.close[:N].tolist(), c.volume[:N].tolist(), strict=True):
        out = feed(s, o, h, lo, cl, v)
        rows.append(tuple(out) if width > 1 else (out,))
    return np.array(rows, dtype=np.float64).T


def _batch(fn, candles) -> np.ndarray:
    c = candles
    res = fn(c.open[:N], c.high[:N], c.low[:N], c.close[:N], c.volume[:N])
    return np.vstack(res) if isinstance(res, tuple) else res[None, :]


TWINS = {
    "sma": (lambda: ind.StreamingSMA(30), lambda s, o, h, lo, c, v: s.update(c),
            lambda o, h, lo, c, v: ind.sma(c, 30)),
    "ema": (lambda: ind.StreamingEMA(20), lambda s, o, h, lo, c, v: s.update(c),
            lambda o, h, lo, c, v: ind.ema(c, 20)),
    "wma": (lambda: ind.StreamingWMA(20), lambda s, o, h, lo, c, v: s.update(c),
            lambda o, h, lo, c, v: ind.wma(c, 20)),
    "rsi": (lambda: ind.StreamingRSI(14), lambda s, o, h, lo, c, v: s.update(c),
            lambda o, h, lo, c, v: ind.rsi(c, 14)),
    "macd": (lambda: ind.StreamingMACD(12, 26, 9), lambda s, o, h, lo, c, v: s.update(c),
             lambda o, h, lo, c, v: ind.macd(c, 12, 26, 9)),
    "bollinger": (lambda: ind.StreamingBollinger(20, 2.0, 1.5),
                  lambda s, o, h, lo, c, v: s.update(c),
                  lambda o, h, lo, c, v: ind.bollinger(c, 20, 2.0, 1.5)),
    "atr": (lambda: ind.StreamingATR(14), lambda s, o, h, lo, c, v: s.update(h, lo, c),
            lambda o, h, lo, c, v: ind.atr(h, lo, c, 14)),
    "dmi": (lambda: ind.StreamingDMI(14), lambda s, o, h, lo, c, v: s.update(h, lo, c),
            lambda o, h, lo, c, v: ind.dmi(h, lo, c, 14)),
    "stochastic": (lambda: ind.StreamingStochastic(14, 3, 3),
                   lambda s, o, h, lo, c, v: s.update(h, lo, c),
                   lambda o, h, lo, c, v: ind.stochastic(h, lo, c, 14, 3, 3)),
    "cci": (lambda: ind.StreamingCCI(20), lambda s, o, h, lo, c, v: s.update(h, lo, c),
            lambda o, h, lo, c, v: ind.cci(h, lo, c, 20)),
    "obv": (lambda: ind.StreamingOBV(), lambda s, o, h, lo, c, v: s.update(c, v),
            lambda o, h, lo, c, v: ind.obv(c, v)),
    "vwap": (lambda: ind.StreamingVWAP(30), lambda s, o, h, lo, c, v: s.update(h, lo, c, v),
             lambda o, h, lo, c, v: ind.vwap(h, lo, c, v, 30)),
    "donchian": (lambda: ind.StreamingDonchian(20), lambda s, o, h, lo, c, v: s.update(h, lo),
                 lambda o, h, lo, c, v: ind.donchian(h, lo, 20)),
    "keltner": (lambda: ind.StreamingKeltner(20, 10, 2.0),
                lambda s, o, h, lo, c, v: s.update(h, lo, c),
                lambda o, h, lo, c, v: ind.keltner(h, lo, c, 20, 10, 2.0)),
    "realized_volatility": (lambda: ind.StreamingRealizedVolatility(30, 525_600.0),
                            lambda s, o, h, lo, c, v: s.update(c),
                            lambda o, h, lo, c, v: ind.realized_volatility(c, 30, 525_600.0)),
    "zscore": (lambda: ind.StreamingZScore(20), lambda s, o, h, lo, c, v: s.update(c),
               lambda o, h, lo, c, v: ind.zscore(c, 20)),
    "rolling_min": (lambda: ind.StreamingExtreme(15, highest=False),
                    lambda s, o, h, lo, c, v: s.update(lo),
                    lambda o, h, lo, c, v: ind.rolling_min(lo, 15)),
}


@pytest.mark.parametrize("name", sorted(TWINS))
def test_streaming_twin_equals_batch_bit_for_bit_on_real_candles(name, candles) -> None:
    make, feed, batch = TWINS[name]
    expected = _batch(batch, candles)
    got = _stream(make, feed, candles, expected.shape[0])
    assert got.shape == expected.shape
    assert np.array_equal(got, expected, equal_nan=True)
    assert (~np.isnan(expected)).sum(axis=1).min() > N - 100  # warm-up only, then values


@pytest.mark.parametrize("period", [1, 2, 3, 7, 50])
def test_short_and_long_periods_keep_the_twins_identical(period, candles) -> None:
    c = candles.close[:3000]
    for make, batch in ((ind.StreamingEMA, ind.ema), (ind.StreamingWMA, ind.wma),
                        (ind.StreamingSMA, ind.sma)):
        s = make(period)
        assert np.array_equal([s.update(x) for x in c.tolist()], batch(c, period), equal_nan=True)


def test_twins_skip_leading_nans_like_the_batch() -> None:
    x = np.r_[[math.nan] * 3, np.linspace(100.0, 130.0, 60) + np.sin(np.arange(60))]
    for make, batch in ((lambda: ind.StreamingEMA(5), lambda a: ind.ema(a, 5)),
                        (lambda: ind.StreamingRSI(5), lambda a: ind.rsi(a, 5)),
                        (lambda: ind.StreamingWMA(5), lambda a: ind.wma(a, 5)),
                        (lambda: ind.StreamingZScore(5), lambda a: ind.zscore(a, 5)),
                        (lambda: ind.StreamingMACD(3, 6, 4), lambda a: ind.macd(a, 3, 6, 4)[0])):
        s = make()
        got = [s.update(v) for v in x.tolist()]
        got = [g[0] if isinstance(g, tuple) else g for g in got]
        assert np.array_equal(got, batch(x), equal_nan=True)

"""Mean reversion and the multi-timeframe filter on real BTCUSDT minutes: exact trade lists
from an independent evaluation of their rules, and higher-timeframe bars used only once closed."""

from __future__ import annotations

import numpy as np
import pytest
from momentum_backtests import MINUTE_NS, backtest, read_bars, simulate, trade_bars

from aitrader.core.ids import InstrumentId
from aitrader.data.resample import resample
from aitrader.indicators.bollinger import bollinger
from aitrader.indicators.rsi import rsi
from aitrader.indicators.zscore import zscore
from aitrader.strategies.momentum.higher_timeframe import ClosedBarAggregator

talib = pytest.importorskip("talib")
pytestmark = pytest.mark.realdata
HOUR_NS = 60 * MINUTE_NS


def test_mean_reversion_buys_below_the_band_when_oversold_and_exits_at_the_mean(btc_2024):
    b = btc_2024
    _, middle, lower = bollinger(b.close, 20, 2.0, 2.0)
    r = rsi(b.close, 14)
    z = zscore(b.close, 20)
    expected = simulate(
        len(b),
        lambda i: bool(b.close[i] < lower[i] and r[i] <= 30),
        lambda i: bool(b.close[i] >= middle[i] or z[i] <= -3.5),
    )
    got = trade_bars(backtest("mean_reversion", b), b)
    assert got == expected
    stopped = [(e, x) for e, x in expected if z[x - 1] <= -3.5 and b.close[x - 1] < middle[x - 1]]
    # 20,000 minutes: 119 round trips, 4 of them stopped out by the z-score, the rest reverted
    assert (len(expected), len(stopped)) == (119, 4)
    e0 = expected[0][0] - 1
    assert b.close[e0] < lower[e0] and r[e0] <= 30


def test_aggregated_hours_equal_resampled_hours_released_at_their_last_minute(btc_2024):
    b = btc_2024.slice(0, 5000)
    agg = ClosedBarAggregator(HOUR_NS)
    released = []
    for i, bar in enumerate(b.iter_bars(InstrumentId("BTC/USDT", "SIM"))):
        released += [(i, h) for h in agg.update(bar)]
    hours = resample(b, HOUR_NS)
    assert [h.ts_event for _, h in released] == hours.ts_ns.tolist()
    assert [(h.open, h.high, h.low, h.close) for _, h in released] == list(
        zip(hours.open.tolist(), hours.high.tolist(), hours.low.tolist(), hours.close.tolist(),
            strict=True))
    np.testing.assert_allclose([h.volume for _, h in released], hours.volume, rtol=1e-12)
    # each hour becomes visible on the minute that closes it, never earlier
    assert all(int(b.ts_ns[i]) + MINUTE_NS == h.ts_event + HOUR_NS for i, h in released)


def test_an_hour_cut_short_by_an_outage_is_released_by_the_next_bar(shared_data):
    # Binance's 2023-03-24 outage: no minutes from 12:40 to 13:59 UTC
    b = read_bars(shared_data, 2023, 118_800, 118_900)
    gap = int(np.flatnonzero(np.diff(b.ts_ns) > MINUTE_NS)[0])
    agg = ClosedBarAggregator(HOUR_NS)
    bars = list(b.iter_bars(InstrumentId("BTC/USDT", "SIM")))
    for bar in bars[: gap + 1]:
        agg.update(bar)
    released = agg.update(bars[gap + 1])  # the 14:00 minute
    assert [h.ts_event % 86_400_000_000_000 // HOUR_NS for h in released] == [12]
    assert released[0].close == bars[gap].close  # 12:39's close ends the short hour


def test_mtf_trades_only_with_the_trend_of_closed_hours(btc_2024):
    b = btc_2024
    hours = resample(b, HOUR_NS)
    hf, hs = talib.EMA(hours.close, 10), talib.EMA(hours.close, 30)
    # the latest hour that had closed when each minute closed
    seen = np.searchsorted(hours.ts_ns + HOUR_NS, b.ts_ns + MINUTE_NS, side="right") - 1
    known = (seen >= 0) & ~np.isnan(hs[np.maximum(seen, 0)])
    trend_up = np.where(known, hf[np.maximum(seen, 0)] > hs[np.maximum(seen, 0)], False)
    trend_down = known & ~trend_up
    fast, slow = talib.EMA(b.close, 9), talib.EMA(b.close, 21)
    up = fast > slow
    ok = ~np.isnan(slow)

    def cross(i: int) -> bool:
        return i > 0 and ok[i - 1] and up[i] != up[i - 1]

    expected = simulate(len(b), lambda i: cross(i) and up[i] and trend_up[i],
                        lambda i: (cross(i) and not up[i]) or trend_down[i])
    got = trade_bars(backtest("mtf_trend", b), b)
    assert got == expected
    # the hourly filter needs 30 closed hours before the first trade, and keeps about half
    # of the minute crosses out of the market
    first = expected[0][0] - 1
    assert seen[first] >= 29 and trend_up[first]
    crosses_up = sum(cross(i) and up[i] for i in range(len(b)))
    assert (len(expected), crosses_up) == (231, 484)


def test_peeking_at_the_forming_hour_would_change_the_trades(btc_2024):
    # the same rule fed the hour *containing* each minute (its close is in the future) trades
    # differently — what the closed-bar aggregator prevents
    b = btc_2024
    hours = resample(b, HOUR_NS, include_partial=True)
    hf, hs = talib.EMA(hours.close, 10), talib.EMA(hours.close, 30)
    cur = np.searchsorted(hours.ts_ns, b.ts_ns, side="right") - 1
    peek_up = np.nan_to_num(hf[cur] - hs[cur], nan=-1.0) > 0
    fast, slow = talib.EMA(b.close, 9), talib.EMA(b.close, 21)
    up = fast > slow
    ok = ~np.isnan(slow)

    def cross(i: int) -> bool:
        return i > 0 and ok[i - 1] and up[i] != up[i - 1]

    peeking = simulate(len(b), lambda i: cross(i) and up[i] and peek_up[i],
                       lambda i: cross(i) and not up[i])
    assert peeking != trade_bars(backtest("mtf_trend", b), b)

"""Trend following and breakout on real BTCUSDT minutes trade exactly where an independent,
vectorized evaluation of their written rules (TA-Lib indicators) says they should."""

from __future__ import annotations

import numpy as np
import pytest
from momentum_backtests import backtest, simulate, trade_bars

from aitrader.core.errors import StrategyError
from aitrader.indicators.sma import sma
from aitrader.strategies.registry import StrategyRegistry

talib = pytest.importorskip("talib")
pytestmark = pytest.mark.realdata


def test_trend_follower_enters_on_ema_crosses_up_only_when_adx_is_strong(btc_2024) -> None:
    b = btc_2024
    fast, slow = talib.EMA(b.close, 12), talib.EMA(b.close, 26)
    adx = talib.ADX(b.high, b.low, b.close, 14)
    up = fast > slow
    known = ~np.isnan(slow)

    def cross(i: int) -> bool:
        return i > 0 and known[i - 1] and up[i] != up[i - 1]

    expected = simulate(len(b), lambda i: cross(i) and up[i] and adx[i] >= 25,
                        lambda i: cross(i) and not up[i])
    got = trade_bars(backtest("trend_ema_adx", b), b)
    assert got == expected
    crosses_up = sum(cross(i) and up[i] for i in range(len(b)))
    # the ADX filter matters: of 382 crosses up in these two weeks only 62 had ADX >= 25
    assert (len(expected), crosses_up) == (62, 382)
    first_entry = expected[0][0]
    assert expected[0] == (45, 122)  # decided at the close of bar 44, filled at 45's open
    assert adx[first_entry - 1] >= 25 and up[first_entry - 1] and not up[first_entry - 2]


def test_trend_follower_with_adx_filter_off_takes_every_cross(btc_2024) -> None:
    b = btc_2024
    fast, slow = talib.EMA(b.close, 5), talib.EMA(b.close, 20)
    up = fast > slow
    known = ~np.isnan(slow)
    crosses_up = [i for i in range(1, len(b) - 1) if known[i - 1] and up[i] and not up[i - 1]]
    got = trade_bars(backtest("trend_ema_adx", b, fast=5, slow=20, adx_min=0), b)
    # flat before every cross up, so each one buys at the next open
    assert [e for e, _ in got] == [i + 1 for i in crosses_up][: len(got)]
    assert len(got) in (len(crosses_up), len(crosses_up) - 1)  # the last may still be open


def test_breakout_buys_closes_above_the_previous_channel_on_heavy_volume(btc_2024) -> None:
    b = btc_2024
    prev = np.r_[np.nan, talib.MAX(b.high, 20)[:-1]]
    low_prev = np.r_[np.nan, talib.MIN(b.low, 10)[:-1]]
    vol_prev = np.r_[np.nan, sma(b.volume, 20)[:-1]]
    expected = simulate(
        len(b),
        lambda i: bool(b.close[i] > prev[i] and b.volume[i] > 1.5 * vol_prev[i]),
        lambda i: bool(b.close[i] < low_prev[i]),
    )
    got = trade_bars(backtest("donchian_breakout", b), b)
    assert got == expected
    assert expected[0] == (82, 108)
    i = expected[0][0] - 1  # the first breakout: close above the 20-bar high on 1.5× volume
    assert b.close[i] > b.high[i - 20:i].max() and b.volume[i] > 1.5 * b.volume[i - 20:i].mean()
    # volume confirmation removes a third of the breakouts: 256 trades instead of 387
    loose = trade_bars(backtest("donchian_breakout", b, volume_factor=0), b)
    assert (len(got), len(loose)) == (256, 387)


def test_momentum_params_are_validated_with_the_rule_and_value() -> None:
    reg = StrategyRegistry.default()
    with pytest.raises(StrategyError, match="fast must be < slow, was fast=30 slow=20"):
        reg.get("trend_ema_adx").parse_params({"fast": 30, "slow": 20})
    with pytest.raises(StrategyError, match="adx_min: Input should be less than or equal to 100"):
        reg.get("trend_ema_adx").parse_params({"adx_min": 101})
    with pytest.raises(StrategyError, match="stop_z must be > band_k"):
        reg.get("mean_reversion").parse_params({"band_k": 3, "stop_z": 2})
    with pytest.raises(StrategyError, match="timeframe must look like"):
        reg.get("mtf_trend").parse_params({"higher_timeframe": "1hour"})
    with pytest.raises(StrategyError, match="entry_period: Input should be greater than"):
        reg.get("donchian_breakout").parse_params({"entry_period": 1})

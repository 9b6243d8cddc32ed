"""The engine's SMA-crossover backtest on real BTCUSDT candles equals an independent calculation."""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from aitrader.data.bar_arrays import BarArrays
from aitrader.runtime.backtest import BacktestRequest, run_backtest

pytestmark = pytest.mark.realdata
N_BARS = 30_000
FEE = Decimal("0.001")


def _bars(shared_data: Path) -> BarArrays:
    df = pd.read_parquet(shared_data / "crypto/binance_spot_1m/BTCUSDT/BTCUSDT_1m_2024.parquet")
    df = df.iloc[:N_BARS]
    ts = df["open_time"].dt.as_unit("ns").astype("int64").to_numpy()
    cols = [df[c].to_numpy(dtype=np.float64) for c in ("open", "high", "low", "close", "volume")]
    return BarArrays(ts, *cols, timeframe_ns=60_000_000_000)


def _reference_trades(
    bars: BarArrays, fast: int, slow: int
) -> list[tuple[int, Decimal, int, Decimal]]:
    """Windows summed with correct rounding (as the SMA is defined), cross = change of
    (fast > slow), fill at the next bar's open."""
    close = bars.close
    f = np.full(len(close), np.nan)
    s = np.full(len(close), np.nan)
    win_f = np.lib.stride_tricks.sliding_window_view(close, fast)
    win_s = np.lib.stride_tricks.sliding_window_view(close, slow)
    f[fast - 1:] = [math.fsum(w.tolist()) / fast for w in win_f]
    s[slow - 1:] = [math.fsum(w.tolist()) / slow for w in win_s]
    above = f > s
    trades = []
    entry: tuple[int, Decimal] | None = None
    for i in range(slow, len(close) - 1):
        if above[i] == above[i - 1]:
            continue
        nxt = i + 1
        px = Decimal(repr(float(bars.open[nxt])))
        if above[i] and entry is None:
            entry = (int(bars.ts_ns[nxt]), px)
        elif not above[i] and entry is not None:
            trades.append((entry[0], entry[1], int(bars.ts_ns[nxt]), px))
            entry = None
    return trades


def test_sma_cross_trades_equal_a_hand_computed_list_on_real_btc_candles(shared_data) -> None:
    bars = _bars(shared_data)
    result = run_backtest(BacktestRequest(
        bars=bars, symbol="BTC/USDT", strategy="sma_cross",
        params={"fast": 10, "slow": 30, "quantity": "0.5"}, fee_rate=FEE,
        starting_cash=Decimal(1_000_000), tick_size=Decimal("0.01"),
    ))
    expected = _reference_trades(bars, 10, 30)
    assert len(expected) > 500  # a real sample, not a degenerate one
    got = [(t.entry_ts_ns, t.entry_price, t.exit_ts_ns, t.exit_price) for t in result.trades]
    assert got == expected

    qty = Decimal("0.5")
    pnl = sum(((x - e) * qty for _, e, _, x in expected), Decimal(0))
    fees = sum(((e + x) * qty * FEE for _, e, _, x in expected), Decimal(0))
    assert sum((t.pnl for t in result.trades), Decimal(0)) == pnl
    # fees include an entry still open at the end, if any
    open_fee = (result.engine.portfolio.account(result.engine.orders.orders()[0].account_id)
                .fees["USDT"] - fees)
    assert open_fee >= 0
    assert result.final_cash == Decimal(1_000_000) + pnl - fees - open_fee
    assert result.stats.trades == len(expected)
    assert result.stats.fees == pytest.approx(float(fees + open_fee))


def test_backtest_is_identical_on_every_run(shared_data) -> None:
    bars = _bars(shared_data).slice(0, 5_000)
    def run():
        return run_backtest(BacktestRequest(
            bars=bars, symbol="BTC/USDT", strategy="sma_cross", params={"fast": 5, "slow": 20}
        ))

    a, b = run(), run()
    assert a.trades == b.trades
    assert np.array_equal(a.equity, b.equity)
    assert a.stats == b.stats

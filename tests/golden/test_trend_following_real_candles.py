"""The EMA/ADX trend follower's full backtest on real BTCUSDT candles: every trade and the exact
cash, P&L and fees, against an independent calculation with TA-Lib's EMA and ADX."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from aitrader.data.bar_arrays import BarArrays
from aitrader.runtime.backtest import BacktestRequest, run_backtest

talib = pytest.importorskip("talib")
pytestmark = pytest.mark.realdata
N_BARS = 30_000
FEE = Decimal("0.001")
QTY = Decimal("0.5")


def _bars(shared_data: Path) -> BarArrays:
    df = pd.read_parquet(shared_data / "crypto/binance_spot_1m/BTCUSDT/BTCUSDT_1m_2024.parquet")
    df = df.iloc[:N_BARS]
    ts = df["open_time"].dt.as_unit("ns").astype("int64").to_numpy()
    cols = [df[c].to_numpy(dtype=np.float64) for c in ("open", "high", "low", "close", "volume")]
    return BarArrays(ts, *cols, timeframe_ns=60_000_000_000)


def _reference(bars: BarArrays) -> list[tuple[int, Decimal, int, Decimal]]:
    """Cross up of EMA(12) over EMA(26) with ADX(14) >= 25 buys at the next open; a cross down
    sells at the next open (TA-Lib's EMA and ADX equal ours bit for bit)."""
    up = talib.EMA(bars.close, 12) > talib.EMA(bars.close, 26)
    known = ~np.isnan(talib.EMA(bars.close, 26))
    adx = talib.ADX(bars.high, bars.low, bars.close, 14)
    trades, entry = [], None
    for i in range(1, len(bars) - 1):
        if not known[i - 1] or up[i] == up[i - 1]:
            continue
        px = Decimal(repr(float(bars.open[i + 1])))
        if up[i] and entry is None and adx[i] >= 25:
            entry = (int(bars.ts_ns[i + 1]), px)
        elif not up[i] and entry is not None:
            trades.append((entry[0], entry[1], int(bars.ts_ns[i + 1]), px))
            entry = None
    return trades


def test_trend_follower_totals_equal_an_independent_calculation(shared_data) -> None:
    bars = _bars(shared_data)
    result = run_backtest(BacktestRequest(
        bars=bars, symbol="BTC/USDT", strategy="trend_ema_adx",
        params={"quantity": str(QTY)}, fee_rate=FEE, starting_cash=Decimal(1_000_000),
        tick_size=Decimal("0.01"),
    ))
    expected = _reference(bars)
    got = [(t.entry_ts_ns, t.entry_price, t.exit_ts_ns, t.exit_price) for t in result.trades]
    assert got == expected
    assert len(expected) == 99
    pnl = sum(((x - e) * QTY for _, e, _, x in expected), Decimal(0))
    fees = sum(((e + x) * QTY * FEE for _, e, _, x in expected), Decimal(0))
    assert sum((t.pnl for t in result.trades), Decimal(0)) == pnl
    assert result.open_position == 0  # the last entry was closed inside the slice
    assert result.final_cash == Decimal(1_000_000) + pnl - fees

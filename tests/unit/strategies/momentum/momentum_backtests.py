"""Real candles, a backtest runner and an independent trade-list simulator for momentum tests."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from aitrader.data.bar_arrays import BarArrays
from aitrader.runtime.backtest import BacktestRequest, BacktestResult, run_backtest

MINUTE_NS = 60_000_000_000


def read_bars(shared_data: Path, year: int, start: int, stop: int) -> BarArrays:
    """Rows ``start:stop`` of the BTCUSDT 1-minute file of ``year``."""
    df = pd.read_parquet(shared_data / f"crypto/binance_spot_1m/BTCUSDT/BTCUSDT_1m_{year}.parquet")
    df = df.iloc[start:stop]
    ts = df["open_time"].dt.as_unit("ns").astype("int64").to_numpy()
    cols = [np.ascontiguousarray(df[c].to_numpy(dtype=np.float64))
            for c in ("open", "high", "low", "close", "volume")]
    return BarArrays(ts, *cols, timeframe_ns=MINUTE_NS)


def backtest(strategy: str, bars: BarArrays, **params: Any) -> BacktestResult:
    """The engine backtest of one strategy, no fees (the trade list is what is checked)."""
    return run_backtest(BacktestRequest(
        bars=bars, symbol="BTC/USDT", strategy=strategy, params={"quantity": "0.1", **params},
        fee_rate=Decimal(0), starting_cash=Decimal(10_000_000), tick_size=Decimal("0.01"),
    ))


def simulate(n: int, enter: Callable[[int], bool],
             leave: Callable[[int], bool]) -> list[tuple[int, int]]:
    """Long-only trades a bar-close decision rule makes: a decision on bar i fills at bar i+1's
    open, before the decision on bar i+1. Returns (entry bar, exit bar) of closed trades."""
    trades: list[tuple[int, int]] = []
    entry: int | None = None
    for i in range(n - 1):
        if entry is None:
            if enter(i):
                entry = i + 1
        elif leave(i):
            trades.append((entry, i + 1))
            entry = None
    return trades


def trade_bars(result: BacktestResult, bars: BarArrays) -> list[tuple[int, int]]:
    """(entry bar, exit bar) of each closed trade of a backtest."""
    index = {int(t): i for i, t in enumerate(bars.ts_ns.tolist())}
    return [(index[t.entry_ts_ns], index[t.exit_ts_ns]) for t in result.trades]

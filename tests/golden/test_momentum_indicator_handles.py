"""mean_reversion and trend_ema_adx on engine indicator handles trade exactly as they did with
their own streaming twins.

The expected figures were recorded from the code before they used handles (commit 1143269,
where each strategy updated StreamingBollinger/RSI/ZScore or StreamingEMA/DMI itself on every
bar), on the first 60,000 real BTCUSDT minutes of 2024."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from aitrader.data.bar_arrays import BarArrays
from aitrader.runtime.backtest import BacktestRequest, run_backtest

pytestmark = pytest.mark.realdata

# strategy, params -> (closed trades, final equity, sha256 of the trade rows, first 16 digits)
RECORDED = [
    ("mean_reversion", {"quantity": "1"}, 388, "9968976.2749200000000", "025a18e420b85e3f"),
    ("trend_ema_adx", {"quantity": "1", "adx_min": 20},
     445, "9961170.7725400000000", "8772175189a3bbe6"),
]


def _bars(shared_data: Path) -> BarArrays:
    path = shared_data / "crypto/binance_spot_1m/BTCUSDT/BTCUSDT_1m_2024.parquet"
    df = pd.read_parquet(path).iloc[:60_000]
    ts = df["open_time"].dt.as_unit("ns").astype("int64").to_numpy()
    cols = [df[c].to_numpy(dtype=np.float64) for c in ("open", "high", "low", "close", "volume")]
    return BarArrays(ts, *cols, timeframe_ns=60_000_000_000)


@pytest.mark.parametrize("batch", [True, False], ids=["batch", "streamed"])
@pytest.mark.parametrize(("strategy", "params", "count", "equity", "digest"), RECORDED)
def test_a_momentum_strategy_on_real_bars_makes_the_trades_it_made_with_its_own_twins(
        shared_data, strategy, params, count, equity, digest, batch) -> None:
    result = run_backtest(BacktestRequest(
        bars=_bars(shared_data), symbol="BTC/USDT", strategy=strategy, params=params,
        starting_cash=Decimal(10_000_000), tick_size=Decimal("0.01"), batch_indicators=batch))
    rows = [(t.entry_ts_ns, str(t.entry_price), t.exit_ts_ns, str(t.exit_price), str(t.pnl))
            for t in result.trades]
    assert len(rows) == count
    assert str(result.final_equity) == equity
    assert hashlib.sha256(repr(rows).encode()).hexdigest()[:16] == digest

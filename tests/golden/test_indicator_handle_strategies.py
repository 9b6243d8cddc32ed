"""Strategies on engine indicator handles trade exactly as they did with their own indicators.

The expected figures were recorded from the code before each strategy used handles, on the
first real BTCUSDT minutes of 2024: sma_cross at commit 66eaaa1 (it summed two deques with
math.fsum on every bar; 20,000 minutes), mean_reversion and trend_ema_adx at commit 1143269
(they updated StreamingBollinger/RSI/ZScore and StreamingEMA/DMI themselves; 60,000 minutes).
Each runs with the handles batch-computed and streamed."""

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

# strategy, params, minutes -> (closed trades, final equity, sha256 of the trade rows, 16 digits)
RECORDED = [
    ("sma_cross", {"fast": 10, "slow": 30, "quantity": "1"}, 20_000,
     407, "9962603.7240300000000", "43df945b5087c6e5"),
    ("sma_cross", {"fast": 5, "slow": 50, "quantity": "1", "allow_short": True}, 20_000,
     759, "9933583.8579600000000", "f49a8569c3951eb6"),
    ("sma_cross", {"fast": 10, "slow": 30, "quantity": "1", "stop_loss_pct": 0.002,
                   "take_profit_pct": 0.004}, 20_000,
     407, "9961552.9558500000000", "359a081a7825b1b7"),
    ("mean_reversion", {"quantity": "1"}, 60_000,
     388, "9968976.2749200000000", "025a18e420b85e3f"),
    ("trend_ema_adx", {"quantity": "1", "adx_min": 20}, 60_000,
     445, "9961170.7725400000000", "8772175189a3bbe6"),
]


def _bars(shared_data: Path, minutes: int) -> BarArrays:
    path = shared_data / "crypto/binance_spot_1m/BTCUSDT/BTCUSDT_1m_2024.parquet"
    df = pd.read_parquet(path).iloc[:minutes]
    ts = df["open_time"].dt.as_unit("ns").astype("int64").to_numpy()
    cols = [df[c].to_numpy(dtype=np.float64) for c in ("open", "high", "low", "close", "volume")]
    return BarArrays(ts, *cols, timeframe_ns=60_000_000_000)


@pytest.mark.parametrize("batch", [True, False], ids=["batch", "streamed"])
@pytest.mark.parametrize(("strategy", "params", "minutes", "count", "equity", "digest"),
                         RECORDED)
def test_a_strategy_on_real_bars_makes_the_trades_it_made_before_indicator_handles(
        shared_data, strategy, params, minutes, count, equity, digest, batch) -> None:
    result = run_backtest(BacktestRequest(
        bars=_bars(shared_data, minutes), symbol="BTC/USDT", strategy=strategy, params=params,
        starting_cash=Decimal(10_000_000), tick_size=Decimal("0.01"), batch_indicators=batch))
    if strategy == "sma_cross":  # recorded with the quantity in each row
        rows: list[tuple[object, ...]] = [
            (t.entry_ts_ns, str(t.entry_price), t.exit_ts_ns, str(t.exit_price),
             str(t.quantity), str(t.pnl)) for t in result.trades]
    else:
        rows = [(t.entry_ts_ns, str(t.entry_price), t.exit_ts_ns, str(t.exit_price), str(t.pnl))
                for t in result.trades]
    assert len(rows) == count
    assert str(result.final_equity) == equity
    assert hashlib.sha256(repr(rows).encode()).hexdigest()[:16] == digest

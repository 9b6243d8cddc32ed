"""sma_cross on engine indicator handles trades exactly as it did with its own SMA windows.

The expected figures were recorded from the code before the handles existed (commit 66eaaa1,
where SmaCross summed two deques with math.fsum on every bar), on the first 20,000 real
BTCUSDT minutes of 2024."""

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

# params -> (closed trades, final equity, sha256 of the trade rows, first 16 hex digits)
RECORDED = [
    ({"fast": 10, "slow": 30, "quantity": "1"},
     407, "9962603.7240300000000", "43df945b5087c6e5"),
    ({"fast": 5, "slow": 50, "quantity": "1", "allow_short": True},
     759, "9933583.8579600000000", "f49a8569c3951eb6"),
    ({"fast": 10, "slow": 30, "quantity": "1", "stop_loss_pct": 0.002, "take_profit_pct": 0.004},
     407, "9961552.9558500000000", "359a081a7825b1b7"),
]


def _bars(shared_data: Path) -> BarArrays:
    path = shared_data / "crypto/binance_spot_1m/BTCUSDT/BTCUSDT_1m_2024.parquet"
    df = pd.read_parquet(path).iloc[:20_000]
    ts = df["open_time"].dt.as_unit("ns").astype("int64").to_numpy()
    cols = [df[c].to_numpy(dtype=np.float64) for c in ("open", "high", "low", "close", "volume")]
    return BarArrays(ts, *cols, timeframe_ns=60_000_000_000)


@pytest.mark.parametrize("batch", [True, False], ids=["batch", "streamed"])
@pytest.mark.parametrize(("params", "count", "equity", "digest"), RECORDED)
def test_sma_cross_on_20k_real_bars_makes_the_trades_it_made_before_indicator_handles(
        shared_data, params, count, equity, digest, batch) -> None:
    result = run_backtest(BacktestRequest(
        bars=_bars(shared_data), symbol="BTC/USDT", strategy="sma_cross", params=params,
        starting_cash=Decimal(10_000_000), tick_size=Decimal("0.01"), batch_indicators=batch))
    rows = [(t.entry_ts_ns, str(t.entry_price), t.exit_ts_ns, str(t.exit_price), str(t.quantity),
             str(t.pnl)) for t in result.trades]
    assert len(rows) == count
    assert str(result.final_equity) == equity
    assert hashlib.sha256(repr(rows).encode()).hexdigest()[:16] == digest

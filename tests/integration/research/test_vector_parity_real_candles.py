"""The vectorized path and the event engine give identical trade lists on real BTCUSDT candles."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from aitrader.data.bar_arrays import BarArrays
from aitrader.research.vector_backtest import run_vectorized
from aitrader.runtime.backtest import BacktestRequest, run_backtest

pytestmark = pytest.mark.realdata
N_BARS = 40_000


@pytest.fixture(scope="module")
def btc_bars(shared_data: Path) -> BarArrays:
    df = pd.read_parquet(shared_data / "crypto/binance_spot_1m/BTCUSDT/BTCUSDT_1m_2024.parquet")
    df = df.iloc[100_000:100_000 + N_BARS]
    ts = df["open_time"].dt.as_unit("ns").astype("int64").to_numpy()
    cols = [df[c].to_numpy(dtype=np.float64) for c in ("open", "high", "low", "close", "volume")]
    return BarArrays(ts, *cols, timeframe_ns=60_000_000_000)


def _trade_rows(trades: list) -> list[tuple]:
    return [(t.side, t.quantity, t.entry_ts_ns, t.entry_price, t.exit_ts_ns, t.exit_price,
             t.pnl, t.fees) for t in trades]


CASES = {
    "plain cross": {"fast": 10, "slow": 30, "quantity": "0.5"},
    "stop-loss and take-profit": {"fast": 12, "slow": 40, "quantity": "0.5",
                                  "stop_loss_pct": 0.002, "take_profit_pct": 0.004},
    "tight stop only": {"fast": 5, "slow": 20, "quantity": "1", "stop_loss_pct": 0.0007},
    "take-profit only": {"fast": 8, "slow": 50, "quantity": "1", "take_profit_pct": 0.001},
}


@pytest.mark.parametrize("params", CASES.values(), ids=CASES.keys())
@pytest.mark.parametrize("slippage_bps", [Decimal(0), Decimal(3)], ids=["no-slip", "3bps"])
def test_vectorized_trades_equal_the_event_engine_trade_by_trade(
    btc_bars: BarArrays, params: dict, slippage_bps: Decimal
) -> None:
    req = BacktestRequest(bars=btc_bars, symbol="BTC/USDT", strategy="sma_cross",
                          params=params, fee_rate=Decimal("0.001"),
                          maker_fee_rate=Decimal("0.0002"), slippage_bps=slippage_bps)
    event = run_backtest(req)
    vector = run_vectorized(req)
    assert len(event.trades) > 50
    assert _trade_rows(vector.trades) == _trade_rows(event.trades)
    assert vector.stats.trades == event.stats.trades
    assert vector.stats.fees == pytest.approx(event.stats.fees, rel=1e-12)
    np.testing.assert_allclose(vector.equity, event.equity, rtol=1e-9)
    assert vector.stats.sharpe == pytest.approx(event.stats.sharpe, rel=1e-6)


def test_an_entry_the_cash_cannot_pay_for_is_skipped_on_both_paths(btc_bars: BarArrays) -> None:
    # 2 BTC at ~60k is more than 100k of cash: every entry is refused by the funds check
    req = BacktestRequest(bars=btc_bars.slice(0, 5_000), symbol="BTC/USDT",
                          strategy="sma_cross", params={"quantity": "2"})
    assert run_vectorized(req).trades == run_backtest(req).trades == []

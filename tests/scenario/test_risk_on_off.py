"""The same SMA-crossover backtest on BTCUSDT 1m through the June 2022 crash, with the risk
engine off and on (default limits): the report shows how much max drawdown the risk engine cut."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from crash_day import load_window
from typer.testing import CliRunner

from aitrader.cli.main import app
from aitrader.risk.config import RiskConfig
from aitrader.runtime.backtest import BacktestRequest, risk_on_off

pytestmark = pytest.mark.realdata


def test_the_risk_engine_cuts_the_max_drawdown_of_a_losing_month(shared_data: Path) -> None:
    bars = load_window(shared_data, "2022-06-01", "2022-07-01")
    req = BacktestRequest(bars=bars, symbol="BTC/USDT", strategy="sma_cross",
                          params={"fast": 10, "slow": 30, "quantity": "3"},
                          fee_rate=Decimal("0.001"), tick_size=Decimal("0.01"))
    report = risk_on_off(req, RiskConfig())
    off, on = report["risk_off"], report["risk_on"]
    assert off["max_drawdown"] > 0.40 and off["halts"] == 0 and off["denied"] == 0
    assert on["max_drawdown"] < 0.16  # halted at 15% from the peak; exits still passed
    assert on["halts"] > 0 and on["denied"] > 0
    assert report["max_drawdown_cut"] > 0.25
    assert float(on["final_equity"]) > float(off["final_equity"])


def test_backtest_compare_risk_prints_both_drawdowns(shared_data: Path, tmp_path: Path) -> None:
    data = shared_data / "crypto" / "binance_spot_1m" / "BTCUSDT" / "BTCUSDT_1m_2022.parquet"
    out = CliRunner().invoke(app, [
        "backtest", "-s", "sma_cross", "-d", str(data), "--start", "2022-06-10",
        "--end", "2022-06-16", "-p", "fast=10", "-p", "slow=30", "-p", "quantity=3",
        "--compare-risk", "--json", "--out", str(tmp_path), "--config-dir", str(tmp_path)])
    assert out.exit_code == 0, out.output
    summary = json.loads(out.stdout)  # log lines (trips, denials) go to stderr
    cmp = summary["risk_comparison"]
    assert cmp["risk_off"]["max_drawdown"] > cmp["risk_on"]["max_drawdown"]
    assert summary["risk"]["metrics"]["var_99"] > 0
    assert summary["risk"]["halts"]
    saved = json.loads((tmp_path / "summary.json").read_text())
    assert saved["risk"]["denials"] == summary["risk"]["denials"]

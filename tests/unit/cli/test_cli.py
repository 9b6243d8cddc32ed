"""The aitrader command: backtest, strategies and up, including their errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from aitrader.cli.main import app

runner = CliRunner()


def _csv(tmp_path: Path, n: int = 600) -> Path:
    rng = np.random.default_rng(5)
    close = 100 * np.exp(np.cumsum(rng.normal(0, 0.002, n)))
    opens = np.r_[100.0, close[:-1]]
    lines = ["timestamp,open,high,low,close,volume"]
    for i in range(n):
        o, c = round(opens[i], 2), round(close[i], 2)
        lines.append(f"{1_704_067_200_000 + i * 60_000},{o},{max(o, c) + 0.05},"
                     f"{min(o, c) - 0.05},{c},1.5")
    p = tmp_path / "bars.csv"
    p.write_text("\n".join(lines) + "\n")
    return p


def test_backtest_prints_stats_writes_files_and_is_deterministic(tmp_path: Path) -> None:
    data = _csv(tmp_path)
    args = ["backtest", "-s", "sma_cross", "-d", str(data), "--symbol", "ABC/USD",
            "-p", "fast=5", "-p", "slow=20", "-p", "quantity=2", "--json"]
    a = runner.invoke(app, [*args, "--out", str(tmp_path / "a")])
    b = runner.invoke(app, [*args, "--out", str(tmp_path / "b")])
    assert a.exit_code == 0, a.output
    summary = json.loads(a.output)
    assert summary["bars"] == 600 and summary["trades"] > 5
    assert a.output == b.output
    trades = (tmp_path / "a" / "trades.csv").read_text().splitlines()
    assert trades[0].startswith("entry_ts_ns,exit_ts_ns,side")
    assert len(trades) == summary["trades"] + 1
    a_trades, b_trades = (tmp_path / d / "trades.csv" for d in ("a", "b"))
    assert a_trades.read_text() == b_trades.read_text()
    assert len((tmp_path / "a" / "equity.csv").read_text().splitlines()) == 601


def test_backtest_table_output_names_every_statistic(tmp_path: Path) -> None:
    result = runner.invoke(app, ["backtest", "-s", "sma_cross", "-d", str(_csv(tmp_path)),
                                 "--symbol", "ABC/USD", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    for label in ("total return", "CAGR", "Sharpe", "Sortino", "Calmar", "max drawdown",
                  "win rate", "profit factor", "exposure"):
        assert label in result.output


def test_backtest_bad_inputs_are_clear_errors(tmp_path: Path) -> None:
    data = _csv(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("timestamp,open,high,low,close,volume\n1704067200000,1,2,0.5,x,1\n")
    cases = [
        (["-d", str(tmp_path / "missing.csv")], "does not exist"),
        (["-d", str(bad)], "row 0, column 'close': 'x' is not a number"),
        (["-d", str(data), "-p", "fast=40"], "fast must be < slow"),
        (["-d", str(data), "-p", "speed"], "--param must look like name=value"),
        (["-d", str(data), "--fee", "abc"], "--fee must be a number"),
        (["-d", str(data), "--symbol", "BTCUSDT"], "--symbol must look like BASE/QUOTE"),
    ]
    for extra, message in cases:
        result = runner.invoke(app, ["backtest", "-s", "sma_cross", *extra])
        assert result.exit_code == 2, (extra, result.output)
        assert message in result.output, (extra, result.output)


def test_strategies_lists_parameters_with_bounds() -> None:
    result = runner.invoke(app, ["strategies"])
    assert result.exit_code == 0
    assert "sma_cross" in result.output
    assert "fast: integer = 10  >=1 <=10000" in result.output


def test_up_runs_the_configured_paper_strategy_and_reports_equity(tmp_path: Path) -> None:
    result = runner.invoke(app, ["up", "--config-dir", str(tmp_path), "--max-bars", "300",
                                 "--seconds-per-bar", "0", "--status-every", "100"])
    assert result.exit_code == 0, result.output
    assert "paper trading: strategies sma-btc" in result.output
    assert "bars     300" in result.output and "equity paper=" in result.output


def test_up_refuses_a_bad_config_with_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "trading.yml").write_text("risk:\n  daily_loss_limit: 5\n")
    result = runner.invoke(app, ["up", "--config-dir", str(tmp_path), "--max-bars", "1"])
    assert result.exit_code == 2
    assert "trading.yml: risk.daily_loss_limit: Input should be less than or equal to 1" in (
        result.output)

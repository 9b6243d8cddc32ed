"""``aitrader report``: backtest a strategy on the event engine and write the HTML report."""

from __future__ import annotations

from pathlib import Path

import typer

from aitrader.cli.backtest_cmd import _decimal, _parse_params
from aitrader.core.errors import AitraderError


def report(
    strategy: str = typer.Argument(..., help="registered strategy name"),
    data: Path = typer.Option(..., "--data", "-d", help="CSV/parquet/feather file or directory"),
    symbol: str = typer.Option("BTC/USDT", help="symbol, BASE/QUOTE"),
    timeframe: str = typer.Option("", help="bar timeframe; inferred when empty"),
    start: str = typer.Option("", help="first bar, ISO date/time UTC"),
    end: str = typer.Option("", help="end (exclusive), ISO date/time UTC"),
    param: list[str] = typer.Option([], "--param", "-p", help="strategy parameter name=value"),
    fee: str = typer.Option("0.001", help="taker fee as a fraction of notional"),
    slippage: str = typer.Option("0", help="slippage in basis points"),
    cash: str = typer.Option("100000", help="starting cash in the quote currency"),
    out: Path = typer.Option(Path("runs/report"), help="folder for report.html/.json"),
) -> None:
    """Backtest on the event engine; write a self-contained report.html and report.json."""
    from aitrader.research.report import ReportData, write_report
    from aitrader.runtime.backtest import BacktestRequest, run_backtest
    from aitrader.runtime.backtest_files import load_backtest_bars

    base, sep, quote = symbol.partition("/")
    if not sep or not base or not quote:
        raise typer.BadParameter(f"--symbol must look like BASE/QUOTE, was {symbol!r}")
    params = _parse_params(param)
    try:
        bars = load_backtest_bars(data, timeframe or None, start or None, end or None)
        res = run_backtest(BacktestRequest(
            bars=bars, symbol=symbol, strategy=strategy, params=params,
            fee_rate=_decimal("--fee", fee), slippage_bps=_decimal("--slippage", slippage),
            starting_cash=_decimal("--cash", cash), base_currency=base, quote_currency=quote))
    except AitraderError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    html_path, json_path = write_report(ReportData(
        f"{strategy} backtest on {symbol}", strategy, dict(params), bars, res.ts_ns, res.equity,
        res.trades, res.stats), out)
    typer.echo(f"{res.stats.trades} trades, total return {res.stats.total_return:.2%}, "
               f"Sharpe {res.stats.sharpe:.2f}, max drawdown {res.stats.max_drawdown:.2%}")
    typer.echo(f"wrote {html_path} and {json_path}")

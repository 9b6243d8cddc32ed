"""``aitrader backtest``: run a strategy on a data file and print the results."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import typer

from aitrader.core.errors import AitraderError


def _decimal(name: str, text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise typer.BadParameter(f"{name} must be a number, was {text!r}") from None


def _parse_params(items: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"--param must look like name=value, was {item!r}")
        params[key.strip()] = value.strip()
    return params


def backtest(
    strategy: str = typer.Option(..., "--strategy", "-s", help="registered strategy name"),
    data: Path = typer.Option(..., "--data", "-d", help="CSV/parquet/feather file or directory"),
    symbol: str = typer.Option("BTC/USDT", help="symbol, BASE/QUOTE"),
    timeframe: str = typer.Option("", help="bar timeframe (1m, 1h...); inferred when empty"),
    start: str = typer.Option("", help="first bar, ISO date/time UTC"),
    end: str = typer.Option("", help="end (exclusive), ISO date/time UTC"),
    fee: str = typer.Option("0.001", help="taker fee as a fraction of notional"),
    slippage: str = typer.Option("0", help="slippage in basis points"),
    cash: str = typer.Option("100000", help="starting cash in the quote currency"),
    param: list[str] = typer.Option([], "--param", "-p", help="strategy parameter name=value"),
    out: Path = typer.Option(Path("runs/backtest"), help="folder for trades.csv, equity.csv"),
    as_json: bool = typer.Option(False, "--json", help="print the summary as JSON"),
    risk: bool = typer.Option(False, "--risk", help="run with the risk engine (trading.yml risk)"),
    compare_risk: bool = typer.Option(False, "--compare-risk",
                                      help="also run without risk and report the difference"),
    config_dir: Path = typer.Option(None, "--config-dir", help="folder of trading.yml"),
) -> None:
    """Backtest a strategy on bars from a file; prints trades and statistics."""
    from aitrader.runtime.backtest import BacktestRequest, risk_on_off, run_backtest
    from aitrader.runtime.backtest_files import load_backtest_bars, write_backtest_outputs
    from aitrader.runtime.settings import load_settings

    base, sep, quote = symbol.partition("/")
    if not sep or not base or not quote:
        raise typer.BadParameter(f"--symbol must look like BASE/QUOTE, was {symbol!r}")
    try:
        limits = load_settings(config_dir).trading.risk if risk or compare_risk else None
        bars = load_backtest_bars(data, timeframe or None, start or None, end or None)
        request = BacktestRequest(
            bars=bars, symbol=symbol, strategy=strategy, params=_parse_params(param),
            fee_rate=_decimal("--fee", fee), slippage_bps=_decimal("--slippage", slippage),
            starting_cash=_decimal("--cash", cash), base_currency=base, quote_currency=quote,
            risk=limits,
        )
        result = run_backtest(request)
        comparison = risk_on_off(request, limits) if compare_risk and limits else None
    except AitraderError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    write_backtest_outputs(result, out)
    summary = {
        "bars": result.bars_processed, "orders": result.orders, "fills": result.fills,
        "final_equity": str(result.final_equity), "final_cash": str(result.final_cash),
        "open_position": str(result.open_position), **result.stats.as_dict(),
        "risk": result.risk_summary(),
    }
    if comparison is not None:
        summary["risk_comparison"] = comparison
    if as_json:
        typer.echo(json.dumps(summary, indent=2, default=str))
        return
    for t in result.trades[-20:]:
        typer.echo(
            f"{_iso(t.entry_ts_ns)} → {_iso(t.exit_ts_ns)} {t.side.value:4} {t.quantity} "
            f"{t.entry_price} → {t.exit_price}  pnl {t.pnl:.2f} fees {t.fees:.2f}"
        )
    if len(result.trades) > 20:
        typer.echo(f"… {len(result.trades) - 20} earlier trades in {out / 'trades.csv'}")
    s = result.stats
    rows = [
        ("bars", f"{result.bars_processed:,}"), ("trades", f"{s.trades}"),
        ("total return", f"{s.total_return:.2%}"), ("CAGR", f"{s.cagr:.2%}"),
        ("Sharpe", f"{s.sharpe:.2f}"), ("Sortino", f"{s.sortino:.2f}"),
        ("Calmar", f"{s.calmar:.2f}"), ("max drawdown", f"{s.max_drawdown:.2%}"),
        ("win rate", f"{s.win_rate:.2%}"), ("profit factor", f"{s.profit_factor:.2f}"),
        ("exposure", f"{s.exposure:.2%}"), ("fees", f"{s.fees:,.2f}"),
        ("final equity", f"{result.final_equity:,.2f}"),
    ]
    if result.risk is not None:
        r = result.risk
        rows += [("VaR 95/99", f"{r.var_95:.2%} / {r.var_99:.2%}"),
                 ("CVaR 95/99", f"{r.cvar_95:.2%} / {r.cvar_99:.2%}"),
                 ("denied", f"{result.denied}"), ("halts", f"{len(result.halts)}")]
    if comparison is not None:
        off, on = comparison["risk_off"], comparison["risk_on"]
        rows += [("max DD off/on", f"{off['max_drawdown']:.2%} / {on['max_drawdown']:.2%}"),
                 ("max DD cut", f"{comparison['max_drawdown_cut']:.2%}")]
    for label, value in rows:
        typer.echo(f"{label:>14}  {value}")
    typer.echo(f"wrote {out / 'trades.csv'} and {out / 'equity.csv'}")


def _iso(ts_ns: int) -> str:
    return datetime.fromtimestamp(ts_ns / 1e9, tz=UTC).strftime("%Y-%m-%d %H:%M")

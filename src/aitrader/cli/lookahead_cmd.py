"""``aitrader lookahead-check``: does a strategy decide differently when future bars are gone?"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from aitrader.cli.backtest_cmd import _parse_params
from aitrader.core.errors import AitraderError


def lookahead_check(
    strategy: str = typer.Argument(..., help="registered strategy name"),
    data: Path = typer.Option(..., "--data", "-d", help="CSV/parquet/feather file or directory"),
    symbol: str = typer.Option("BTC/USDT", help="symbol, BASE/QUOTE"),
    timeframe: str = typer.Option("", help="bar timeframe (1m, 1h...); inferred when empty"),
    start: str = typer.Option("", help="first bar, ISO date/time UTC"),
    end: str = typer.Option("", help="end (exclusive), ISO date/time UTC"),
    param: list[str] = typer.Option([], "--param", "-p", help="strategy parameter name=value"),
    cuts: int = typer.Option(12, help="truncations just after recorded decisions"),
    spaced: int = typer.Option(4, help="additional evenly spaced truncations"),
    as_json: bool = typer.Option(False, "--json", help="print the report as JSON"),
) -> None:
    """Rerun STRATEGY on truncated history; exit 1 if any decision changes."""
    from aitrader.runtime.backtest_files import load_backtest_bars
    from aitrader.runtime.lookahead_check import check_lookahead

    try:
        bars = load_backtest_bars(data, timeframe or None, start or None, end or None)
        report = check_lookahead(strategy, bars, _parse_params(param), max_cuts=cuts,
                                 spaced_cuts=spaced, symbol=symbol)
    except (AitraderError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps({
            "strategy": report.strategy, "bars": report.bars, "decisions": report.decisions,
            "cuts": report.cuts, "passed": report.passed,
            "changes": [{"cut": c.cut, "bar": c.bar,
                         "full": c.full.describe() if c.full else None,
                         "truncated": c.truncated.describe() if c.truncated else None}
                        for c in report.changes],
        }, indent=2, default=str))
    else:
        typer.echo(f"{report.strategy}: {report.decisions} decisions on {report.bars:,} bars, "
                   f"{len(report.cuts)} truncated reruns")
        for c in report.changes:
            typer.echo(f"  cut at {c.cut}: bar {c.bar} changed")
            typer.echo(f"    all bars:  {c.full.describe() if c.full else 'no decision'}")
            typer.echo(f"    truncated: {c.truncated.describe() if c.truncated else 'no decision'}")
        typer.echo("no lookahead found" if report.passed else
                   f"LOOKAHEAD: {len(report.changes)} truncation(s) changed decisions")
    if not report.passed:
        raise typer.Exit(1)

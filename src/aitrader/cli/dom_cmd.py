"""``aitrader book-backtest``: replay a recorded L2 + trades feed through the engine."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

import typer

from aitrader.core.errors import AitraderError


def _decimal(name: str, text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise typer.BadParameter(f"{name} must be a number, was {text!r}") from None


def book_backtest(
    data: list[Path] = typer.Option(..., "--data", "-d",
                                    help="Binance feed file(s) in time order (.gz)"),
    strategy: str = typer.Option("dom_imbalance", "--strategy", "-s"),
    symbol: str = typer.Option("BTC/USDT", help="symbol, BASE/QUOTE"),
    venue: str = typer.Option("BINANCE", help="venue name of the simulated exchange"),
    fee: str = typer.Option("0.0005", help="taker fee as a fraction of notional"),
    lot: str = typer.Option("0.00001", help="lot size (0.001 for BTC USD-M futures)"),
    cash: str = typer.Option("100000", help="starting cash in the quote currency"),
    param: list[str] = typer.Option([], "--param", "-p", help="strategy parameter name=value"),
    as_json: bool = typer.Option(False, "--json", help="print the summary as JSON"),
) -> None:
    """Backtest a book strategy on a recorded depth/trade feed (L2 matching)."""
    from aitrader.core.ids import InstrumentId
    from aitrader.runtime.book_backtest import BookBacktestRequest, run_book_backtest
    from aitrader.storage.book_files import load_binance_feed

    base, sep, quote = symbol.partition("/")
    if not sep or not base or not quote:
        raise typer.BadParameter(f"--symbol must look like BASE/QUOTE, was {symbol!r}")
    params: dict[str, str] = {}
    for item in param:
        key, eq, value = item.partition("=")
        if not eq or not key:
            raise typer.BadParameter(f"--param must look like name=value, was {item!r}")
        params[key.strip()] = value.strip()
    try:
        feed = load_binance_feed(data, InstrumentId(symbol, venue))
        res = run_book_backtest(BookBacktestRequest(
            events=feed.events, strategy=strategy, params=params,
            fee_rate=_decimal("--fee", fee), lot_size=_decimal("--lot", lot),
            starting_cash=_decimal("--cash", cash), base_currency=base, quote_currency=quote))
    except AitraderError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    summary: dict[str, object] = {
        "events": res.events_processed, "book_updates": feed.diffs_applied + feed.snapshots,
        "trades_in_feed": feed.trades, "orders": res.orders, "fills": res.fills,
        "round_trips": len(res.trades), "final_equity": str(res.final_equity),
        "open_position": str(res.open_position), "elapsed_s": round(res.elapsed_s, 3),
        **res.stats.as_dict(),
    }
    if as_json:
        typer.echo(json.dumps(summary, indent=2, default=str))
        return
    for label, shown in summary.items():
        typer.echo(f"{label:>16}  {shown}")

"""``aitrader paper-live``: a strategy on a paper account fed by an exchange's public market
data (ccxt, no keys); the simulator fills the orders, nothing is sent to the exchange."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import typer

from aitrader.core.errors import AitraderError


def _params(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"--param must look like name=value, was {item!r}")
        out[key.strip()] = value.strip()
    return out


def paper_live(
    exchange: str = typer.Option(..., help="ccxt exchange id, e.g. kraken or binance"),
    symbol: str = typer.Option("BTC/USDT", help="unified symbol"),
    timeframe: str = typer.Option("1m", help="bar timeframe of the exchange's candles"),
    strategy: str = typer.Option("sma_cross", help="registered strategy name"),
    param: list[str] = typer.Option([], "--param", "-p", help="strategy parameter name=value"),
    cash: str = typer.Option("10000", help="starting balance in the quote currency"),
    fee: str = typer.Option("0.001", help="taker fee rate of the simulated fills"),
    duration: float = typer.Option(0.0, help="stop after this many seconds (0 = until Ctrl-C)"),
    max_bars: int = typer.Option(0, help="stop after this many bars (0 = no limit)"),
    poll_s: float = typer.Option(5.0, help="REST polling period when not on websockets"),
    endpoint: str = typer.Option(None, hidden=True, help="base URL replacing the exchange's"),
    rate_limit_ms: float = typer.Option(None, hidden=True, help="request spacing override"),
) -> None:
    """Paper-trade a strategy on live prices from an exchange's public feed."""
    from aitrader.core.account import Account
    from aitrader.core.ids import AccountId, InstrumentId
    from aitrader.core.ports import Subscription
    from aitrader.runtime.live_paper import build_live_feed_node
    from aitrader.strategies.registry import StrategyRegistry
    from aitrader.venues.ccxt.config import CcxtVenueConfig
    from aitrader.venues.simulated.fill_models import FeeModel

    try:
        rate = Decimal(fee)
        start_cash = Decimal(cash)
    except InvalidOperation:
        typer.echo(f"error: --fee and --cash must be numbers, were {fee!r} and {cash!r}",
                   err=True)
        raise typer.Exit(2) from None
    try:
        config = CcxtVenueConfig(name=exchange, exchange=exchange, sandbox=False,
                                 endpoint_override=endpoint, poll_interval_s=poll_s,
                                 rate_limit_ms=rate_limit_ms,
                                 market_data="poll" if endpoint else "auto")
        iid = InstrumentId(symbol, exchange)
        quote = symbol.split("/")[-1].split(":")[0]
        account = Account(AccountId("paper-live"), exchange, quote, {quote: start_cash})
        strat = StrategyRegistry.default().get(strategy)("paper-live", "paper-live", [iid],
                                                         _params(param))
        node = build_live_feed_node(config, [account], [strat],
                                    [Subscription("bars", iid, timeframe)], FeeModel(rate, rate))
    except (AitraderError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"paper trading {strategy} on {exchange} {symbol} {timeframe} live prices; "
               "orders fill in the simulator; Ctrl-C stops")
    try:
        status = node.run(max_items=max_bars or None, duration_s=duration or None)
    finally:
        node.feed.disconnect()
    equity = "  ".join(f"{acc}={value:,.2f}" for acc, value in status.equity.items())
    typer.echo(f"bars {status.items}  fills {status.fills}  equity {equity}")
    for err in status.errors:
        typer.echo(f"  error: {err}")

"""Order round trips through the CCXT venue against the local exchange server (kraken's recorded
payloads), with ccxt's own async client on the same server as the peer: what the venue adds
(loop-thread hop, translation, inbox, engine bookkeeping) on top of ccxt's HTTP round trip.

    .venv/bin/python benchmarks/ccxt_roundtrip.py --orders 200
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from decimal import Decimal
from pathlib import Path

from aitrader.core.account import Account
from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import OrderSide, OrderStatus, OrderType
from aitrader.core.ids import AccountId, InstrumentId, StrategyId
from aitrader.core.ports import LiveTradingGate
from aitrader.engine.clock import LiveClock
from aitrader.engine.trading_engine import TradingEngine
from aitrader.portfolio.portfolio import Portfolio
from aitrader.risk.pre_trade import PreTradeRisk
from aitrader.testkit.ccxt_replay import KrakenReplay
from aitrader.testkit.exchange_server import CcxtFixtures, ExchangeServer
from aitrader.venues.ccxt.client_factory import build_exchange
from aitrader.venues.ccxt.config import CcxtVenueConfig
from aitrader.venues.ccxt.venue import CcxtVenue

FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "ccxt"
# Kraken's published example private key (Spot REST authentication guide), not a credential
DOC_KEY = ("kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huX"
           "g==")
LTC = InstrumentId("LTC/USDT", "kraken")


def _config(server: ExchangeServer) -> CcxtVenueConfig:
    return CcxtVenueConfig(name="kraken", exchange="kraken", api_key="key", secret=DOC_KEY,
                           sandbox=False, endpoint_override=server.base_url, rate_limit_ms=1,
                           poll_interval_s=600)


async def _raw_ccxt(server: ExchangeServer, n: int) -> list[float]:
    client = build_exchange(_config(server))
    await client.load_markets()
    times = []
    try:
        for i in range(n):
            start = time.perf_counter()
            await client.create_order("LTC/USDT", "limit", "buy", 0.1, 50,
                                      {"clientOrderId": f"raw-{i}"})
            times.append(time.perf_counter() - start)
    finally:
        await client.close()
    return times


def _venue(server: ExchangeServer, n: int) -> tuple[list[float], list[float]]:
    clock = LiveClock()
    venue = CcxtVenue(_config(server), clock, LiveTradingGate.allow("benchmark, local server"))
    venue.connect()
    portfolio = Portfolio()
    account = AccountId("bench")
    portfolio.add_account(Account(account, "kraken", "USDT", {"USDT": Decimal(10**9)}))
    engine = TradingEngine(clock, {"kraken": venue}, portfolio, PreTradeRisk(portfolio))
    portfolio.update_mark(LTC, 70.0)
    sid = StrategyId("bench")
    submit, cancel = [], []
    try:
        for _ in range(n):
            start = time.perf_counter()
            order = engine.orders.submit(SubmitOrder(
                engine.orders.next_order_id(sid), sid, account, LTC, OrderSide.BUY,
                OrderType.LIMIT, Decimal("0.1"), Decimal("50")))
            while order.status is not OrderStatus.ACCEPTED:
                venue.wait_for_events(1, timeout_s=5)
            submit.append(time.perf_counter() - start)
            start = time.perf_counter()
            engine.orders.cancel(order.client_order_id)
            while order.status is not OrderStatus.CANCELED:
                venue.wait_for_events(1, timeout_s=5)
            cancel.append(time.perf_counter() - start)
    finally:
        venue.disconnect()
    return submit, cancel


def _row(name: str, times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    return (f"| {name} | {len(ms)} | {statistics.mean(ms):.2f} | {statistics.median(ms):.2f} | "
            f"{p99:.2f} |")


def main() -> None:
    """Run both, print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=200)
    args = parser.parse_args()
    fixtures = CcxtFixtures(FIXTURES)
    with ExchangeServer() as server:
        replay = KrakenReplay(server, fixtures)
        replay.serve_all()
        replay.accept_orders([f"OBENCH-{i:05d}-AAAAAA" for i in range(2 * args.orders + 1)])
        raw = asyncio.run(_raw_ccxt(server, args.orders))
        submit, cancel = _venue(server, args.orders)
    print("| path | orders | mean ms | median ms | p99 ms |")
    print("| --- | --- | --- | --- | --- |")
    print(_row("ccxt create_order alone (peer)", raw))
    print(_row("venue submit → OrderAccepted in the engine", submit))
    print(_row("venue cancel → OrderCanceled (cancel + read-back)", cancel))


if __name__ == "__main__":
    main()

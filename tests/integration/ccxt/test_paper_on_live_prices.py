"""Paper trading on live prices: kraken's public feed (replayed from its recorded payloads by
the local server) drives a strategy through the ccxt venue; the simulator fills its orders."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

import pytest

from aitrader.core.account import Account
from aitrader.core.errors import ConfigError
from aitrader.core.events import OrderFilled
from aitrader.core.ids import AccountId, InstrumentId
from aitrader.core.market_data import Bar
from aitrader.core.ports import LiveTradingGate, Subscription
from aitrader.engine.clock import LiveClock, SimClock
from aitrader.runtime.live_paper import build_live_feed_node
from aitrader.strategies.base import Strategy
from aitrader.testkit.ccxt_replay import KrakenReplay
from aitrader.testkit.exchange_server import CcxtFixtures, ExchangeServer, Reply
from aitrader.venues.ccxt.config import CcxtVenueConfig
from aitrader.venues.ccxt.venue import CcxtVenue
from aitrader.venues.simulated.fill_models import FeeModel

BTC = InstrumentId("BTC/USDT", "kraken")


class BuyThenSell(Strategy):
    """Buys 0.01 on the first bar, sells it on the third; records every bar it saw."""

    name = "buy_then_sell"

    def on_start(self) -> None:
        self.seen: list[Bar] = []

    def on_bar(self, bar: Bar) -> None:
        self.seen.append(bar)
        if len(self.seen) == 1:
            self.buy("0.01")
        elif len(self.seen) == 3:
            self.sell("0.01")


def _feed_config(server: ExchangeServer, **overrides: Any) -> CcxtVenueConfig:
    values: dict[str, Any] = {"name": "kraken", "exchange": "kraken", "sandbox": False,
                              "endpoint_override": server.base_url, "rate_limit_ms": 1,
                              "poll_interval_s": 0.01, "market_data": "poll",
                              "reconnect_initial_s": 0.01, "reconnect_max_s": 0.05}
    values.update(overrides)
    return CcxtVenueConfig(**values)


def test_a_strategy_trades_on_paper_from_the_replayed_public_feed(
        server: ExchangeServer, fixtures: CcxtFixtures) -> None:
    replay = KrakenReplay(server, fixtures)
    replay.serve_markets()
    rows = replay.serve_ohlc(progressive=True)
    strategy = BuyThenSell("bts", "paper", [BTC])
    account = Account(AccountId("paper"), "kraken", "USDT", {"USDT": Decimal(10_000)})
    node = build_live_feed_node(
        _feed_config(server), [account], [strategy], [Subscription("bars", BTC, "1h")],
        FeeModel(Decimal("0.0016"), Decimal("0.0026")), clock=SimClock(0))
    fills: list[OrderFilled] = []
    node.engine.bus.subscribe(OrderFilled, fills.append)
    try:
        status = node.run(max_items=len(rows), duration_s=20)
    finally:
        node.feed.disconnect()
    assert [b.ts_event // 1_000_000_000 for b in strategy.seen] == [r[0] for r in rows]
    assert [b.open for b in strategy.seen] == [float(r[1]) for r in rows]
    # market orders fill at the next bar's open, as recorded by kraken
    assert [(f.side.value, f.last_px) for f in fills] == [
        ("BUY", Decimal(rows[1][1])), ("SELL", Decimal(rows[3][1]))]
    fee = sum((f.commission for f in fills), Decimal(0))
    pnl = (Decimal(rows[3][1]) - Decimal(rows[1][1])) * Decimal("0.01")
    assert status.equity["paper"] == Decimal(10_000) + pnl - fee
    assert status.items == len(rows) and status.errors == []
    assert len(server.requests("/0/public/OHLC")) >= len(rows)
    assert server.requests("/0/private/") == []  # no key, no private call, no order sent


def test_the_trade_stream_survives_dropped_requests_and_never_repeats_a_trade(
        server: ExchangeServer, fixtures: CcxtFixtures) -> None:
    replay = KrakenReplay(server, fixtures)
    replay.serve_markets()
    body = fixtures.http_response("kraken", "fetchTrades")
    server.on("/0/public/Trades", Reply(drop=True), Reply(drop=True), Reply(body))
    venue = CcxtVenue(_feed_config(server), LiveClock(), LiveTradingGate.deny("feed"))
    venue.connect()
    ticks: list[Any] = []
    try:
        venue.subscribe(Subscription("trades", BTC), ticks.append)
        deadline = time.monotonic() + 10
        while len(server.requests("/0/public/Trades")) < 6 and time.monotonic() < deadline:
            venue.poll()
            time.sleep(0.005)
        venue.poll()
    finally:
        venue.disconnect()
    recorded = fixtures.case("kraken", "fetchTrades")["parsedResponse"][0]
    assert len(ticks) == 1
    (tick,) = ticks
    assert (tick.price, tick.size, tick.trade_id) == (
        recorded["price"], recorded["amount"], recorded["id"])
    assert tick.ts_event == recorded["timestamp"] * 1_000_000
    assert venue.health().reconnects >= 1


def test_the_book_stream_delivers_the_exchanges_levels_best_first(
        server: ExchangeServer, fixtures: CcxtFixtures) -> None:
    replay = KrakenReplay(server, fixtures)
    replay.serve_markets()
    replay.serve_book()
    venue = CcxtVenue(_feed_config(server), LiveClock(), LiveTradingGate.deny("feed"))
    venue.connect()
    books: list[Any] = []
    try:
        venue.subscribe(Subscription("book", BTC, depth=10), books.append)
        venue.wait_for_events(1, timeout_s=5)
    finally:
        venue.disconnect()
    book = books[0]
    assert [(lv.price, lv.size) for lv in book.bids] == [
        (0.02347, 59.58), (0.02346, 20.0), (0.02344, 67.832)]
    assert [lv.price for lv in book.asks] == [0.02348, 0.02349, 0.0235]


def test_a_feed_with_keys_is_refused(server: ExchangeServer) -> None:
    with pytest.raises(ConfigError, match="takes no API keys"):
        build_live_feed_node(_feed_config(server, api_key="k", secret="s"), [], [], [],
                             FeeModel())


def test_a_websocket_stream_that_drops_reconnects_and_subscribes_again(
        server: ExchangeServer, fixtures: CcxtFixtures) -> None:
    # no recorded kraken websocket payloads are available: the server only listens, records
    # what ccxt sends, and hangs up after each subscription (an exchange closing the link)
    replay = KrakenReplay(server, fixtures)
    replay.serve_markets()
    server.on_websocket("", [], hang_up_after=1)
    venue = CcxtVenue(_feed_config(server, market_data="ws"), LiveClock(),
                      LiveTradingGate.deny("feed"))
    venue.connect()
    try:
        venue.subscribe(Subscription("trades", BTC), lambda item: None)
        deadline = time.monotonic() + 10
        while len(server.websocket_log("")[1]) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        connections, sent = server.websocket_log("")
        health = venue.health()
    finally:
        venue.disconnect()
    assert connections >= 3
    subscribes = [m for m in sent if "subscribe" in m and "trade" in m]
    assert len(subscribes) >= 3 and len(set(subscribes)) <= len(subscribes)
    assert not health.connected and "trades stream" in health.detail

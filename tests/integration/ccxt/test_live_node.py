"""A live node: a strategy trades on the kraken venue (the local server replaying kraken's
recorded OHLC and order payloads), and the node reconciles after the link came back."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

from aitrader.core.account import Account
from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import OrderSide, OrderStatus, OrderType
from aitrader.core.events import OrderFilled
from aitrader.core.ids import AccountId, InstrumentId, StrategyId
from aitrader.core.market_data import Bar
from aitrader.runtime.live_node import build_live_node
from aitrader.strategies.base import Strategy
from aitrader.testkit.ccxt_replay import OPEN_LIMIT, KrakenReplay
from aitrader.testkit.exchange_server import ExchangeServer, Reply

BTC = InstrumentId("BTC/USDT", "kraken")
ACCOUNT = AccountId("kraken-main")


class BuyThenSell(Strategy):
    """Buys 0.01 on the first bar, sells it on the third."""

    name = "buy_then_sell_live"

    def on_start(self) -> None:
        self.bars: list[Bar] = []

    def on_bar(self, bar: Bar) -> None:
        self.bars.append(bar)
        if len(self.bars) == 1:
            self.buy("0.01")
        elif len(self.bars) == 3:
            self.sell("0.01")


def _node(node_factory: Any, strategies: list[Strategy], **venue_overrides: Any) -> Any:
    venue = node_factory(market_data="poll", **venue_overrides).venue
    account = Account(ACCOUNT, "kraken", "USDT", {"USDT": Decimal(10_000), "BTC": Decimal(0)})
    return build_live_node({"kraken": venue}, [account], strategies, timeframe="1h")


def test_a_strategy_trades_live_on_the_exchange_feed_and_its_fills(
        node_factory: Any, server: ExchangeServer, kraken: KrakenReplay) -> None:
    rows = kraken.serve_ohlc(progressive=True)
    kraken.accept_orders(["OLIVE1-AAAAA-BBBBBB", "OLIVE2-AAAAA-BBBBBB"], fill_at="43400.0")
    strategy = BuyThenSell("live", str(ACCOUNT), [BTC])
    node = _node(node_factory, [strategy])
    fills: list[OrderFilled] = []
    node.engine.bus.subscribe(OrderFilled, fills.append)
    node.run(duration_s=3)
    assert [int(b.open) for b in strategy.bars] == [int(float(r[1])) for r in rows]
    sent = server.requests("/0/private/AddOrder")
    assert [(r.form["type"], r.form["ordertype"], r.form["volume"]) for r in sent] == [
        ("buy", "market", "0.01"), ("sell", "market", "0.01")]
    assert [(f.side.value, f.last_qty, f.last_px) for f in fills] == [
        ("BUY", Decimal("0.01"), Decimal("43400")), ("SELL", Decimal("0.01"), Decimal("43400"))]
    assert node.engine.portfolio.net_quantity(ACCOUNT, BTC) == 0
    assert node.reports and node.reports[0].clean and node.errors == []
    # the paper-style starting balances are not what the exchange holds: reported, not changed
    assert "USDT: the account books 10000, the venue holds 0" in node.reports[0].differences
    assert "BTC: the account books 0, the venue holds 1.2435" in node.reports[0].differences


def test_after_the_link_comes_back_the_node_reconciles_and_reports_a_stranger(
        node_factory: Any, server: ExchangeServer, kraken: KrakenReplay) -> None:
    kraken.accept_orders(["OKEEP1-AAAAA-BBBBBB"])
    node = _node(node_factory, [])
    sid = StrategyId("manual")
    order = node.engine.orders.submit(SubmitOrder(
        node.engine.orders.next_order_id(sid), sid, ACCOUNT, InstrumentId("LTC/USDT", "kraken"),
        OrderSide.BUY, OrderType.LIMIT, Decimal("0.1"), Decimal("50")))
    deadline = time.monotonic() + 5
    while order.status is not OrderStatus.ACCEPTED and time.monotonic() < deadline:
        node.step()
    assert node.reconcile()[0].clean
    server.on("/0/private/QueryOrders", Reply(drop=True))  # the link goes down
    while node.venues["kraken"].health().connected and time.monotonic() < deadline + 5:
        node.step()
    node.step()  # the node sees the venue down: the venue-down circuit breaker trips
    halts = [(t.breaker, t.scope) for t in node.engine.risk_monitor.breakers.active]
    assert halts == [("venue_down", "venue:kraken")]
    entry = node.engine.orders.submit(SubmitOrder(
        node.engine.orders.next_order_id(sid), sid, ACCOUNT, InstrumentId("LTC/USDT", "kraken"),
        OrderSide.BUY, OrderType.LIMIT, Decimal("0.1"), Decimal("50")))
    assert entry.status is OrderStatus.DENIED
    assert len(server.requests("/0/private/AddOrder")) == 1  # the denied entry never left
    kraken.put_order("OSTRAY-AAAAA-BBBBBB", kraken.order_entry(OPEN_LIMIT))  # placed by hand
    kraken.serve_orders()  # the link is back
    while len(node.reports) < 2 and time.monotonic() < deadline + 10:
        node.step()
        time.sleep(0.005)
    assert node.venues["kraken"].health().reconnects >= 1
    assert [u.venue_order_id for u in node.reports[-1].unknown_orders] == ["OSTRAY-AAAAA-BBBBBB"]
    assert order.status is OrderStatus.ACCEPTED

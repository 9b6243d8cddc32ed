"""Links that die in the middle of an order, orders in doubt, restarts: client order ids make
every retry safe, and reconciliation applies what happened while away exactly once."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from aitrader.core import events as ev
from aitrader.core.enums import OrderSide, OrderStatus, OrderType
from aitrader.core.ids import AccountId, InstrumentId
from aitrader.core.ports import LiveTradingGate
from aitrader.runtime.paper_store import PaperStore
from aitrader.runtime.reconciliation import Reconciler
from aitrader.testkit.ccxt_replay import OPEN_LIMIT, KrakenReplay
from aitrader.testkit.exchange_server import ExchangeServer, RecordedRequest, Reply

BUY, LIMIT = OrderSide.BUY, OrderType.LIMIT
LTC = InstrumentId("LTC/USDT", "kraken")
ACCOUNT = AccountId("kraken-main")


def test_a_link_lost_after_the_exchange_took_the_order_finds_it_instead_of_resending(
        node: Any, server: ExchangeServer, kraken: KrakenReplay) -> None:
    accept = kraken.accept_orders(["OMID01-AAAAA-BBBBBB"])

    def place_then_drop(request: RecordedRequest) -> Reply:
        accept(request)  # the exchange books it ...
        return Reply(drop=True)  # ... and the answer never arrives

    server.on("/0/private/AddOrder", place_then_drop)
    order = node.submit(BUY, LIMIT, "0.1", "50")
    assert node.settle(lambda: order.status is OrderStatus.ACCEPTED)
    assert order.venue_order_id == "OMID01-AAAAA-BBBBBB"
    assert len(server.requests("/0/private/AddOrder")) == 1
    assert len(kraken.orders) == 1


def test_a_link_lost_before_the_exchange_took_the_order_resends_the_same_client_id(
        node: Any, server: ExchangeServer, kraken: KrakenReplay) -> None:
    accept = kraken.accept_orders(["ORESND-AAAAA-BBBBBB"])
    server.on("/0/private/AddOrder", Reply(drop=True), accept)
    order = node.submit(BUY, LIMIT, "0.1", "50")
    assert node.settle(lambda: order.status is OrderStatus.ACCEPTED)
    sent = server.requests("/0/private/AddOrder")
    assert len(sent) == 2 and sent[0].form["cl_ord_id"] == sent[1].form["cl_ord_id"]
    assert len(kraken.orders) == 1


def test_an_order_in_doubt_waits_and_the_poller_resolves_it_when_the_exchange_is_back(
        node_factory: Any, server: ExchangeServer, kraken: KrakenReplay) -> None:
    node = node_factory(submit_retries=1)
    accept = kraken.accept_orders(["ODOUBT-AAAAA-BBBBBB"])
    server.on("/0/private/AddOrder", Reply(drop=True))
    order = node.submit(BUY, LIMIT, "0.1", "50")
    assert not node.settle(lambda: order.status is not OrderStatus.SUBMITTED, timeout_s=0.3)
    assert not node.venue.health().connected
    server.on("/0/private/AddOrder", accept)
    assert node.settle(lambda: order.status is OrderStatus.ACCEPTED)
    assert len(kraken.orders) == 1
    assert node.venue.health().connected and node.venue.health().reconnects >= 1


def test_a_closed_live_gate_refuses_orders_before_anything_is_sent(
        node_factory: Any, server: ExchangeServer, kraken: KrakenReplay) -> None:
    node = node_factory(gate=LiveTradingGate.deny("DISABLE_REAL_TRADING is set"))
    order = node.submit(BUY, LIMIT, "0.1", "50")
    assert order.status is OrderStatus.REJECTED
    assert "live trading is disabled for venue kraken: DISABLE_REAL_TRADING is set" in (
        order.events[-1].reason)  # type: ignore[attr-defined]
    assert server.requests("/0/private/AddOrder") == []


def test_a_restart_applies_what_happened_while_away_once_and_reports_strangers(
        node_factory: Any, server: ExchangeServer, kraken: KrakenReplay, tmp_path: Path) -> None:
    store = PaperStore.open(f"sqlite:///{tmp_path / 'live.db'}")
    first = node_factory(journal=store.journal, poll_interval_s=60, submit_retries=0)
    kraken.accept_orders(["ORA001-AAAAA-BBBBBB", "ORB001-AAAAA-BBBBBB", "ORC001-AAAAA-BBBBBB",
                          "ORD001-AAAAA-BBBBBB"])
    placed = []
    for _ in range(3):  # one at a time: the replay hands out the ids in the order it is asked
        order = first.submit(BUY, LIMIT, "0.1", "50")
        assert first.settle(lambda o=order: o.status is OrderStatus.ACCEPTED)
        placed.append(order)
    a, b, c = placed
    # d reaches the exchange but neither its answer nor the lookups come back: in doubt
    accept = kraken.accept_orders(["ORD001-AAAAA-BBBBBB"])
    server.on("/0/private/AddOrder", lambda r: (accept(r), Reply(drop=True))[1])
    server.on("/0/private/OpenOrders", Reply(drop=True))
    d = first.submit(BUY, LIMIT, "0.1", "50")
    first.settle(lambda: False, timeout_s=0.3)
    assert d.status is OrderStatus.SUBMITTED
    first.venue.disconnect()  # the process stops

    kraken.fill("ORA001-AAAAA-BBBBBB", "0.10000000", "49.90000", "0.007984", status="closed")
    kraken.orders["ORB001-AAAAA-BBBBBB"]["status"] = "canceled"
    kraken.fill("ORC001-AAAAA-BBBBBB", "0.04000000", "50.00000", "0.003200")
    kraken.put_order("OFOREIGN-AAAA-BBBBBB", kraken.order_entry(OPEN_LIMIT))  # placed by hand
    kraken.serve_orders()

    second = node_factory(journal=store.journal)
    for order in store.journal.load_open_orders():
        second.engine.orders.adopt(order)
    reconciler = Reconciler(second.engine.orders, second.venue, ACCOUNT, second.engine.clock)
    report = reconciler.run()

    got = {o.client_order_id: o for o in second.engine.orders.orders()}
    assert got[a.client_order_id].status is OrderStatus.FILLED
    assert got[a.client_order_id].avg_px == Decimal("49.9")
    assert got[b.client_order_id].status is OrderStatus.CANCELED
    assert got[c.client_order_id].status is OrderStatus.PARTIALLY_FILLED
    assert got[d.client_order_id].status is OrderStatus.ACCEPTED
    assert got[d.client_order_id].venue_order_id == "ORD001-AAAAA-BBBBBB"
    assert [u.venue_order_id for u in report.unknown_orders] == ["OFOREIGN-AAAA-BBBBBB"]
    assert report.missing_orders == []
    assert second.portfolio.net_quantity(ACCOUNT, LTC) == Decimal("0.14")

    again = reconciler.run()
    assert again.applied == [] and len(again.unknown_orders) == 1
    assert len(store.journal.fills(a.client_order_id)) == 1
    assert second.portfolio.net_quantity(ACCOUNT, LTC) == Decimal("0.14")

    # the live poller carries on from the reconciled state: the rest of c fills once
    kraken.fill("ORC001-AAAAA-BBBBBB", "0.10000000", "50.00000", "0.008000", status="closed")
    assert second.settle(lambda: got[c.client_order_id].status is OrderStatus.FILLED)
    fills = [e for e in got[c.client_order_id].events if type(e) is ev.OrderFilled]
    assert [f.last_qty for f in fills] == [Decimal("0.04"), Decimal("0.06")]
    assert second.portfolio.net_quantity(ACCOUNT, LTC) == Decimal("0.2")


def test_a_venue_disconnected_and_connected_again_carries_on_polling_its_orders(
        node: Any, server: ExchangeServer, kraken: KrakenReplay) -> None:
    kraken.accept_orders(["OAGAIN-AAAAA-BBBBBB"])
    order = node.submit(BUY, LIMIT, "0.1", "50")
    assert node.settle(lambda: order.status is OrderStatus.ACCEPTED)
    node.venue.disconnect()
    node.venue.connect()
    assert node.venue.health().connected and node.venue.health().reconnects == 1
    kraken.fill("OAGAIN-AAAAA-BBBBBB", "0.10000000", "50.00000", "0.008", status="closed")
    assert node.settle(lambda: order.status is OrderStatus.FILLED)

"""The ccxt venue trading on kraken's recorded payloads, served from 127.0.0.1: instruments,
balances, placing, fills (whole and partial), cancels and error responses."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from aitrader.core import events as ev
from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import OrderSide, OrderStatus, OrderType
from aitrader.core.errors import AuthenticationFailed, VenueUnavailable
from aitrader.core.ids import AccountId, InstrumentId, StrategyId
from aitrader.testkit.ccxt_replay import CLOSED_MARKET, KrakenReplay, kraken_error
from aitrader.testkit.exchange_server import CcxtFixtures, ExchangeServer, Reply

BUY, SELL, LIMIT, MARKET = OrderSide.BUY, OrderSide.SELL, OrderType.LIMIT, OrderType.MARKET
LTC = InstrumentId("LTC/USDT", "kraken")


def _fills(node: Any) -> list[ev.OrderFilled]:
    return [e for o in node.engine.orders.orders() for e in o.events if type(e) is ev.OrderFilled]


def test_instruments_load_with_the_exchanges_precision_and_limits(
        node: Any, fixtures: CcxtFixtures) -> None:
    by_id = {i.id: i for i in node.venue.instruments()}
    markets = fixtures.markets("kraken")
    assert {i.symbol for i in by_id} == set(markets)
    ltc = by_id[LTC]
    assert (ltc.tick_size, ltc.lot_size) == (Decimal("0.00001"), Decimal("1E-8"))
    assert (ltc.min_quantity, ltc.min_notional) == (Decimal("0.08"), Decimal("0.5"))
    assert (ltc.base_currency, ltc.quote_currency) == ("LTC", "USDT")
    assert node.venue.health().connected


def test_balances_come_back_exact_with_what_orders_hold(node: Any) -> None:
    by_cur = {b.currency: b for b in node.venue.balances(AccountId("kraken-main"))}
    assert by_cur["BTC"].total == Decimal("1.2435")
    assert by_cur["BTC"].used == Decimal("0.8423")
    assert by_cur["BTC"].free == Decimal("0.4012")
    assert by_cur["USD"].total == Decimal("25435.21")


def test_a_market_buy_sends_the_recorded_request_plus_our_client_id(
        node: Any, server: ExchangeServer, kraken: KrakenReplay, fixtures: CcxtFixtures) -> None:
    kraken.accept_orders(["OL7LNO-R4SAD-6UINEU"])
    order = node.submit(BUY, MARKET, "0.1")
    assert node.settle(lambda: order.status is OrderStatus.ACCEPTED)
    assert order.venue_order_id == "OL7LNO-R4SAD-6UINEU"
    (sent,) = server.requests("/0/private/AddOrder")
    recorded = next(c for c in fixtures.request_cases("kraken", "createOrder")
                    if c["description"] == "Spot market buy")
    expected = dict(p.split("=") for p in recorded["output"].split("&"))
    form = dict(sent.form)
    assert form.pop("cl_ord_id") == order.client_order_id
    form.pop("nonce")
    expected.pop("nonce")
    assert form == expected
    assert sent.headers["API-Key"] == "key" and sent.headers["API-Sign"]


def test_a_filled_market_order_books_the_recorded_price_and_fee_once(
        node: Any, kraken: KrakenReplay) -> None:
    kraken.accept_orders(["OGMZCL-KC6MC-ZRBGM6"], template=CLOSED_MARKET)
    order = node.submit(BUY, MARKET, "0.1")
    assert node.settle(lambda: order.status is OrderStatus.FILLED)
    (fill,) = _fills(node)
    assert (fill.last_qty, fill.last_px) == (Decimal("0.1"), Decimal("71.05741"))
    assert (fill.commission, fill.commission_currency) == (Decimal("0.018475"), "USDT")
    assert fill.trade_id == "OGMZCL-KC6MC-ZRBGM6:0.1"
    node.settle(lambda: False, timeout_s=0.1)  # further polls see the same report
    assert len(_fills(node)) == 1
    assert node.portfolio.net_quantity(AccountId("kraken-main"), LTC) == Decimal("0.1")


def test_a_partial_fill_then_the_rest_gives_two_fills_adding_up(
        node: Any, kraken: KrakenReplay) -> None:
    kraken.accept_orders(["OPART1-AAAAA-BBBBBB"])
    order = node.submit(BUY, LIMIT, "0.1", "50")
    assert node.settle(lambda: order.status is OrderStatus.ACCEPTED)
    kraken.fill("OPART1-AAAAA-BBBBBB", "0.04000000", "50.00000", "0.003200")
    assert node.settle(lambda: order.status is OrderStatus.PARTIALLY_FILLED)
    kraken.fill("OPART1-AAAAA-BBBBBB", "0.10000000", "49.80000", "0.007968", status="closed")
    assert node.settle(lambda: order.status is OrderStatus.FILLED)
    first, second = _fills(node)
    assert (first.last_qty, first.last_px, first.commission) == (
        Decimal("0.04"), Decimal("50"), Decimal("0.0032"))
    # the second fill is what moves the average from 50 to 49.8: 0.06 @ 49.6666…
    assert second.last_qty == Decimal("0.06")
    booked = first.last_qty * first.last_px + second.last_qty * second.last_px
    assert abs(booked - Decimal("4.98")) < Decimal("1e-9")
    assert second.commission == Decimal("0.004768")
    assert order.filled_qty == Decimal("0.1") and first.trade_id != second.trade_id


def test_cancelling_an_order_that_filled_meanwhile_books_the_fill_and_no_cancel(
        node_factory: Any, kraken: KrakenReplay) -> None:
    node = node_factory(poll_interval_s=60)  # only the cancel's read-back sees the fill
    kraken.accept_orders(["OGONE1-AAAAA-BBBBBB"])
    order = node.submit(BUY, LIMIT, "0.1", "50")
    assert node.settle(lambda: order.status is OrderStatus.ACCEPTED)
    kraken.fill("OGONE1-AAAAA-BBBBBB", "0.10000000", "50.00000", "0.008", status="closed")
    node.engine.orders.cancel(order.client_order_id)
    assert node.settle(lambda: order.status is OrderStatus.FILLED)
    assert not any(isinstance(e, ev.OrderCanceled) for e in order.events)


def test_insufficient_funds_is_a_rejection_that_says_so(
        node: Any, server: ExchangeServer) -> None:
    server.on("/0/private/AddOrder", Reply(kraken_error("EOrder:Insufficient funds")))
    order = node.submit(BUY, LIMIT, "0.1", "50")
    assert node.settle(lambda: order.status is OrderStatus.REJECTED)
    assert "insufficient funds" in order.events[-1].reason  # type: ignore[attr-defined]
    assert len(server.requests("/0/private/AddOrder")) == 1


def test_an_invalid_order_is_rejected_without_a_retry(node: Any, server: ExchangeServer) -> None:
    server.on("/0/private/AddOrder", Reply(kraken_error("EOrder:Order minimum not met")))
    order = node.submit(SELL, LIMIT, "0.1", "90")
    assert node.settle(lambda: order.status is OrderStatus.REJECTED)
    assert "invalid order" in order.events[-1].reason  # type: ignore[attr-defined]
    assert len(server.requests("/0/private/AddOrder")) == 1


def test_a_rate_limit_answer_is_retried_with_the_same_client_id(
        node: Any, server: ExchangeServer, kraken: KrakenReplay) -> None:
    accept = kraken.accept_orders(["ORATE1-AAAAA-BBBBBB"])
    server.on("/0/private/AddOrder", Reply(kraken_error("EAPI:Rate limit exceeded")), accept)
    order = node.submit(BUY, LIMIT, "0.1", "50")
    assert node.settle(lambda: order.status is OrderStatus.ACCEPTED)
    sent = server.requests("/0/private/AddOrder")
    assert len(sent) == 2
    assert {r.form["cl_ord_id"] for r in sent} == {order.client_order_id}


def test_bad_keys_raise_authentication_failed_naming_the_exchange(
        node: Any, server: ExchangeServer) -> None:
    server.on("/0/private/BalanceEx", Reply(kraken_error("EAPI:Invalid key")))
    try:
        node.venue.balances(AccountId("kraken-main"))
    except AuthenticationFailed as exc:
        assert "kraken: authentication failed" in str(exc)
    else:
        raise AssertionError("bad keys went unnoticed")


def test_an_exchange_down_answer_to_an_order_is_looked_up_before_any_retry(
        node: Any, server: ExchangeServer, kraken: KrakenReplay) -> None:
    accept = kraken.accept_orders(["ODOWN1-AAAAA-BBBBBB"])
    server.on("/0/private/AddOrder", Reply("<html>503 Service Unavailable</html>", status=503),
              accept)
    order = node.submit(BUY, LIMIT, "0.1", "50")
    assert node.settle(lambda: order.status is OrderStatus.ACCEPTED)
    assert len(server.requests("/0/private/OpenOrders")) >= 1  # looked up before resending
    assert len(server.requests("/0/private/AddOrder")) == 2
    assert len(kraken.orders) == 1


def test_an_amended_limit_keeps_its_exchange_id_and_takes_the_new_terms(
        node: Any, server: ExchangeServer, kraken: KrakenReplay) -> None:
    kraken.accept_orders(["OAMND1-AAAAA-BBBBBB"])
    order = node.submit(BUY, LIMIT, "0.1", "50")
    assert node.settle(lambda: order.status is OrderStatus.ACCEPTED)
    node.engine.orders.modify(order.client_order_id, quantity=Decimal("0.2"),
                              price=Decimal("49.5"))
    assert node.settle(lambda: order.status is OrderStatus.ACCEPTED and order.price == Decimal(
        "49.5"))
    (sent,) = server.requests("/0/private/AmendOrder")
    assert (sent.form["txid"], sent.form["order_qty"], sent.form["limit_price"]) == (
        "OAMND1-AAAAA-BBBBBB", "0.2", "49.5")
    assert order.quantity == Decimal("0.2") and order.venue_order_id == "OAMND1-AAAAA-BBBBBB"


def test_an_amend_the_exchange_refuses_leaves_the_old_terms(
        node: Any, server: ExchangeServer, kraken: KrakenReplay) -> None:
    kraken.accept_orders(["OAMND2-AAAAA-BBBBBB"])
    order = node.submit(BUY, LIMIT, "0.1", "50")
    assert node.settle(lambda: order.status is OrderStatus.ACCEPTED)
    server.on("/0/private/AmendOrder", Reply(kraken_error("EOrder:Insufficient funds")))
    node.engine.orders.modify(order.client_order_id, price=Decimal("60"))
    assert node.settle(lambda: isinstance(order.events[-1], ev.OrderModifyRejected))
    assert order.status is OrderStatus.ACCEPTED and order.price == Decimal("50")
    assert "insufficient funds" in order.events[-1].reason  # type: ignore[attr-defined]


def test_an_exchange_unreachable_at_connect_is_venue_unavailable_naming_it(
        server: ExchangeServer, kraken: KrakenReplay, node_factory: Any) -> None:
    server.on("/0/public/AssetPairs", Reply(drop=True))
    with pytest.raises(VenueUnavailable, match="kraken: exchange down or unreachable while "
                                               "loading markets"):
        node_factory()


def test_an_order_type_kraken_spot_lacks_is_denied_before_anything_is_sent(
        node: Any, server: ExchangeServer) -> None:
    assert OrderType.STOP not in node.venue.capabilities.order_types  # ccxt's kraken features
    sid = StrategyId("k")
    order = node.engine.orders.submit(SubmitOrder(
        node.engine.orders.next_order_id(sid), sid, AccountId("kraken-main"), LTC, SELL,
        OrderType.STOP, Decimal("0.1"), trigger_price=Decimal("60")))
    assert order.status is OrderStatus.DENIED
    assert "venue kraken does not support STOP orders" in order.events[-1].reason  # type: ignore[attr-defined]
    assert server.requests("/0/private/AddOrder") == []


def test_many_open_orders_are_polled_with_one_open_orders_read_per_symbol(
        node: Any, server: ExchangeServer, kraken: KrakenReplay) -> None:
    kraken.accept_orders(["OMANY1-AAAAA-BBBBBB", "OMANY2-AAAAA-BBBBBB", "OMANY3-AAAAA-BBBBBB"])
    orders = [node.submit(BUY, LIMIT, "0.1", "50") for _ in range(3)]
    assert node.settle(lambda: all(o.status is OrderStatus.ACCEPTED for o in orders))
    def open_reads() -> int:
        return len(server.requests("/0/private/OpenOrders"))

    warm = open_reads()
    node.settle(lambda: open_reads() >= warm + 2)  # rounds begun before all three were in
    before = len(server.requests("/0/private/QueryOrders"))
    opened = open_reads()
    node.settle(lambda: open_reads() >= opened + 5)
    assert len(server.requests("/0/private/QueryOrders")) == before  # no per-order reads
    kraken.fill("OMANY2-AAAAA-BBBBBB", "0.10000000", "50.00000", "0.008", status="closed")
    assert node.settle(lambda: orders[1].status is OrderStatus.FILLED)
    assert [o.status for o in (orders[0], orders[2])] == [OrderStatus.ACCEPTED] * 2
    assert len(server.requests("/0/private/QueryOrders")) >= before + 1  # the closed one

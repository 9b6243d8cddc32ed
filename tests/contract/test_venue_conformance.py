"""One conformance suite every venue passes: the simulator and each exchange connector (on a
local server replaying recorded payloads). Assertions are on engine state and venue reports."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import msgspec

from aitrader.core import events as ev
from aitrader.core.enums import OrderSide, OrderStatus, OrderType
from aitrader.core.errors import InvalidOrder

if TYPE_CHECKING:
    from conftest import VenueKit

BUY, LIMIT, MARKET = OrderSide.BUY, OrderType.LIMIT, OrderType.MARKET


def test_a_connected_venue_reports_healthy_and_disconnecting_twice_is_safe(kit: VenueKit) -> None:
    assert kit.venue.health().connected
    kit.venue.disconnect()
    kit.venue.disconnect()
    assert not kit.venue.health().connected or kit.venue.health().detail == "in-process simulator"


def test_instruments_carry_a_positive_tick_lot_and_non_negative_limits(kit: VenueKit) -> None:
    instruments = kit.venue.instruments()
    assert kit.instrument in instruments
    for inst in instruments:
        assert inst.tick_size > 0 and inst.lot_size > 0
        assert inst.min_quantity >= 0 and inst.min_notional >= 0


def test_balances_are_exact_and_total_is_free_plus_used(kit: VenueKit) -> None:
    balances = kit.venue.balances(kit.account_id)
    assert balances
    for bal in balances:
        assert isinstance(bal.total, Decimal)
        assert bal.total == bal.free + bal.used


def test_a_resting_limit_is_accepted_and_listed_open_under_our_client_id(kit: VenueKit) -> None:
    order = kit.submit(BUY, LIMIT, "0.1", "50")
    assert kit.settle(lambda: order.status is OrderStatus.ACCEPTED)
    assert order.venue_order_id
    listed = {r.client_order_id: r for r in kit.venue.open_orders(kit.account_id)}
    assert order.client_order_id in listed
    assert listed[order.client_order_id].venue_order_id == order.venue_order_id
    report = kit.venue.order_report(order)
    assert report is not None and report.status is OrderStatus.ACCEPTED


def test_a_cancel_closes_the_order_and_removes_it_from_open_orders(kit: VenueKit) -> None:
    order = kit.submit(BUY, LIMIT, "0.1", "50")
    assert kit.settle(lambda: order.status is OrderStatus.ACCEPTED)
    kit.engine.orders.cancel(order.client_order_id)
    assert kit.settle(lambda: order.status is OrderStatus.CANCELED)
    open_ids = {r.client_order_id for r in kit.venue.open_orders(kit.account_id)}
    assert order.client_order_id not in open_ids


def test_a_fill_books_the_position_once_even_if_reported_again(kit: VenueKit) -> None:
    order = kit.submit(BUY, LIMIT, "0.1", "50")
    assert kit.settle(lambda: order.status is OrderStatus.ACCEPTED)
    kit.trade_through(order, "0.1", "50")
    assert kit.settle(lambda: order.status is OrderStatus.FILLED)
    held = kit.engine.portfolio.net_quantity(kit.account_id, kit.instrument.id)
    assert held == Decimal("0.1")
    for fill in kit.venue.fill_reports(order):  # what reconciliation would replay
        kit.engine.orders.apply(ev.OrderFilled(
            order.client_order_id, fill.ts_ns, order.venue_order_id or "", fill.trade_id,  # type: ignore[arg-type]
            order.account_id, order.strategy_id, order.instrument_id, fill.side, fill.quantity,
            fill.price, fill.commission, fill.commission_currency, fill.liquidity_side))
    assert kit.engine.portfolio.net_quantity(kit.account_id, kit.instrument.id) == held
    assert order.filled_qty == Decimal("0.1")


def test_the_engine_denies_an_order_type_the_venue_does_not_declare(kit: VenueKit) -> None:
    caps = kit.venue.capabilities
    kit.venue.capabilities = msgspec.structs.replace(  # type: ignore[misc]
        caps, order_types=caps.order_types - {MARKET})
    order = kit.submit(BUY, MARKET, "0.1")
    assert order.status is OrderStatus.DENIED
    assert "does not support MARKET" in str(order.events[-1])


def test_the_engine_refuses_to_modify_on_a_venue_that_cannot(kit: VenueKit) -> None:
    order = kit.submit(BUY, LIMIT, "0.1", "50")
    assert kit.settle(lambda: order.status is OrderStatus.ACCEPTED)
    kit.venue.capabilities = msgspec.structs.replace(  # type: ignore[misc]
        kit.venue.capabilities, modify=False)
    try:
        kit.engine.orders.modify(order.client_order_id, price=Decimal("49"))
    except InvalidOrder as exc:
        assert "cannot modify" in str(exc)
    else:
        raise AssertionError("modify went through on a venue that cannot modify")
    assert order.status is OrderStatus.ACCEPTED


def test_polling_a_quiet_venue_delivers_nothing(kit: VenueKit) -> None:
    assert kit.venue.poll() == 0

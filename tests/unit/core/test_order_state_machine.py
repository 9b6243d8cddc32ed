"""The order transition table: every status change goes through it; illegal ones change nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aitrader.core import events as ev
from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import LiquiditySide, OrderSide, OrderStatus, OrderType
from aitrader.core.errors import InvalidTransition
from aitrader.core.ids import (
    AccountId,
    ClientOrderId,
    InstrumentId,
    StrategyId,
    TradeId,
    VenueOrderId,
)
from aitrader.core.order import TRANSITIONS, Order

D = Decimal
S = OrderStatus
CID = ClientOrderId("s-1")
IID = InstrumentId("BTC/USDT", "SIM")


def new_order(qty: str = "1", kind: OrderType = OrderType.LIMIT) -> Order:
    cmd = SubmitOrder(CID, StrategyId("s"), AccountId("a"), IID, OrderSide.BUY, kind, D(qty),
                      price=D("100") if kind is OrderType.LIMIT else None)
    return Order(cmd, ts_init=1)


def fill(qty: str, px: str, trade: str = "t1", ts: int = 10) -> ev.OrderFilled:
    return ev.OrderFilled(CID, ts, VenueOrderId("v1"), TradeId(trade), AccountId("a"),
                          StrategyId("s"), IID, OrderSide.BUY, D(qty), D(px), D(0), "USDT",
                          LiquiditySide.TAKER)


def accepted(order: Order) -> Order:
    order.apply(ev.OrderSubmitted(CID, 2, AccountId("a")))
    order.apply(ev.OrderAccepted(CID, 3, VenueOrderId("v1")))
    return order


def test_a_new_order_is_initialized_with_everything_left_to_fill() -> None:
    order = new_order("2.5")
    assert order.status is S.INITIALIZED
    assert order.leaves_qty == D("2.5")
    assert order.filled_qty == 0
    assert order.avg_px is None
    assert not order.is_open and not order.is_closed


def test_submitted_then_accepted_records_the_venue_id_events_and_last_timestamp() -> None:
    order = accepted(new_order())
    assert order.status is S.ACCEPTED
    assert order.venue_order_id == "v1"
    assert [type(e) for e in order.events] == [ev.OrderSubmitted, ev.OrderAccepted]
    assert order.ts_last == 3
    assert order.is_open


def test_partial_fills_average_the_price_by_quantity_and_the_last_one_closes_the_order() -> None:
    order = accepted(new_order("1"))
    order.apply(fill("0.4", "100", "t1"))
    assert order.status is S.PARTIALLY_FILLED
    assert order.leaves_qty == D("0.6")
    order.apply(fill("0.6", "101", "t2"))
    assert order.status is S.FILLED
    assert order.avg_px == D("100.6")  # (0.4*100 + 0.6*101) / 1
    assert order.is_closed


def test_a_fill_may_arrive_before_the_acceptance() -> None:
    order = new_order()
    order.apply(ev.OrderSubmitted(CID, 2, AccountId("a")))
    order.apply(fill("1", "99"))
    assert order.status is S.FILLED
    assert order.venue_order_id == "v1"


def test_a_fill_larger_than_what_is_left_is_refused_and_changes_nothing() -> None:
    order = accepted(new_order("1"))
    order.apply(fill("0.7", "100", "t1"))
    with pytest.raises(InvalidTransition, match=r"<= leaves 0.3, was 0.5"):
        order.apply(fill("0.5", "100", "t2"))
    assert order.filled_qty == D("0.7")
    assert order.status is S.PARTIALLY_FILLED
    assert len(order.events) == 3


def test_the_same_trade_id_is_never_applied_twice() -> None:
    order = accepted(new_order("1"))
    order.apply(fill("0.5", "100", "t1"))
    assert order.has_trade("t1")
    with pytest.raises(InvalidTransition, match="already applied"):
        order.apply(fill("0.5", "100", "t1"))
    assert order.filled_qty == D("0.5")


@pytest.mark.parametrize(
    "event",
    [
        ev.OrderAccepted(CID, 5, VenueOrderId("v")),
        ev.OrderCanceled(CID, 5),
        ev.OrderPendingCancel(CID, 5),
        ev.OrderTriggered(CID, 5),
    ],
    ids=lambda e: type(e).__name__,
)
def test_an_initialized_order_accepts_only_submission_or_denial(event: ev.OrderEvent) -> None:
    order = new_order()
    with pytest.raises(InvalidTransition, match="is not allowed when order s-1 is INITIALIZED"):
        order.apply(event)
    assert order.status is S.INITIALIZED
    assert order.events == []


def test_a_denied_order_is_closed_and_refuses_submission() -> None:
    order = new_order()
    order.apply(ev.OrderDenied(CID, 2, "risk said no"))
    assert order.status is S.DENIED and order.is_closed
    with pytest.raises(InvalidTransition):
        order.apply(ev.OrderSubmitted(CID, 3, AccountId("a")))


@pytest.mark.parametrize("closing", [ev.OrderCanceled(CID, 4), ev.OrderExpired(CID, 4),
                                     ev.OrderRejected(CID, 4, "no")],
                         ids=lambda e: type(e).__name__)
def test_nothing_moves_an_order_out_of_a_closed_status(closing: ev.OrderEvent) -> None:
    order = accepted(new_order())
    order.apply(closing)
    assert order.is_closed
    for later in (fill("1", "100"), ev.OrderAccepted(CID, 5, VenueOrderId("v")),
                  ev.OrderPendingCancel(CID, 5), ev.OrderCanceled(CID, 5)):
        with pytest.raises(InvalidTransition):
            order.apply(later)
    assert order.filled_qty == 0


def test_the_table_has_no_way_out_of_any_closed_status() -> None:
    closed_sources = [status for status, _ in TRANSITIONS if status.is_closed]
    assert closed_sources == []


def test_cancel_goes_through_pending_cancel_to_canceled() -> None:
    order = accepted(new_order())
    order.apply(ev.OrderPendingCancel(CID, 4))
    assert order.status is S.PENDING_CANCEL
    order.apply(ev.OrderCanceled(CID, 5, "by request"))
    assert order.status is S.CANCELED


def test_a_refused_cancel_puts_a_partly_filled_order_back_where_it_was() -> None:
    order = accepted(new_order("1"))
    order.apply(fill("0.25", "100"))
    order.apply(ev.OrderPendingCancel(CID, 4))
    order.apply(ev.OrderCancelRejected(CID, 5, "too late"))
    assert order.status is S.PARTIALLY_FILLED
    assert order.leaves_qty == D("0.75")


def test_a_confirmed_modify_applies_the_new_terms_and_returns_to_the_previous_status() -> None:
    order = accepted(new_order("1"))
    order.apply(ev.OrderPendingUpdate(CID, 4))
    assert order.status is S.PENDING_UPDATE
    order.apply(ev.OrderUpdated(CID, 5, D("2"), D("99.5"), None))
    assert order.status is S.ACCEPTED
    assert (order.quantity, order.price, order.leaves_qty) == (D("2"), D("99.5"), D("2"))


def test_a_confirmed_modify_of_a_triggered_order_keeps_it_triggered() -> None:
    order = accepted(new_order("1"))
    order.apply(ev.OrderTriggered(CID, 4))
    order.apply(ev.OrderPendingUpdate(CID, 5))
    order.apply(ev.OrderUpdated(CID, 6, D("1"), D("101"), None))
    assert order.status is S.TRIGGERED
    assert order.price == D("101")


def test_a_refused_modify_keeps_the_old_terms_and_status() -> None:
    order = accepted(new_order("1"))
    order.apply(fill("0.5", "100"))
    order.apply(ev.OrderPendingUpdate(CID, 4))
    order.apply(ev.OrderModifyRejected(CID, 5, "off tick"))
    assert order.status is S.PARTIALLY_FILLED
    assert order.price == D("100")
    assert order.quantity == D("1")


def test_shrinking_the_quantity_to_what_filled_closes_the_order_as_filled() -> None:
    order = accepted(new_order("1"))
    order.apply(fill("0.4", "100"))
    order.apply(ev.OrderUpdated(CID, 5, D("0.4"), D("100"), None))
    assert order.status is S.FILLED


def test_an_update_below_the_filled_quantity_is_refused() -> None:
    order = accepted(new_order("1"))
    order.apply(fill("0.4", "100"))
    with pytest.raises(InvalidTransition, match=r"updated quantity must be >= filled 0.4, was 0.3"):
        order.apply(ev.OrderUpdated(CID, 5, D("0.3"), D("100"), None))
    assert order.quantity == D("1")


def test_a_cancel_reject_without_a_pending_request_is_refused() -> None:
    order = accepted(new_order())
    with pytest.raises(InvalidTransition, match="needs a pending cancel/update"):
        order.apply(ev.OrderCancelRejected(CID, 4, "nothing pending"))
    assert order.status is S.ACCEPTED


def test_a_triggered_stop_limit_fills_and_expires_like_a_working_order() -> None:
    order = accepted(new_order("1"))
    order.apply(ev.OrderTriggered(CID, 4))
    assert order.status is S.TRIGGERED and order.is_open
    order.apply(fill("1", "100"))
    assert order.status is S.FILLED


def test_expiry_and_rejection_close_a_working_order() -> None:
    expired = accepted(new_order())
    expired.apply(ev.OrderExpired(CID, 4))
    assert expired.status is S.EXPIRED
    rejected = new_order()
    rejected.apply(ev.OrderSubmitted(CID, 2, AccountId("a")))
    rejected.apply(ev.OrderRejected(CID, 3, "bad tick"))
    assert rejected.status is S.REJECTED and rejected.is_closed


@pytest.mark.parametrize(
    ("status", "is_open", "is_closed"),
    [(S.INITIALIZED, False, False), (S.SUBMITTED, False, False), (S.ACCEPTED, True, False),
     (S.TRIGGERED, True, False), (S.PARTIALLY_FILLED, True, False),
     (S.PENDING_CANCEL, True, False), (S.PENDING_UPDATE, True, False),
     (S.FILLED, False, True), (S.CANCELED, False, True), (S.EXPIRED, False, True),
     (S.REJECTED, False, True), (S.DENIED, False, True)],
)
def test_open_and_closed_statuses(status: OrderStatus, is_open: bool, is_closed: bool) -> None:
    assert (status.is_open, status.is_closed) == (is_open, is_closed)

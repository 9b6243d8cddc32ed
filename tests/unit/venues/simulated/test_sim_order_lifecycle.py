"""Cancel, modify and time in force (IOC, FOK, DAY, good-till-date) on the simulated venue."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aitrader.core import events as ev
from aitrader.core.enums import LiquiditySide, OrderSide, OrderStatus, OrderType, TimeInForce
from aitrader.core.errors import InvalidOrder
from aitrader.core.ids import StrategyId
from aitrader.core.market_data import Bar
from aitrader.core.order import Order
from aitrader.testkit.engine_factory import BTC, MINUTE_NS, SimHarness, make_sim_engine

D = Decimal
TIF = TimeInForce
SID = StrategyId("s")
BUY, SELL = OrderSide.BUY, OrderSide.SELL
DAY_NS = 86_400 * 1_000_000_000
MIDNIGHT = 19_700 * DAY_NS



def started(start_ns: int | None = None) -> SimHarness:
    h = make_sim_engine() if start_ns is None else make_sim_engine(start_ns=start_ns)
    h.bar(100, 101, 99, 100)
    return h


def kinds(order: Order) -> list[str]:
    return [type(e).__name__ for e in order.events]


# --- cancel -----------------------------------------------------------------------------------
def test_a_cancelled_limit_never_fills_afterwards() -> None:
    h = started()
    order = h.submit(BUY, OrderType.LIMIT, "1", price=D(98))
    h.engine.orders.cancel(order.client_order_id)
    assert kinds(order) == ["OrderSubmitted", "OrderAccepted", "OrderPendingCancel",
                            "OrderCanceled"]
    h.bar(100, 100, 90, 95)
    assert order.status is OrderStatus.CANCELED and order.filled_qty == 0
    assert h.portfolio.net_quantity(h.account_id, BTC) == 0


def test_cancelling_a_filled_order_is_refused_by_the_order_manager() -> None:
    h = started()
    order = h.submit(BUY, OrderType.MARKET, "1")
    h.bar(100, 100, 100, 100)
    with pytest.raises(InvalidOrder, match="order s-1 is FILLED; nothing to change"):
        h.engine.orders.cancel(order.client_order_id)


def test_cancelling_a_partly_filled_order_keeps_what_filled() -> None:
    h = started()
    order = h.submit(BUY, OrderType.LIMIT, "1", price=D(98))
    h.engine.orders.apply(ev.OrderFilled(  # a venue-reported partial fill
        order.client_order_id, h.clock.now_ns(), order.venue_order_id or "", "ext-1",  # type: ignore[arg-type]
        h.account_id, SID, BTC, BUY, D("0.4"), D(98), D(0), "USDT", LiquiditySide.MAKER))
    h.engine.orders.cancel(order.client_order_id)
    assert order.status is OrderStatus.CANCELED
    assert order.filled_qty == D("0.4")


# --- modify -----------------------------------------------------------------------------------
def test_a_modified_limit_works_at_its_new_price() -> None:
    h = started()
    order = h.submit(BUY, OrderType.LIMIT, "1", price=D(95))
    h.engine.orders.modify(order.client_order_id, price=D(97))
    assert order.status is OrderStatus.ACCEPTED
    assert kinds(order)[-2:] == ["OrderPendingUpdate", "OrderUpdated"]
    h.bar(100, 100.5, 96, 98)
    assert (order.status, order.avg_px) == (OrderStatus.FILLED, D(97))


def test_a_modified_quantity_is_what_fills() -> None:
    h = started()
    order = h.submit(BUY, OrderType.LIMIT, "1", price=D(98))
    h.engine.orders.modify(order.client_order_id, quantity=D("2.5"))
    h.bar(100, 100, 97, 99)
    assert order.filled_qty == D("2.5")
    assert h.portfolio.net_quantity(h.account_id, BTC) == D("2.5")


def test_a_modify_off_the_tick_grid_is_refused_and_the_old_terms_stay() -> None:
    h = started()
    order = h.submit(BUY, OrderType.LIMIT, "1", price=D(95))
    h.engine.orders.modify(order.client_order_id, price=D("96.005"))
    rejected = order.events[-1]
    assert isinstance(rejected, ev.OrderModifyRejected)
    assert rejected.reason == "price 96.005 is not on the tick grid 0.01"
    assert (order.status, order.price) == (OrderStatus.ACCEPTED, D(95))
    h.bar(100, 100, 95.5, 99)  # would have reached 96.005 but not 95
    assert order.status is OrderStatus.ACCEPTED


def test_moving_a_stop_trigger_changes_where_it_fills() -> None:
    h = started()
    order = h.submit(BUY, OrderType.STOP, "1", trigger_price=D(105))
    h.engine.orders.modify(order.client_order_id, trigger_price=D(102))
    h.bar(100, 103, 99.5, 101)
    assert order.avg_px == D("102.00")


def test_a_limit_moved_across_the_market_takes_liquidity_as_taker() -> None:
    h = started()
    order = h.submit(BUY, OrderType.LIMIT, "1", price=D(95))
    h.engine.orders.modify(order.client_order_id, price=D(101))
    h.bar(100.5, 101, 100, 100.5)
    fill = order.events[-1]
    assert isinstance(fill, ev.OrderFilled)
    assert (fill.last_px, fill.liquidity_side) == (D("100.50"), LiquiditySide.TAKER)


def test_a_modify_to_no_more_than_what_filled_is_refused_by_the_order_manager() -> None:
    h = started()
    order = h.submit(BUY, OrderType.MARKET, "1")
    with pytest.raises(InvalidOrder, match="new quantity must be > filled 0 of s-1, was 0"):
        h.engine.orders.modify(order.client_order_id, quantity=D(0))


# --- time in force ----------------------------------------------------------------------------
def test_an_ioc_limit_marketable_at_the_open_fills_there() -> None:
    h = started()
    order = h.submit(BUY, OrderType.LIMIT, "1", price=D(101), time_in_force=TIF.IOC)
    h.bar(100.5, 102, 100, 101)
    assert (order.status, order.avg_px) == (OrderStatus.FILLED, D("100.50"))


def test_an_ioc_limit_not_marketable_at_the_open_expires_even_if_the_bar_reaches_it_later() -> None:
    h = started()
    order = h.submit(BUY, OrderType.LIMIT, "1", price=D(99), time_in_force=TIF.IOC)
    h.bar(100, 100.5, 98, 99)
    assert order.status is OrderStatus.EXPIRED and order.filled_qty == 0


def test_a_fok_limit_on_bars_fills_whole_at_the_open_or_expires() -> None:
    h = started()
    fills = h.submit(BUY, OrderType.LIMIT, "3", price=D(101), time_in_force=TIF.FOK)
    misses = h.submit(BUY, OrderType.LIMIT, "3", price=D(99), time_in_force=TIF.FOK)
    h.bar(100.5, 101, 98, 100)
    assert (fills.status, fills.filled_qty) == (OrderStatus.FILLED, D(3))
    assert (misses.status, misses.filled_qty) == (OrderStatus.EXPIRED, D(0))


def test_a_market_ioc_fills_at_the_open() -> None:
    h = started()
    order = h.submit(BUY, OrderType.MARKET, "1", time_in_force=TIF.IOC)
    h.bar(100.25, 101, 100, 101)
    assert order.avg_px == D("100.25")


def test_a_day_order_expires_at_the_bar_that_closes_at_utc_midnight() -> None:
    h = started(start_ns=MIDNIGHT - 3 * MINUTE_NS)
    order = h.submit(BUY, OrderType.LIMIT, "1", price=D(95), time_in_force=TIF.DAY)
    h.bar(100, 101, 99, 100)  # closes 23:59
    assert order.status is OrderStatus.ACCEPTED
    last = h.bar(100, 101, 99, 100)  # closes at midnight
    assert last.ts_init == MIDNIGHT
    assert order.status is OrderStatus.EXPIRED
    assert order.events[-1].ts_event == MIDNIGHT


def test_a_day_order_still_fills_in_the_last_bar_of_its_day() -> None:
    h = started(start_ns=MIDNIGHT - 2 * MINUTE_NS)
    order = h.submit(BUY, OrderType.LIMIT, "1", price=D(95), time_in_force=TIF.DAY)
    h.bar(100, 100, 94, 96)
    assert (order.status, order.avg_px) == (OrderStatus.FILLED, D(95))


def test_a_day_order_expires_before_a_bar_that_opens_the_next_day() -> None:
    h = started(start_ns=MIDNIGHT - 2 * MINUTE_NS)
    order = h.submit(BUY, OrderType.LIMIT, "1", price=D(95), time_in_force=TIF.DAY)
    opens = MIDNIGHT + 60 * MINUTE_NS  # a gap in the data over midnight
    h.engine.on_bar(Bar(BTC, opens, opens + MINUTE_NS, 94, 94, 90, 92, 1.0))
    assert order.status is OrderStatus.EXPIRED and order.filled_qty == 0


def test_a_good_till_date_order_expires_at_the_first_bar_closing_at_its_date() -> None:
    h = started()
    order = h.submit(BUY, OrderType.LIMIT, "1", price=D(95),
                   expire_ns=h.clock.now_ns() + 2 * MINUTE_NS)
    h.bar(100, 101, 99, 100)
    assert order.status is OrderStatus.ACCEPTED
    h.bar(100, 101, 99, 100)
    assert order.status is OrderStatus.EXPIRED


def test_a_good_till_date_order_never_fills_in_a_bar_opening_after_its_date() -> None:
    h = started()
    order = h.submit(BUY, OrderType.LIMIT, "1", price=D(95),
                   expire_ns=h.clock.now_ns() + MINUTE_NS // 2)
    later = h.clock.now_ns() + 5 * MINUTE_NS
    h.engine.on_bar(Bar(BTC, later, later + MINUTE_NS, 94, 94, 90, 92, 1.0))
    assert order.status is OrderStatus.EXPIRED and order.filled_qty == 0


def test_a_gtc_order_without_a_date_keeps_working() -> None:
    h = started()
    order = h.submit(BUY, OrderType.LIMIT, "1", price=D(95))
    for _ in range(5):
        h.bar(100, 101, 99, 100)
    assert order.status is OrderStatus.ACCEPTED

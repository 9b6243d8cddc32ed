"""Bracket and OCO emulation: protective children follow their entry and cancel each other."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aitrader.core import events as ev
from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import OrderSide, OrderStatus, OrderType
from aitrader.core.ids import ClientOrderId, StrategyId
from aitrader.core.market_data import BookLevel, OrderBookSnapshot
from aitrader.core.order import Order
from aitrader.testkit.engine_factory import BTC, SimHarness, make_sim_engine

D = Decimal
SID = StrategyId("s")
BUY, SELL = OrderSide.BUY, OrderSide.SELL
Levels = list[tuple[float, float]]


def submit(h: SimHarness, side: OrderSide, kind: OrderType, qty: str,
           cid: str | None = None, **kw: object) -> Order:
    order_id = ClientOrderId(cid) if cid else h.engine.orders.next_order_id(SID)
    return h.engine.orders.submit(SubmitOrder(order_id, SID, h.account_id, BTC, side, kind,
                                              D(qty), **kw))  # type: ignore[arg-type]


def child(h: SimHarness, suffix: str) -> Order:
    order = h.engine.orders.get(ClientOrderId(f"s-1-{suffix}"))
    assert order is not None, f"no s-1-{suffix}"
    return order


def position(h: SimHarness) -> Decimal:
    return h.portfolio.net_quantity(h.account_id, BTC)


def snap(h: SimHarness, bids: Levels, asks: Levels) -> None:
    ts = h.clock.now_ns() + 1_000
    h.engine.on_data(OrderBookSnapshot(BTC, ts, ts, tuple(BookLevel(p, s) for p, s in bids),
                                       tuple(BookLevel(p, s) for p, s in asks)))


def bracketed(qty: str = "1") -> SimHarness:
    """Long ``qty`` from a market entry at 100 with a stop-loss at 95 and a take-profit at 110."""
    h = make_sim_engine()
    h.bar(100, 101, 99, 100)
    submit(h, BUY, OrderType.MARKET, qty, stop_loss=D(95), take_profit=D(110))
    h.bar(100, 100, 100, 100)
    return h


def test_an_entry_fill_creates_linked_reduce_only_stop_loss_and_take_profit_children() -> None:
    h = bracketed("2")
    sl, tp = child(h, "SL"), child(h, "TP")
    assert (sl.order_type, sl.side, sl.trigger_price, sl.quantity) == (
        OrderType.STOP, SELL, D(95), D(2))
    assert (tp.order_type, tp.side, tp.price, tp.quantity) == (OrderType.LIMIT, SELL, D(110), D(2))
    assert sl.reduce_only and tp.reduce_only
    assert sl.linked_order_ids == (tp.client_order_id,)
    assert tp.linked_order_ids == (sl.client_order_id,)
    assert (sl.parent_order_id, tp.parent_order_id) == ("s-1", "s-1")
    assert (sl.tag, tp.tag) == ("stop_loss", "take_profit")
    assert sl.status is OrderStatus.ACCEPTED and tp.status is OrderStatus.ACCEPTED


def test_an_entry_without_levels_creates_no_children() -> None:
    h = make_sim_engine()
    h.bar(100, 101, 99, 100)
    submit(h, BUY, OrderType.MARKET, "1")
    h.bar(100, 100, 100, 100)
    assert [o.client_order_id for o in h.engine.orders.orders()] == ["s-1"]


def test_only_a_stop_loss_gives_one_unlinked_child() -> None:
    h = make_sim_engine()
    h.bar(100, 101, 99, 100)
    submit(h, BUY, OrderType.MARKET, "1", stop_loss=D(95))
    h.bar(100, 100, 100, 100)
    assert [o.client_order_id for o in h.engine.orders.orders()] == ["s-1", "s-1-SL"]
    assert child(h, "SL").linked_order_ids == ()


def test_a_denied_entry_creates_no_children() -> None:
    h = make_sim_engine()
    h.bar(100, 101, 99, 100)
    h.risk.halt("test")
    entry = submit(h, BUY, OrderType.MARKET, "1", stop_loss=D(95), take_profit=D(110))
    h.bar(100, 100, 100, 100)
    assert entry.status is OrderStatus.DENIED
    assert len(h.engine.orders.orders()) == 1


def test_children_work_from_the_bar_after_the_entry_fill() -> None:
    h = make_sim_engine()
    h.bar(100, 101, 99, 100)
    submit(h, BUY, OrderType.MARKET, "1", stop_loss=D(95), take_profit=D(110))
    h.bar(100, 100.5, 94, 96)  # the entry fills at the open; its children did not exist yet
    assert child(h, "SL").status is OrderStatus.ACCEPTED
    assert position(h) == D(1)


def test_the_take_profit_filling_cancels_the_stop_loss_and_books_the_exact_cash() -> None:
    h = bracketed()
    h.bar(105, 111, 104, 109)
    sl, tp = child(h, "SL"), child(h, "TP")
    assert (tp.status, tp.avg_px) == (OrderStatus.FILLED, D(110))
    assert sl.status is OrderStatus.CANCELED
    assert sl.events[-1] == ev.OrderCanceled(sl.client_order_id, h.clock.now_ns(),
                                             "canceled by request")
    assert position(h) == 0
    # entry 100 taker (0.1) + exit 110 maker (0.022); realized 10
    assert h.portfolio.account(h.account_id).cash("USDT") == D("100009.878")


def test_the_stop_loss_filling_cancels_the_take_profit() -> None:
    h = bracketed()
    h.bar(99, 99.5, 94, 96)
    sl, tp = child(h, "SL"), child(h, "TP")
    assert (sl.status, sl.avg_px) == (OrderStatus.FILLED, D("95.00"))
    assert tp.status is OrderStatus.CANCELED
    assert h.portfolio.account(h.account_id).realized["USDT"] == D("-5.00")


def test_a_stop_loss_the_market_gaps_through_fills_at_the_open() -> None:
    h = bracketed()
    h.bar(90, 91, 89, 90)
    assert child(h, "SL").avg_px == D("90.00")
    assert child(h, "TP").status is OrderStatus.CANCELED


@pytest.mark.parametrize(("ohlc", "winner", "loser", "price"), [
    ((100, 111, 88, 100), "TP", "SL", D(110)),  # high 11 away, low 12 away: high first
    ((100, 111, 90, 100), "SL", "TP", D("95.00")),  # low 10 away: low first
])
def test_when_one_bar_reaches_both_the_nearer_extreme_decides(
    ohlc: tuple[float, float, float, float], winner: str, loser: str, price: Decimal,
) -> None:
    h = bracketed()
    h.bar(*ohlc)
    assert (child(h, winner).status, child(h, winner).avg_px) == (OrderStatus.FILLED, price)
    assert child(h, loser).status is OrderStatus.CANCELED
    assert position(h) == 0


def test_children_cover_each_partial_fill_of_the_entry() -> None:
    h = make_sim_engine()
    snap(h, [(99.9, 5.0)], [(100.0, 1.0), (100.5, 1.0), (101.0, 5.0)])
    entry = submit(h, BUY, OrderType.MARKET, "2", stop_loss=D(95), take_profit=D(110))
    assert [(f.last_qty, f.last_px) for f in entry.events if isinstance(f, ev.OrderFilled)] == [
        (D(1), D("100.00")), (D(1), D("100.50"))]
    sl, tp = child(h, "SL"), child(h, "TP")
    assert (sl.quantity, tp.quantity) == (D(2), D(2))  # created for 1, grown to 2
    assert (sl.status, tp.status) == (OrderStatus.ACCEPTED, OrderStatus.ACCEPTED)
    assert [type(e).__name__ for e in sl.events][-2:] == ["OrderPendingUpdate", "OrderUpdated"]


def test_a_partial_take_profit_shrinks_the_stop_loss_and_the_rest_cancels_it() -> None:
    h = make_sim_engine()
    snap(h, [(99.9, 5.0)], [(100.0, 5.0)])
    submit(h, BUY, OrderType.MARKET, "2", stop_loss=D(95), take_profit=D(110))
    snap(h, [(110.0, 0.5), (99.9, 5.0)], [(110.5, 5.0)])
    sl, tp = child(h, "SL"), child(h, "TP")
    assert (tp.filled_qty, tp.status) == (D("0.5"), OrderStatus.PARTIALLY_FILLED)
    assert (sl.quantity, sl.status) == (D("1.5"), OrderStatus.ACCEPTED)
    assert position(h) == D("1.5")
    snap(h, [(110.0, 5.0)], [(110.5, 5.0)])
    assert tp.status is OrderStatus.FILLED
    assert sl.status is OrderStatus.CANCELED
    assert position(h) == 0


def test_protection_grows_to_the_open_position_not_past_it() -> None:
    h = make_sim_engine()
    snap(h, [(99.9, 5.0)], [(100.5, 5.0)])
    entry = submit(h, BUY, OrderType.LIMIT, "2", price=D(100), stop_loss=D(95),
                   take_profit=D(110))
    snap(h, [(99.9, 5.0)], [(100.0, 1.0), (100.5, 5.0)])  # entry fills 1
    snap(h, [(110.0, 0.3), (99.9, 5.0)], [(110.5, 5.0)])  # take-profit fills 0.3
    sl, tp = child(h, "SL"), child(h, "TP")
    assert (sl.quantity, tp.filled_qty) == (D("0.7"), D("0.3"))
    snap(h, [(99.9, 5.0)], [(100.0, 1.0), (100.5, 5.0)])  # entry fills its last 1
    assert entry.status is OrderStatus.FILLED
    assert position(h) == D("1.7")
    assert sl.leaves_qty == D("1.7")
    assert tp.leaves_qty == D("1.7")


def test_user_linked_orders_cancel_each_other_when_one_fills() -> None:
    h = make_sim_engine()
    h.bar(100, 101, 99, 100)
    submit(h, BUY, OrderType.MARKET, "1")
    h.bar(100, 100, 100, 100)
    stop = submit(h, SELL, OrderType.STOP, "1", cid="oco-stop", trigger_price=D(97),
                  reduce_only=True, linked_order_ids=(ClientOrderId("oco-target"),))
    target = submit(h, SELL, OrderType.LIMIT, "1", cid="oco-target", price=D(104),
                    reduce_only=True, linked_order_ids=(ClientOrderId("oco-stop"),))
    h.bar(101, 105, 100.5, 104)
    assert (target.status, stop.status) == (OrderStatus.FILLED, OrderStatus.CANCELED)
    h.bar(104, 104, 90, 92)
    assert stop.filled_qty == 0 and position(h) == 0

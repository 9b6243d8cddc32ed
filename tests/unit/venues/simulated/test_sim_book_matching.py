"""L2 matching: orders walk the book level by level; liquidity taken once is gone."""

from __future__ import annotations

from decimal import Decimal

from aitrader.core import events as ev
from aitrader.core.enums import (
    BookSide,
    LiquiditySide,
    OrderSide,
    OrderStatus,
    OrderType,
    TimeInForce,
)
from aitrader.core.ids import StrategyId
from aitrader.core.market_data import BookDelta, BookLevel, OrderBookDeltas, OrderBookSnapshot
from aitrader.testkit.engine_factory import BTC, SimHarness, make_sim_engine

D = Decimal
TIF = TimeInForce
SID = StrategyId("s")
BUY, SELL = OrderSide.BUY, OrderSide.SELL
MAKER, TAKER = LiquiditySide.MAKER, LiquiditySide.TAKER
Levels = list[tuple[float, float]]




def snap(h: SimHarness, bids: Levels, asks: Levels) -> None:
    ts = h.clock.now_ns() + 1_000
    h.engine.on_data(OrderBookSnapshot(BTC, ts, ts, tuple(BookLevel(p, s) for p, s in bids),
                                       tuple(BookLevel(p, s) for p, s in asks)))


def delta(h: SimHarness, side: BookSide, price: float, size: float) -> None:
    ts = h.clock.now_ns() + 1_000
    h.engine.on_data(OrderBookDeltas(BTC, ts, ts, (BookDelta(side, price, size),)))


def booked(asks: Levels, bids: Levels | None = None) -> tuple[SimHarness, list[ev.OrderFilled]]:
    h = make_sim_engine()
    snap(h, bids if bids is not None else [(99.9, 5.0), (99.8, 5.0)], asks)
    return h, h.record(ev.OrderFilled)


def priced(seen: list[ev.OrderFilled]) -> list[tuple[Decimal, Decimal]]:
    return [(f.last_qty, f.last_px) for f in seen]


def test_a_market_buy_walks_the_asks_and_averages_its_price() -> None:
    h, seen = booked([(100.1, 0.1), (100.2, 0.2), (100.3, 5.0)])
    order = h.submit(BUY, OrderType.MARKET, "0.5")
    assert priced(seen) == [(D("0.1"), D("100.10")), (D("0.2"), D("100.20")),
                            (D("0.2"), D("100.30"))]
    assert order.status is OrderStatus.FILLED
    assert order.avg_px == D("100.22")  # (10.01 + 20.04 + 20.06) / 0.5
    assert sum(f.commission for f in seen) == D("0.05011")
    assert {f.liquidity_side for f in seen} == {TAKER}


def test_float_level_sizes_add_up_to_the_exact_quantity() -> None:
    h, seen = booked([(100.1, 0.1), (100.2, 0.2)])
    order = h.submit(BUY, OrderType.MARKET, "0.3")
    assert order.filled_qty == D("0.3")  # not 0.29999 from 0.3 - 0.1 in binary floats
    assert order.status is OrderStatus.FILLED
    assert [f.last_qty for f in seen] == [D("0.1"), D("0.2")]


def test_a_market_sell_walks_the_bids_from_the_highest() -> None:
    h, _ = booked([(100.1, 5.0)], bids=[(99.9, 1.0), (99.5, 1.0), (99.0, 9.0)])
    h.submit(BUY, OrderType.MARKET, "3")  # buy 3 first so there is something to sell
    seen = h.record(ev.OrderFilled)
    order = h.submit(SELL, OrderType.MARKET, "2.5")
    assert priced(seen) == [(D("1"), D("99.90")), (D("1"), D("99.50")), (D("0.5"), D("99.00"))]
    assert order.avg_px == D("99.56")


def test_a_market_order_larger_than_the_book_fills_what_there_is_and_cancels_the_rest() -> None:
    h, seen = booked([(100.1, 1.0), (100.2, 1.0)])
    order = h.submit(BUY, OrderType.MARKET, "3")
    assert sum(f.last_qty for f in seen) == D(2)
    assert order.status is OrderStatus.CANCELED
    assert order.filled_qty == D(2)


def test_liquidity_taken_by_one_order_is_not_there_for_the_next() -> None:
    h, seen = booked([(100.1, 1.0), (100.2, 5.0)])
    h.submit(BUY, OrderType.MARKET, "1")
    h.submit(BUY, OrderType.MARKET, "1")
    assert priced(seen) == [(D("1"), D("100.10")), (D("1"), D("100.20"))]


def test_two_resting_orders_share_new_liquidity_in_time_priority_within_one_pass() -> None:
    h, seen = booked([(100.5, 5.0)])
    first = h.submit(BUY, OrderType.LIMIT, "1", price=D("100"))
    second = h.submit(BUY, OrderType.LIMIT, "1", price=D("100"))
    assert seen == []
    snap(h, [(99.9, 5.0)], [(100.0, 1.5), (100.5, 5.0)])
    assert (first.filled_qty, second.filled_qty) == (D("1"), D("0.5"))
    assert {(f.last_px, f.liquidity_side) for f in seen} == {(D("100"), MAKER)}
    assert second.status is OrderStatus.PARTIALLY_FILLED


def test_a_limit_walks_up_to_its_price_then_rests_for_the_remainder() -> None:
    h, seen = booked([(100.1, 1.0), (100.2, 1.0), (100.3, 5.0)])
    order = h.submit(BUY, OrderType.LIMIT, "3", price=D("100.2"))
    assert priced(seen) == [(D("1"), D("100.10")), (D("1"), D("100.20"))]
    assert {f.liquidity_side for f in seen} == {TAKER}
    assert order.status is OrderStatus.PARTIALLY_FILLED and order.leaves_qty == D(1)
    delta(h, BookSide.ASK, 100.2, 2.0)  # new size arrives at our price
    assert priced(seen)[-1] == (D("1"), D("100.2"))
    assert seen[-1].liquidity_side is MAKER
    assert order.status is OrderStatus.FILLED


def test_an_unrelated_book_change_does_not_refill_from_liquidity_already_taken() -> None:
    h, seen = booked([(100.1, 1.0), (100.3, 5.0)])
    order = h.submit(BUY, OrderType.LIMIT, "2", price=D("100.1"))
    assert order.filled_qty == D(1)
    delta(h, BookSide.BID, 99.9, 7.0)
    assert order.filled_qty == D(1)
    assert len(seen) == 1


def test_a_resting_limit_crossed_by_a_new_book_fills_at_its_own_price_as_maker() -> None:
    h, seen = booked([(100.5, 5.0)])
    h.submit(BUY, OrderType.LIMIT, "1", price=D("100"))
    snap(h, [(99.0, 5.0)], [(99.5, 3.0)])
    [fill] = seen
    assert (fill.last_px, fill.liquidity_side, fill.commission) == (D("100"), MAKER, D("0.0200"))


def test_an_ioc_limit_takes_what_is_there_up_to_its_price_and_expires_the_rest() -> None:
    h, seen = booked([(100.1, 1.0), (100.2, 1.0), (100.3, 5.0)])
    order = h.submit(BUY, OrderType.LIMIT, "3", price=D("100.2"), time_in_force=TIF.IOC)
    assert sum(f.last_qty for f in seen) == D(2)
    assert order.status is OrderStatus.EXPIRED and order.filled_qty == D(2)


def test_a_fok_limit_fills_across_levels_when_together_they_are_enough() -> None:
    h, seen = booked([(100.1, 1.0), (100.2, 1.0)])
    order = h.submit(BUY, OrderType.LIMIT, "1.5", price=D("100.2"), time_in_force=TIF.FOK)
    assert order.status is OrderStatus.FILLED
    assert priced(seen) == [(D("1"), D("100.10")), (D("0.5"), D("100.20"))]


def test_a_fok_limit_that_cannot_fill_completely_expires_and_takes_nothing() -> None:
    h, seen = booked([(100.1, 1.0), (100.2, 1.0)])
    order = h.submit(BUY, OrderType.LIMIT, "2.5", price=D("100.2"), time_in_force=TIF.FOK)
    assert order.status is OrderStatus.EXPIRED and seen == []
    other = h.submit(BUY, OrderType.MARKET, "2")
    assert other.filled_qty == D(2)  # the FOK left the book untouched


def test_a_fok_limit_with_nothing_at_its_price_expires_instead_of_resting() -> None:
    h, _ = booked([(100.1, 1.0)])
    order = h.submit(BUY, OrderType.LIMIT, "1", price=D("99.95"), time_in_force=TIF.FOK)
    assert order.status is OrderStatus.EXPIRED


def test_a_book_quantity_off_the_lot_grid_is_rounded_down_to_whole_lots() -> None:
    h, seen = booked([(100.1, 0.1234567), (100.2, 5.0)])
    h.submit(BUY, OrderType.MARKET, "0.2")
    assert priced(seen) == [(D("0.12345"), D("100.10")), (D("0.07655"), D("100.20"))]

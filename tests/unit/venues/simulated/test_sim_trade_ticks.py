"""Matching on trade ticks: every print is a one-point path; resting limits need a trade through."""

from __future__ import annotations

from decimal import Decimal

from aitrader.core import events as ev
from aitrader.core.enums import LiquiditySide, OrderSide, OrderStatus, OrderType
from aitrader.core.ids import StrategyId
from aitrader.core.market_data import TradeTick
from aitrader.testkit.engine_factory import BTC, SimHarness, make_sim_engine

D = Decimal
SID = StrategyId("s")
BUY, SELL = OrderSide.BUY, OrderSide.SELL
MAKER, TAKER = LiquiditySide.MAKER, LiquiditySide.TAKER




def trade(h: SimHarness, price: float, dt_ns: int = 1_000) -> TradeTick:
    ts = h.clock.now_ns() + dt_ns
    tick = TradeTick(BTC, ts, ts, price, 1.0, BUY)
    h.engine.on_data(tick)
    return tick


def started() -> SimHarness:
    h = make_sim_engine()
    trade(h, 100.0)
    return h


def test_a_market_order_fills_at_the_next_print_stamped_with_its_time() -> None:
    h = started()
    seen = h.record(ev.OrderFilled)
    h.submit(BUY, OrderType.MARKET, "1")
    tick = trade(h, 100.25)
    [fill] = seen
    assert (fill.last_px, fill.ts_event, fill.liquidity_side) == (D("100.25"), tick.ts_event, TAKER)


def test_a_resting_buy_limit_does_not_fill_on_a_print_at_its_price() -> None:
    h = started()
    order = h.submit(BUY, OrderType.LIMIT, "1", price=D("99"))
    trade(h, 99.0)
    assert order.status is OrderStatus.ACCEPTED


def test_a_resting_buy_limit_fills_at_its_own_price_when_a_trade_prints_through_it() -> None:
    h = started()
    seen = h.record(ev.OrderFilled)
    order = h.submit(BUY, OrderType.LIMIT, "1", price=D("99"))
    trade(h, 98.5)
    [fill] = seen
    assert (fill.last_px, fill.liquidity_side) == (D("99"), MAKER)
    assert fill.commission == D("0.0198")
    assert order.status is OrderStatus.FILLED


def test_a_resting_sell_limit_needs_a_print_above_it() -> None:
    h = started()
    h.submit(BUY, OrderType.MARKET, "1")
    trade(h, 100.0)
    seen = h.record(ev.OrderFilled)
    order = h.submit(SELL, OrderType.LIMIT, "1", price=D("101"))
    trade(h, 101.0)
    assert order.status is OrderStatus.ACCEPTED
    trade(h, 101.5)
    assert [(f.last_px, f.liquidity_side) for f in seen] == [(D("101"), MAKER)]


def test_a_marketable_limit_takes_the_next_print_as_taker() -> None:
    h = started()
    seen = h.record(ev.OrderFilled)
    h.submit(BUY, OrderType.LIMIT, "1", price=D("105"))
    trade(h, 100.5)
    [fill] = seen
    assert (fill.last_px, fill.liquidity_side) == (D("100.50"), TAKER)


def test_a_marketable_limit_fills_on_a_print_exactly_at_its_limit() -> None:
    h = started()
    seen = h.record(ev.OrderFilled)
    order = h.submit(BUY, OrderType.LIMIT, "1", price=D("105"))
    trade(h, 105.0)
    assert order.status is OrderStatus.FILLED
    assert seen[0].last_px == D("105.00")


def test_a_sell_stop_fills_at_the_first_print_at_or_below_its_trigger() -> None:
    h = started()
    h.submit(BUY, OrderType.MARKET, "1")
    trade(h, 100.0)
    seen = h.record(ev.OrderFilled)
    h.submit(SELL, OrderType.STOP, "1", trigger_price=D("95"))
    trade(h, 96.0)
    assert seen == []
    trade(h, 94.5)
    assert [f.last_px for f in seen] == [D("94.50")]


def test_an_order_past_its_expiry_time_expires_at_the_next_print_without_filling() -> None:
    h = started()
    order = h.submit(BUY, OrderType.LIMIT, "1", price=D("99"), expire_ns=h.clock.now_ns() + 500)
    trade(h, 98.0, dt_ns=1_000)  # would have filled, but the order expired 500 ns earlier
    assert order.status is OrderStatus.EXPIRED
    assert order.filled_qty == 0


def test_orders_accepted_after_a_print_ignore_that_print() -> None:
    h = started()
    seen = h.record(ev.OrderFilled)
    h.submit(BUY, OrderType.MARKET, "1")
    assert seen == []  # accepted at the last print, filled only by the next one
    trade(h, 101.0)
    assert [f.last_px for f in seen] == [D("101.00")]

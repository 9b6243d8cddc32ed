"""Orders on one-minute bars: market at the next open, limits, stops, stop-limits, trailing stops.

Every expected price is worked out by hand from the documented path
open → nearer extreme → farther extreme → close (see ``venues/simulated/bar_path.py``).
"""

from __future__ import annotations

from decimal import Decimal

from aitrader.core import events as ev
from aitrader.core.enums import LiquiditySide, OrderSide, OrderStatus, OrderType
from aitrader.core.ids import AccountId, InstrumentId, StrategyId
from aitrader.core.market_data import Bar
from aitrader.core.order import Order
from aitrader.strategies.base import Strategy
from aitrader.testkit.engine_factory import BTC, SimHarness, make_sim_engine

D = Decimal
SID = StrategyId("s")
BUY, SELL = OrderSide.BUY, OrderSide.SELL
MAKER, TAKER = LiquiditySide.MAKER, LiquiditySide.TAKER




def fills_of(events: list[ev.OrderEvent]) -> list[ev.OrderFilled]:
    return [e for e in events if isinstance(e, ev.OrderFilled)]


def holding(qty: str = "1", at: float = 100.0) -> SimHarness:
    """A harness holding ``qty`` bought at ``at`` (last close ``at``)."""
    h = make_sim_engine()
    h.bar(at, at, at, at)
    h.submit(BUY, OrderType.MARKET, qty)
    h.bar(at, at, at, at)
    assert h.portfolio.net_quantity(h.account_id, BTC) == D(qty)
    return h


# --- market -----------------------------------------------------------------------------------
def test_a_market_order_fills_at_the_next_bar_open_stamped_with_its_open_time() -> None:
    h = make_sim_engine()
    h.bar(100, 101, 99, 100)
    events = h.record(ev.OrderEvent)
    order = h.submit(BUY, OrderType.MARKET, "2")
    assert order.status is OrderStatus.ACCEPTED
    assert fills_of(events) == []
    bar = h.bar(100.5, 102, 99.5, 101)
    [fill] = fills_of(events)
    assert (fill.last_qty, fill.last_px, fill.liquidity_side) == (D(2), D("100.50"), TAKER)
    assert fill.ts_event == bar.ts_event
    assert fill.commission == D("0.201")  # 2 * 100.50 * 0.001
    assert order.status is OrderStatus.FILLED


class _BuyOnFirstBar(Strategy):
    """Buys at market and places a limit buy at 96 when it sees its first bar."""

    def __init__(self, account_id: AccountId, iid: InstrumentId) -> None:
        super().__init__("lookahead", account_id, [iid])
        self.orders: list[Order] = []

    def on_bar(self, bar: Bar) -> None:
        if not self.orders:
            self.orders.append(self.buy("1"))
            self.orders.append(self.buy("1", order_type=OrderType.LIMIT, price="96"))


def test_orders_sent_while_a_bar_is_processed_never_trade_on_that_bar() -> None:
    h = make_sim_engine()
    strategy = h.add(_BuyOnFirstBar)
    events = h.record(ev.OrderEvent)
    h.bar(100, 101, 95, 100)  # the limit at 96 was "touched" by this bar's low: must not count
    market, limit = strategy.orders  # type: ignore[attr-defined]
    assert (market.status, limit.status) == (OrderStatus.ACCEPTED, OrderStatus.ACCEPTED)
    assert fills_of(events) == []
    second = h.bar(105, 106, 104, 105)
    [fill] = fills_of(events)
    assert fill.client_order_id == market.client_order_id
    assert (fill.last_px, fill.ts_event) == (D("105.00"), second.ts_event)
    assert limit.status is OrderStatus.ACCEPTED


# --- limit ------------------------------------------------------------------------------------
def test_a_buy_limit_reached_inside_the_bar_fills_at_its_price_as_maker_at_the_bar_close() -> None:
    h = make_sim_engine()
    h.bar(100, 101, 99, 100)
    events = h.record(ev.OrderEvent)
    order = h.submit(BUY, OrderType.LIMIT, "1", price=D("98"))
    bar = h.bar(100, 100.5, 97, 99)
    [fill] = fills_of(events)
    assert (fill.last_px, fill.liquidity_side, fill.ts_event) == (D("98"), MAKER, bar.ts_init)
    assert fill.commission == D("0.0196")  # 98 * 0.0002
    assert order.avg_px == D(98)


def test_a_buy_limit_the_market_gaps_through_fills_at_the_open() -> None:
    h = make_sim_engine()
    h.bar(100, 101, 99, 100)
    events = h.record(ev.OrderEvent)
    h.submit(BUY, OrderType.LIMIT, "1", price=D("98"))
    bar = h.bar(97, 99, 96, 98)
    [fill] = fills_of(events)
    assert (fill.last_px, fill.liquidity_side, fill.ts_event) == (D("97.00"), MAKER, bar.ts_event)


def test_a_limit_one_tick_away_from_the_low_does_not_fill() -> None:
    h = make_sim_engine()
    h.bar(100, 101, 99, 100)
    order = h.submit(BUY, OrderType.LIMIT, "1", price=D("98"))
    h.bar(100, 101, 98.01, 100)
    assert order.status is OrderStatus.ACCEPTED and order.filled_qty == 0


def test_a_sell_limit_fills_at_its_price_when_the_high_reaches_it() -> None:
    h = holding("1", 100.0)
    events = h.record(ev.OrderEvent)
    h.submit(SELL, OrderType.LIMIT, "1", price=D("103"))
    h.bar(100, 103, 99, 101)
    [fill] = fills_of(events)
    assert (fill.side, fill.last_px, fill.liquidity_side) == (SELL, D("103"), MAKER)
    assert h.portfolio.net_quantity(h.account_id, BTC) == 0


def test_a_marketable_limit_fills_at_the_better_open_as_taker() -> None:
    h = make_sim_engine()
    h.bar(100, 101, 99, 100)
    events = h.record(ev.OrderEvent)
    h.submit(BUY, OrderType.LIMIT, "1", price=D("101"))
    bar = h.bar(100.5, 102, 100, 101)
    [fill] = fills_of(events)
    assert (fill.last_px, fill.liquidity_side, fill.ts_event) == (D("100.50"), TAKER, bar.ts_event)
    assert fill.commission == D("0.1005")


# --- stop -------------------------------------------------------------------------------------
def test_a_buy_stop_fills_at_its_trigger_when_the_path_rises_through_it() -> None:
    h = make_sim_engine()
    h.bar(100, 101, 99, 100)
    events = h.record(ev.OrderEvent)
    h.submit(BUY, OrderType.STOP, "1", trigger_price=D("102"))
    bar = h.bar(100, 103, 99.5, 101)  # path 100 → 99.5 → 103 → 101
    [fill] = fills_of(events)
    assert (fill.last_px, fill.liquidity_side, fill.ts_event) == (D("102.00"), TAKER, bar.ts_init)
    assert fill.commission == D("0.102")


def test_a_buy_stop_the_market_gaps_over_fills_at_the_open() -> None:
    h = make_sim_engine()
    h.bar(100, 101, 99, 100)
    events = h.record(ev.OrderEvent)
    h.submit(BUY, OrderType.STOP, "1", trigger_price=D("102"))
    bar = h.bar(104, 105, 103, 104)
    [fill] = fills_of(events)
    assert (fill.last_px, fill.ts_event) == (D("104.00"), bar.ts_event)


def test_a_sell_stop_below_the_market_fills_at_its_trigger_or_at_a_lower_open() -> None:
    h = holding("2", 100.0)
    events = h.record(ev.OrderEvent)
    h.submit(SELL, OrderType.STOP, "1", trigger_price=D("95"))
    h.submit(SELL, OrderType.STOP, "1", trigger_price=D("90"))
    h.bar(99, 99.5, 94, 96)  # only the 95 stop is reached
    assert [f.last_px for f in fills_of(events)] == [D("95.00")]
    h.bar(88, 89, 87, 88)  # gaps below 90
    assert [f.last_px for f in fills_of(events)] == [D("95.00"), D("88.00")]


# --- stop-limit -------------------------------------------------------------------------------
def test_a_stop_limit_triggers_then_fills_at_the_trigger_when_the_limit_allows() -> None:
    h = make_sim_engine()
    h.bar(100, 101, 99, 100)
    events = h.record(ev.OrderEvent)
    order = h.submit(BUY, OrderType.STOP_LIMIT, "1", trigger_price=D("102"), price=D("102.5"))
    h.bar(100, 103, 99, 101)  # path 100 → 99 → 103 → 101: triggers at 102
    kinds = [type(e) for e in events]
    assert kinds == [ev.OrderSubmitted, ev.OrderAccepted, ev.OrderTriggered, ev.OrderFilled]
    [fill] = fills_of(events)
    assert (fill.last_px, fill.liquidity_side) == (D("102.00"), TAKER)
    assert order.status is OrderStatus.FILLED


def test_a_stop_limit_gapping_over_its_limit_triggers_and_then_rests_as_a_maker_limit() -> None:
    h = make_sim_engine()
    h.bar(100, 101, 99, 100)
    events = h.record(ev.OrderEvent)
    order = h.submit(BUY, OrderType.STOP_LIMIT, "1", trigger_price=D("102"), price=D("102.5"))
    h.bar(104, 105, 103, 104)  # triggers at the open 104, never comes back to 102.5
    assert order.status is OrderStatus.TRIGGERED
    assert fills_of(events) == []
    h.bar(103, 103.5, 102, 102.5)  # path 103 → 103.5 → 102: the limit is reached
    [fill] = fills_of(events)
    assert (fill.last_px, fill.liquidity_side) == (D("102.5"), MAKER)
    assert fill.commission == D("0.0205")


def test_a_stop_limit_whose_trigger_is_not_reached_stays_accepted() -> None:
    h = make_sim_engine()
    h.bar(100, 101, 99, 100)
    order = h.submit(BUY, OrderType.STOP_LIMIT, "1", trigger_price=D("102"), price=D("102.5"))
    h.bar(100, 101.99, 99, 101)
    assert order.status is OrderStatus.ACCEPTED


# --- trailing stop ----------------------------------------------------------------------------
def test_a_trailing_stop_checks_its_level_before_raising_it_within_a_bar() -> None:
    h = holding("1", 100.0)
    events = h.record(ev.OrderEvent)
    order = h.submit(SELL, OrderType.TRAILING_STOP, "1", trailing_offset=D(5))
    # path 100 → 96 → 110 → 108: the level rises to 105 only after the low at 96 was passed
    h.bar(100, 110, 96, 108)
    assert order.status is OrderStatus.ACCEPTED
    # level 105 from the high of 110: path 107 → 107.5 → 104 reaches it
    bar = h.bar(107, 107.5, 104, 106)
    [fill] = fills_of(events)
    assert (fill.last_px, fill.ts_event, fill.liquidity_side) == (D("105.00"), bar.ts_init, TAKER)


def test_a_trailing_stop_triggered_by_the_close_is_stamped_at_the_bar_close() -> None:
    h = holding("1", 100.0)
    events = h.record(ev.OrderEvent)
    h.submit(SELL, OrderType.TRAILING_STOP, "1", trailing_offset=D(10))
    bar = h.bar(100, 110, 95, 96)  # path 100 → 95 → 110 → 96: level 100 hit on the way down
    [fill] = fills_of(events)
    assert fill.last_px == D("100.00")
    assert fill.ts_event == bar.ts_init  # not the open, although the price equals the open


def test_a_trailing_stop_gapped_through_fills_at_the_open() -> None:
    h = holding("1", 100.0)
    events = h.record(ev.OrderEvent)
    h.submit(SELL, OrderType.TRAILING_STOP, "1", trailing_offset=D(5))
    h.bar(100, 110, 100, 109)  # level raised to 105
    bar = h.bar(103, 104, 102, 103)
    [fill] = fills_of(events)
    assert (fill.last_px, fill.ts_event) == (D("103.00"), bar.ts_event)


def test_a_buy_trailing_stop_follows_the_low_down() -> None:
    h = make_sim_engine()
    h.bar(100, 100, 100, 100)
    events = h.record(ev.OrderEvent)
    h.submit(BUY, OrderType.TRAILING_STOP, "1", trailing_offset=D(3))
    h.bar(99, 99.5, 90, 91)  # path 99 → 99.5 → 90 → 91: low 90, level 93 after the low
    assert fills_of(events) == []
    h.bar(92, 94, 91.5, 93.5)  # path 92 → 91.5 → 94: level 93 reached on the way up
    [fill] = fills_of(events)
    assert fill.last_px == D("93.00")


# --- path order and liquidity -----------------------------------------------------------------
def test_orders_fill_in_the_order_the_path_reaches_them_not_the_order_they_were_sent() -> None:
    h = make_sim_engine()
    h.bar(100, 101, 99, 100)
    events = h.record(ev.OrderEvent)
    low = h.submit(BUY, OrderType.LIMIT, "1", price=D(97))
    high = h.submit(BUY, OrderType.STOP, "1", trigger_price=D(103))
    h.bar(100, 104, 96, 100)  # high and low 4 away: high first
    assert [f.client_order_id for f in fills_of(events)] == [high.client_order_id,
                                                              low.client_order_id]


def test_a_limit_marketable_when_sent_but_reached_only_later_in_the_bar_fills_as_maker() -> None:
    h = make_sim_engine()
    h.bar(100, 101, 99, 100)
    events = h.record(ev.OrderEvent)
    h.submit(BUY, OrderType.LIMIT, "1", price=D(101))  # marketable against the close of 100
    h.bar(102, 102.5, 100, 101)  # opens above it, comes back down to it
    [fill] = fills_of(events)
    assert (fill.last_px, fill.liquidity_side) == (D(101), MAKER)

"""What the simulated venue refuses, and why: funds, instrument rules, reduce-only, post-only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aitrader.core import events as ev
from aitrader.core.account import Account
from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import AccountType, OrderSide, OrderStatus, OrderType
from aitrader.core.ids import AccountId, InstrumentId, StrategyId
from aitrader.core.market_data import BookLevel, OrderBookSnapshot
from aitrader.core.order import Order
from aitrader.engine.clock import SimClock
from aitrader.engine.trading_engine import TradingEngine
from aitrader.portfolio.portfolio import Portfolio
from aitrader.risk.pre_trade import PreTradeRisk
from aitrader.testkit.engine_factory import BTC, SimHarness, btc_usdt, make_sim_engine
from aitrader.venues.simulated.exchange import SimulatedExchange
from aitrader.venues.simulated.fill_models import FeeModel

D = Decimal
SID = StrategyId("s")
BUY, SELL = OrderSide.BUY, OrderSide.SELL


def submit(h: SimHarness, side: OrderSide, kind: OrderType, qty: str,
           iid: InstrumentId = BTC, **kw: object) -> Order:
    return h.engine.orders.submit(SubmitOrder(h.engine.orders.next_order_id(SID), SID,
                                              h.account_id, iid, side, kind, D(qty),
                                              **kw))  # type: ignore[arg-type]


def rejection(order: Order) -> str:
    assert order.status is OrderStatus.REJECTED, order
    [event] = [e for e in order.events if isinstance(e, ev.OrderRejected)]
    return event.reason


def started(cash: str = "100000", **kw: object) -> SimHarness:
    h = make_sim_engine(cash=D(cash), **kw)  # type: ignore[arg-type]
    h.bar(100, 101, 99, 100)
    return h


def holding(qty: str, **kw: object) -> SimHarness:
    h = started(**kw)
    submit(h, BUY, OrderType.MARKET, qty)
    h.bar(100, 100, 100, 100)
    return h


class _LetEverythingThrough:
    """A pre-trade check that never says no, so only the venue's own checks answer."""

    def check(self, cmd: SubmitOrder) -> str | None:
        return None


def venue_only(account_type: AccountType = AccountType.MARGIN) -> SimHarness:
    """The factory's engine, but with risk that lets every order reach the venue."""
    inst = btc_usdt()
    clock = SimClock(60_000_000_000 * 1000)
    portfolio = Portfolio()
    account_id = AccountId("test")
    leverage = D(5) if account_type is AccountType.MARGIN else D(1)
    portfolio.add_account(Account(account_id, "SIM", "USDT", {"USDT": D(100_000)}, account_type,
                                  leverage))
    venue = SimulatedExchange("SIM", [inst], clock, portfolio, FeeModel(D("0.0002"), D("0.001")))
    engine = TradingEngine(clock, {"SIM": venue}, portfolio, _LetEverythingThrough())
    h = SimHarness(engine, venue, portfolio, clock, PreTradeRisk(portfolio), inst, account_id)
    h.bar(100, 101, 99, 100)
    return h


# --- funds ------------------------------------------------------------------------------------
def test_a_cash_account_buys_exactly_what_its_cash_pays_for_fee_included() -> None:
    ok = submit(started("1000"), BUY, OrderType.MARKET, "9.99")  # 999 + 0.999 fee = 999.999
    assert ok.status is OrderStatus.ACCEPTED
    refused = submit(started("1000"), BUY, OrderType.MARKET, "9.991")
    assert rejection(refused) == (
        "insufficient funds: need 1000.09910000 USDT, free 1000.00000000")


def test_a_second_market_buy_cannot_spend_the_cash_the_first_one_needs() -> None:
    h = started("1000")
    first = submit(h, BUY, OrderType.MARKET, "5")
    second = submit(h, BUY, OrderType.MARKET, "5")  # needs 500.5, only 500 is not promised
    assert first.status is OrderStatus.ACCEPTED
    assert rejection(second).startswith("insufficient funds: need 500.50000000 USDT, free 500.")
    h.bar(100, 100, 100, 100)
    assert h.portfolio.net_quantity(h.account_id, BTC) == D(5)


def test_working_limit_buys_reserve_cash_at_their_price() -> None:
    h = started("1000")
    submit(h, BUY, OrderType.LIMIT, "8", price=D("90"))  # reserves 720
    refused = submit(h, BUY, OrderType.LIMIT, "3", price=D("95"))  # needs 285.285 > 280
    assert "insufficient funds" in rejection(refused)


def test_a_cash_account_cannot_sell_more_than_it_holds() -> None:
    h = holding("1")
    refused = submit(h, SELL, OrderType.MARKET, "1.5")
    assert rejection(refused) == ("insufficient funds: sell 1.5 but only 1 BTC is held "
                                  "(a CASH account cannot short)")


def test_a_cash_account_cannot_sell_what_it_does_not_have() -> None:
    refused = submit(started(), SELL, OrderType.MARKET, "0.1")
    assert "cannot short" in rejection(refused)


def test_a_cash_account_cannot_sell_what_working_sells_already_promise() -> None:
    h = holding("1")
    submit(h, SELL, OrderType.LIMIT, "0.6", price=D("120"))
    refused = submit(h, SELL, OrderType.MARKET, "0.5")
    assert rejection(refused) == "insufficient funds: sell 0.5 but only 0.4 BTC is free"


def test_a_margin_account_may_sell_short_within_its_leverage() -> None:
    h = started(account_type=AccountType.MARGIN, leverage=D(2), cash="1000")
    short = submit(h, SELL, OrderType.MARKET, "19")  # 1900 / 2 + 1.9 fee = 951.9
    assert short.status is OrderStatus.ACCEPTED
    too_big = submit(h, SELL, OrderType.MARKET, "1")  # the first short promised 950 of 1000
    assert rejection(too_big) == "insufficient funds: need 50.10000000 USDT, free 50.00000000"


def test_working_orders_on_a_margin_account_promise_margin_not_their_whole_notional() -> None:
    h = started(account_type=AccountType.MARGIN, leverage=D(5), cash="1000")
    first = submit(h, BUY, OrderType.LIMIT, "40", price=D(100))  # promises 4000 / 5 = 800
    second = submit(h, BUY, OrderType.LIMIT, "9", price=D(100))  # needs 180.9 of 200 free
    assert (first.status, second.status) == (OrderStatus.ACCEPTED, OrderStatus.ACCEPTED)
    third = submit(h, BUY, OrderType.LIMIT, "1", price=D(100))
    assert rejection(third) == "insufficient funds: need 20.10000000 USDT, free 20.00000000"


def test_an_order_before_any_price_is_known_is_refused() -> None:
    h = make_sim_engine()
    refused = submit(h, BUY, OrderType.MARKET, "1")
    assert rejection(refused) == "no market price yet for BTC/USDT@SIM; cannot value the order"


# --- instrument rules -------------------------------------------------------------------------
def test_a_price_off_the_tick_grid_is_refused() -> None:
    refused = submit(started(), BUY, OrderType.LIMIT, "1", price=D("99.995"))
    assert rejection(refused) == "invalid tick: price 99.995 is not a multiple of 0.01"


def test_a_trigger_off_the_tick_grid_is_refused() -> None:
    refused = submit(started(), BUY, OrderType.STOP, "1", trigger_price=D("101.001"))
    assert rejection(refused) == "invalid tick: trigger_price 101.001 is not a multiple of 0.01"


def test_a_quantity_off_the_lot_grid_is_refused() -> None:
    refused = submit(started(), BUY, OrderType.MARKET, "0.000015")
    assert rejection(refused) == "invalid lot: quantity 0.000015 is not a multiple of 0.00001"


def test_a_limit_order_below_the_minimum_notional_is_refused() -> None:
    refused = submit(started(), BUY, OrderType.LIMIT, "0.04", price=D("100"))
    assert rejection(refused) == "below min notional: 4.00 < 5 USDT"
    assert submit(started(), BUY, OrderType.LIMIT, "0.05", price=D("100")).status is \
        OrderStatus.ACCEPTED


def test_a_market_order_below_the_minimum_notional_is_valued_at_the_last_price() -> None:
    refused = submit(started(), BUY, OrderType.MARKET, "0.04")
    assert rejection(refused) == "below min notional: 4.0000 < 5 USDT"


@pytest.mark.parametrize(("qty", "reason"), [
    ("0.05", "quantity 0.05 is below the minimum 0.1"),
    ("20.5", "quantity 20.5 is above the maximum 20"),
])
def test_quantity_limits_of_the_instrument_are_enforced(qty: str, reason: str) -> None:
    h = started(instrument=btc_usdt(min_quantity=D("0.1"), max_quantity=D(20)))
    assert rejection(submit(h, BUY, OrderType.MARKET, qty)) == reason


def test_an_instrument_the_venue_does_not_list_is_refused() -> None:
    refused = submit(started(), BUY, OrderType.MARKET, "1", iid=InstrumentId("ETH/USDT", "SIM"))
    assert rejection(refused) == "unknown instrument ETH/USDT@SIM"


# --- reduce-only ------------------------------------------------------------------------------
def test_the_venue_refuses_a_reduce_only_order_when_flat() -> None:
    refused = submit(venue_only(), SELL, OrderType.MARKET, "1", reduce_only=True)
    assert rejection(refused) == "reduce-only SELL would not reduce the position 0"


def test_the_venue_refuses_a_reduce_only_order_on_the_side_that_adds() -> None:
    h = venue_only()
    submit(h, BUY, OrderType.MARKET, "1")
    h.bar(100, 100, 100, 100)
    refused = submit(h, BUY, OrderType.LIMIT, "1", price=D(99), reduce_only=True)
    assert rejection(refused) == "reduce-only BUY would not reduce the position 1"


def test_a_reduce_only_order_larger_than_the_position_fills_only_the_position() -> None:
    h = venue_only()
    submit(h, BUY, OrderType.MARKET, "1")
    h.bar(100, 100, 100, 100)
    order = submit(h, SELL, OrderType.LIMIT, "2", price=D(101), reduce_only=True)
    h.bar(100, 102, 99, 101)
    assert order.filled_qty == D(1) and order.status is OrderStatus.PARTIALLY_FILLED
    assert h.portfolio.net_quantity(h.account_id, BTC) == 0
    h.bar(101, 103, 100, 102)  # nothing left to reduce: the remainder is cancelled
    assert order.status is OrderStatus.CANCELED
    assert h.portfolio.net_quantity(h.account_id, BTC) == 0


def test_a_reduce_only_order_never_adds_to_a_position_that_flipped_while_it_waited() -> None:
    h = venue_only()
    submit(h, BUY, OrderType.MARKET, "1")
    h.bar(100, 100, 100, 100)
    guard = submit(h, SELL, OrderType.LIMIT, "1", price=D(120), reduce_only=True)
    submit(h, SELL, OrderType.MARKET, "2")  # now short 1
    h.bar(100, 100, 100, 100)
    assert h.portfolio.net_quantity(h.account_id, BTC) == D(-1)
    h.bar(120, 121, 119, 120)
    assert guard.status is OrderStatus.CANCELED and guard.filled_qty == 0
    assert h.portfolio.net_quantity(h.account_id, BTC) == D(-1)


# --- post-only --------------------------------------------------------------------------------
def test_a_post_only_limit_that_would_take_is_refused() -> None:
    refused = submit(started(), BUY, OrderType.LIMIT, "1", price=D("100.5"), post_only=True)
    assert rejection(refused) == "post-only limit 100.5 would take liquidity (market 100.00)"


def test_a_post_only_limit_that_rests_is_accepted_and_fills_as_maker() -> None:
    h = started()
    order = submit(h, BUY, OrderType.LIMIT, "1", price=D("99.5"), post_only=True)
    assert order.status is OrderStatus.ACCEPTED
    h.bar(100, 100.2, 99, 99.5)
    fill = order.events[-1]
    assert isinstance(fill, ev.OrderFilled)
    assert (fill.last_px, fill.liquidity_side.value) == (D("99.5"), "MAKER")


def test_a_post_only_limit_at_the_best_ask_of_the_book_is_refused() -> None:
    h = make_sim_engine()
    ts = h.clock.now_ns() + 1
    h.engine.on_data(OrderBookSnapshot(BTC, ts, ts, (BookLevel(99.9, 1.0),),
                                       (BookLevel(100.1, 1.0),)))
    refused = submit(h, BUY, OrderType.LIMIT, "1", price=D("100.1"), post_only=True)
    assert "would take liquidity" in rejection(refused)
    rests = submit(h, BUY, OrderType.LIMIT, "1", price=D("100.0"), post_only=True)
    assert rests.status is OrderStatus.ACCEPTED

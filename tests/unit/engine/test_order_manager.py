"""The order manager: idempotent submission, denials that never reach a venue, event routing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aitrader.core import events as ev
from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import OrderSide, OrderStatus, OrderType, TimeInForce
from aitrader.core.errors import InvalidOrder
from aitrader.core.ids import AccountId, ClientOrderId, InstrumentId, StrategyId
from aitrader.core.order import Order
from aitrader.core.ports import VenueCapabilities
from aitrader.testkit.engine_factory import BTC, SimHarness, make_sim_engine

D = Decimal
SID = StrategyId("s")
BUY, SELL = OrderSide.BUY, OrderSide.SELL


def command(cid: str, side: OrderSide = BUY, kind: OrderType = OrderType.MARKET,
            qty: str = "1", iid: InstrumentId = BTC, **kw: object) -> SubmitOrder:
    return SubmitOrder(ClientOrderId(cid), SID, AccountId("test"), iid, side, kind, D(qty),
                       **kw)  # type: ignore[arg-type]



def started() -> SimHarness:
    h = make_sim_engine()
    h.bar(100, 101, 99, 100)
    return h


def test_resubmitting_a_client_order_id_returns_the_first_order_and_sends_nothing_twice() -> None:
    h = started()
    events = h.record(ev.OrderEvent)
    first = h.engine.orders.submit(command("retry-1"))
    again = h.engine.orders.submit(command("retry-1"))
    different = h.engine.orders.submit(command("retry-1", qty="5"))
    assert again is first and different is first
    assert first.quantity == D(1)
    assert [type(e) for e in events] == [ev.OrderSubmitted, ev.OrderAccepted]
    h.bar(100, 100, 100, 100)
    assert h.portfolio.net_quantity(h.account_id, BTC) == D(1)
    assert len(h.engine.orders.orders()) == 1


def test_resubmitting_a_finished_order_does_not_trade_again() -> None:
    h = started()
    first = h.engine.orders.submit(command("once"))
    h.bar(100, 100, 100, 100)
    assert first.status is OrderStatus.FILLED
    assert h.engine.orders.submit(command("once")) is first
    h.bar(100, 100, 100, 100)
    assert h.portfolio.net_quantity(h.account_id, BTC) == D(1)


def test_a_denied_order_never_reaches_the_venue() -> None:
    h = started()
    events = h.record(ev.OrderEvent)
    h.risk.halt("daily loss limit")
    order = h.engine.orders.submit(command("d-1"))
    assert order.status is OrderStatus.DENIED
    assert events == [ev.OrderDenied(ClientOrderId("d-1"), h.clock.now_ns(),
                                     "trading halted: daily loss limit")]
    assert order.venue_order_id is None
    h.bar(100, 100, 100, 100)
    assert order.status is OrderStatus.DENIED
    assert h.portfolio.net_quantity(h.account_id, BTC) == 0
    assert h.engine.orders.open_orders() == []
    assert h.risk.denials == 1


def test_a_reduce_only_order_when_flat_is_denied_by_risk_before_the_venue() -> None:
    h = started()
    order = h.engine.orders.submit(command("r-1", side=SELL, reduce_only=True))
    assert order.status is OrderStatus.DENIED
    denied = order.events[0]
    assert isinstance(denied, ev.OrderDenied)
    assert denied.reason == "reduce-only order would not reduce the position (held 0)"
    assert [type(e) for e in order.events] == [ev.OrderDenied]


@pytest.mark.parametrize(("cmd", "reason"), [
    (command("c-1", kind=OrderType.TRAILING_STOP, trailing_offset=D(5)),
     "venue SIM does not support TRAILING_STOP orders"),
    (command("c-2", time_in_force=TimeInForce.FOK), "venue SIM does not support time in force FOK"),
    (command("c-3", side=SELL, reduce_only=True), "venue SIM does not support reduce-only orders"),
    (command("c-4", kind=OrderType.LIMIT, price=D(90), post_only=True),
     "venue SIM does not support post-only orders"),
])
def test_orders_a_venue_cannot_take_are_denied_by_capability(cmd: SubmitOrder, reason: str
                                                             ) -> None:
    h = started()
    h.venue.capabilities = VenueCapabilities(  # type: ignore[misc]
        order_types=frozenset({OrderType.MARKET, OrderType.LIMIT}),
        time_in_force=frozenset({TimeInForce.GTC, TimeInForce.IOC}),
        reduce_only=False, post_only=False)
    order = h.engine.orders.submit(cmd)
    assert order.status is OrderStatus.DENIED
    denied = order.events[-1]
    assert isinstance(denied, ev.OrderDenied) and denied.reason == reason


def test_an_order_for_a_venue_that_is_not_connected_is_denied() -> None:
    h = started()
    order = h.engine.orders.submit(command("v-1", iid=InstrumentId("BTC/USDT", "NOWHERE")))
    denied = order.events[-1]
    assert isinstance(denied, ev.OrderDenied)
    assert denied.reason == "no venue 'NOWHERE' is connected"


def test_an_invalid_command_raises_and_registers_nothing() -> None:
    h = started()
    with pytest.raises(InvalidOrder, match="LIMIT order needs a price > 0, was None"):
        h.engine.orders.submit(command("bad-1", kind=OrderType.LIMIT))
    assert h.engine.orders.get(ClientOrderId("bad-1")) is None


def test_order_ids_are_deterministic_per_strategy_and_continue_after_a_restore() -> None:
    orders = make_sim_engine().engine.orders
    ids = [orders.next_order_id(SID), orders.next_order_id(StrategyId("t")),
           orders.next_order_id(SID)]
    assert ids == ["s-1", "t-1", "s-2"]
    orders.restore_counter(SID, 41)
    assert orders.next_order_id(SID) == "s-42"
    orders.restore_counter(SID, 3)  # never goes back
    assert orders.next_order_id(SID) == "s-43"


def test_a_fill_reported_twice_is_applied_once() -> None:
    h = started()
    fills: list[ev.OrderFilled] = []
    h.engine.bus.subscribe(ev.OrderFilled, fills.append)
    order = h.engine.orders.submit(command("f-1", kind=OrderType.LIMIT, qty="2", price=D(99)))
    h.bar(100, 100, 98, 99)
    [fill] = fills
    assert h.engine.orders.apply(fill) is None
    assert order.filled_qty == D(2)
    assert h.portfolio.net_quantity(h.account_id, BTC) == D(2)
    assert len(fills) == 1


def test_an_event_for_an_unknown_order_is_dropped() -> None:
    h = started()
    assert h.engine.orders.apply(ev.OrderCanceled(ClientOrderId("ghost"), 1)) is None


def test_an_illegal_event_is_refused_without_publishing_it() -> None:
    h = started()
    events = h.record(ev.OrderEvent)
    order = h.engine.orders.submit(command("i-1", kind=OrderType.LIMIT, price=D(90)))
    h.engine.orders.cancel(order.client_order_id)
    n = len(events)
    assert h.engine.orders.apply(ev.OrderAccepted(order.client_order_id, 1, "v")) is None  # type: ignore[arg-type]
    assert order.status is OrderStatus.CANCELED
    assert len(events) == n


def test_open_orders_lists_working_orders_by_strategy() -> None:
    h = started()
    mine = h.engine.orders.submit(command("o-1", kind=OrderType.LIMIT, price=D(90)))
    theirs = h.engine.orders.submit(SubmitOrder(ClientOrderId("o-2"), StrategyId("t"),
                                                h.account_id, BTC, BUY, OrderType.LIMIT, D(1),
                                                price=D(91)))
    filled = h.engine.orders.submit(command("o-3"))
    h.bar(100, 100, 100, 100)
    assert filled.status is OrderStatus.FILLED
    assert h.engine.orders.open_orders(SID) == [mine]
    assert set(map(_cid, h.engine.orders.open_orders())) == {"o-1", "o-2"}
    assert theirs.is_open


def test_cancelling_an_unknown_order_is_an_invalid_order() -> None:
    h = started()
    with pytest.raises(InvalidOrder, match="unknown order nope"):
        h.engine.orders.cancel(ClientOrderId("nope"))


def _cid(order: Order) -> str:
    return order.client_order_id

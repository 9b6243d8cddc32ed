"""Strategy.submit builds the SubmitOrder the engine checks: every term where it belongs."""

from __future__ import annotations

from decimal import Decimal

from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import OrderSide, OrderType, TimeInForce
from aitrader.core.order import Order
from aitrader.strategies.base import Strategy
from aitrader.testkit.engine_factory import make_sim_engine


def test_submit_order_fields_are_in_the_order_strategy_submit_passes_them() -> None:
    # order_terms.submit_command builds the command positionally (the hot path): a reordered field
    # would silently swap terms, so the order is pinned here
    assert SubmitOrder.__match_args__ == (
        "client_order_id", "strategy_id", "account_id", "instrument_id", "side", "order_type",
        "quantity", "price", "trigger_price", "trailing_offset", "time_in_force",
        "reduce_only", "post_only", "expire_ns", "parent_order_id", "linked_order_ids", "tag",
        "stop_loss", "take_profit")


def test_every_term_given_to_submit_arrives_rounded_on_the_order() -> None:
    h = make_sim_engine()
    h.bar(100, 101, 99, 100)
    strategy = h.add(lambda acc, iid: Strategy("s", acc, [iid]))
    order: Order = strategy.submit(
        OrderSide.BUY, "0.123456", order_type=OrderType.STOP_LIMIT, price=99.004,
        trigger_price="99.116", time_in_force=TimeInForce.DAY, reduce_only=False,
        post_only=False, stop_loss=95.005, take_profit=110.015, tag="entry")
    assert (order.side, order.order_type, order.quantity) == (
        OrderSide.BUY, OrderType.STOP_LIMIT, Decimal("0.12345"))
    assert (order.price, order.trigger_price) == (Decimal("99.00"), Decimal("99.12"))
    assert (order.stop_loss, order.take_profit) == (Decimal("95.00"), Decimal("110.02"))
    assert (order.time_in_force, order.tag, order.expire_ns) == (TimeInForce.DAY, "entry", 0)
    assert (order.strategy_id, order.account_id, order.instrument_id) == (
        "s", h.account_id, h.instrument.id)
    assert order.parent_order_id is None and order.linked_order_ids == ()
    trail = strategy.submit(OrderSide.SELL, 0.1, order_type=OrderType.TRAILING_STOP,
                            trailing_offset=1.234, reduce_only=True)
    assert (trail.trailing_offset, trail.reduce_only, trail.price) == (Decimal("1.23"), True,
                                                                      None)


def _terms(order: Order) -> tuple[object, ...]:
    return (order.side, order.order_type, order.quantity, order.price, order.trigger_price,
            order.time_in_force, order.reduce_only, order.post_only, order.stop_loss,
            order.take_profit, order.tag, order.instrument_id, order.strategy_id)


def test_buy_and_sell_are_submit_with_their_side_on_every_path() -> None:
    h = make_sim_engine()
    h.bar(100, 101, 99, 100)
    strategy = h.add(lambda acc, iid: Strategy("s", acc, [iid]))
    for helper, side in ((strategy.buy, OrderSide.BUY), (strategy.sell, OrderSide.SELL)):
        for kwargs in ({}, {"reduce_only": True}, {"order_type": OrderType.LIMIT, "price": 99.5},
                       {"reduce_only": True, "tag": "x"}):
            got = helper("0.5", **kwargs)
            want = strategy.submit(side, "0.5", **kwargs)
            assert _terms(got) == _terms(want), (side, kwargs)
            assert got.client_order_id != want.client_order_id


def test_numpy_scalars_are_quantities_and_prices_like_any_number() -> None:
    # strategies size with numpy: its int64, float32 and float64 scalars are numbers here too
    import numpy as np

    h = make_sim_engine()
    h.bar(100, 101, 99, 100)
    strategy = h.add(lambda acc, iid: Strategy("s", acc, [iid]))
    market = strategy.buy(np.int64(1))
    limit = strategy.buy(np.float32(0.5), order_type=OrderType.LIMIT, price=np.float64(99.004))
    assert (market.quantity, market.status.value) == (Decimal("1.00000"), "ACCEPTED")
    assert (limit.quantity, limit.price) == (Decimal("0.50000"), Decimal("99.00"))

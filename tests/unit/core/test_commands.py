"""Commands check their own rules: each refusal names the rule and the value received."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aitrader.core.commands import CancelOrder, ModifyOrder, SubmitOrder
from aitrader.core.enums import OrderSide, OrderType, TimeInForce
from aitrader.core.errors import InvalidOrder
from aitrader.core.ids import AccountId, ClientOrderId, InstrumentId, StrategyId

D = Decimal


ONE = D(1)


def cmd(kind: OrderType = OrderType.MARKET, qty: Decimal = ONE, **kw: object) -> SubmitOrder:
    return SubmitOrder(ClientOrderId("s-1"), StrategyId("s"), AccountId("a"),
                       InstrumentId("BTC/USDT", "SIM"), OrderSide.BUY, kind, qty,
                       **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("order", [
    cmd(),
    cmd(OrderType.LIMIT, price=D(100), post_only=True),
    cmd(OrderType.STOP, trigger_price=D(105)),
    cmd(OrderType.STOP_LIMIT, price=D(106), trigger_price=D(105)),
    cmd(OrderType.TRAILING_STOP, trailing_offset=D(2)),
    cmd(stop_loss=D(95), take_profit=D(110), time_in_force=TimeInForce.IOC),
], ids=["market", "post-only limit", "stop", "stop-limit", "trailing", "bracket"])
def test_valid_orders_validate_to_themselves(order: SubmitOrder) -> None:
    assert order.validate() is order


@pytest.mark.parametrize(("order", "message"), [
    (cmd(qty=D(0)), "quantity must be > 0, was 0"),
    (cmd(qty=D("-1")), "quantity must be > 0, was -1"),
    (cmd(OrderType.LIMIT), "LIMIT order needs a price > 0, was None"),
    (cmd(OrderType.LIMIT, price=D(0)), "LIMIT order needs a price > 0, was 0"),
    (cmd(price=D(100)), "MARKET order takes no limit price, was 100"),
    (cmd(OrderType.STOP, price=D(100), trigger_price=D(100)),
     "STOP order takes no limit price, was 100"),
    (cmd(OrderType.STOP), "STOP order needs a trigger_price > 0, was None"),
    (cmd(OrderType.STOP_LIMIT, price=D(100)), "STOP_LIMIT order needs a trigger_price > 0"),
    (cmd(OrderType.STOP_LIMIT, trigger_price=D(100)), "STOP_LIMIT order needs a price > 0"),
    (cmd(OrderType.TRAILING_STOP), "TRAILING_STOP needs a trailing_offset > 0, was None"),
    (cmd(OrderType.TRAILING_STOP, trailing_offset=D(0)),
     "TRAILING_STOP needs a trailing_offset > 0, was 0"),
    (cmd(post_only=True), "post_only applies to LIMIT orders only, was MARKET"),
    (cmd(OrderType.LIMIT, price=D(1), post_only=True, time_in_force=TimeInForce.IOC),
     "post_only cannot be combined with IOC or FOK"),
    (cmd(OrderType.LIMIT, price=D(1), post_only=True, time_in_force=TimeInForce.FOK),
     "post_only cannot be combined with IOC or FOK"),
    (cmd(stop_loss=D(0)), "stop_loss must be > 0, was 0"),
    (cmd(take_profit=D("-5")), "take_profit must be > 0, was -5"),
])
def test_broken_rules_are_refused_with_the_value_received(order: SubmitOrder, message: str
                                                          ) -> None:
    with pytest.raises(InvalidOrder) as info:
        order.validate()
    assert message in str(info.value)


@pytest.mark.parametrize(("field", "value"), [("quantity", D(0)), ("price", D("-1")),
                                              ("trigger_price", D(0))])
def test_a_modify_with_a_non_positive_term_is_refused(field: str, value: Decimal) -> None:
    modify = ModifyOrder(ClientOrderId("s-1"), **{field: value})
    with pytest.raises(InvalidOrder, match=f"{field} must be > 0, was {value}"):
        modify.validate()


def test_a_modify_that_keeps_every_term_is_valid() -> None:
    modify = ModifyOrder(ClientOrderId("s-1"), price=D("99.5"))
    assert modify.validate() is modify
    assert modify.quantity is None


def test_commands_are_frozen() -> None:
    order = cmd()
    with pytest.raises(AttributeError):
        order.quantity = D(2)  # type: ignore[misc]
    with pytest.raises(AttributeError):
        CancelOrder(ClientOrderId("s-1")).reason = "x"  # type: ignore[misc]

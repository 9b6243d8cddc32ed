"""A strategy's order terms as the command the engine checks (compiled with mypyc)."""

from __future__ import annotations

from decimal import Decimal

from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import OrderSide, OrderType, TimeInForce
from aitrader.core.ids import AccountId, ClientOrderId, StrategyId
from aitrader.core.instrument import Instrument

Number = Decimal | float | int | str


def submit_command(
    client_order_id: ClientOrderId, strategy_id: StrategyId, account_id: AccountId,
    inst: Instrument, side: OrderSide, order_type: OrderType, quantity: Number,
    price: Number | None, trigger_price: Number | None, trailing_offset: Number | None,
    time_in_force: TimeInForce, reduce_only: bool, post_only: bool, stop_loss: Number | None,
    take_profit: Number | None, tag: str,
) -> SubmitOrder:
    """The SubmitOrder of these terms: the quantity rounded down to the lot, every price to
    the nearest tick."""
    make_price = inst.make_price
    # positional: in the order of SubmitOrder.__match_args__ (pinned by a test)
    return SubmitOrder(
        client_order_id, strategy_id, account_id, inst.id, side, order_type,
        inst.make_qty(quantity),
        None if price is None else make_price(price),
        None if trigger_price is None else make_price(trigger_price),
        None if trailing_offset is None else make_price(trailing_offset),
        time_in_force, reduce_only, post_only, 0, None, (), tag,
        None if stop_loss is None else make_price(stop_loss),
        None if take_profit is None else make_price(take_profit),
    )

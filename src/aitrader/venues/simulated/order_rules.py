"""Instrument rules every order must meet at the venue: tick, lot, minimums."""

from __future__ import annotations

from decimal import Decimal

from aitrader.core.instrument import Instrument
from aitrader.core.order import Order


def check_order_rules(order: Order, inst: Instrument, last: Decimal | None = None) -> str | None:
    """The first broken rule as a message naming the value received, or None.

    ``last`` values orders without a price (market, trailing) for the minimum notional.
    """
    qty = order.quantity
    if not inst.is_on_lot(qty):
        return f"invalid lot: quantity {qty} is not a multiple of {inst.lot_size}"
    if qty < inst.min_quantity:
        return f"quantity {qty} is below the minimum {inst.min_quantity}"
    if inst.max_quantity is not None and qty > inst.max_quantity:
        return f"quantity {qty} is above the maximum {inst.max_quantity}"
    if order.price is not None or order.trigger_price is not None or \
            order.trailing_offset is not None:  # a market order skips the loop
        for name in ("price", "trigger_price", "trailing_offset"):
            value = getattr(order, name)
            if value is not None and not inst.is_on_tick(value):
                return f"invalid tick: {name} {value} is not a multiple of {inst.tick_size}"
    ref = order.price or order.trigger_price or last
    if ref is not None and inst.min_notional and inst.notional(qty, ref) < inst.min_notional:
        return (f"below min notional: {inst.notional(qty, ref)} < {inst.min_notional} "
                f"{inst.quote_currency}")
    return None

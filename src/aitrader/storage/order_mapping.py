"""Orders between the domain and their rows: terms, state, and rebuilding after a restart."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import OrderSide, OrderStatus, OrderType, TimeInForce
from aitrader.core.ids import (
    AccountId,
    ClientOrderId,
    InstrumentId,
    StrategyId,
    VenueOrderId,
)
from aitrader.core.order import Order
from aitrader.storage.models import OrderRow


def order_to_row(order: Order, run_id: str) -> OrderRow:
    """A new row for an order about to be sent."""
    row = OrderRow(
        run_id=run_id, client_order_id=order.client_order_id, strategy_id=order.strategy_id,
        account_id=order.account_id, instrument_id=str(order.instrument_id),
        side=order.side.value, order_type=order.order_type.value, quantity=order.quantity,
        price=order.price, trigger_price=order.trigger_price,
        trailing_offset=order.trailing_offset, time_in_force=order.time_in_force.value,
        reduce_only=order.reduce_only, post_only=order.post_only, expire_ns=order.expire_ns,
        parent_order_id=order.parent_order_id, linked_order_ids=list(order.linked_order_ids),
        tag=order.tag, stop_loss=order.stop_loss, take_profit=order.take_profit,
        event_count=0,
    )
    update_row_state(row, order)
    return row


def row_state(order: Order) -> dict[str, Any]:
    """The columns that change over an order's life, with their current values."""
    return {"status": order.status.value, "quantity": order.quantity, "price": order.price,
            "trigger_price": order.trigger_price, "filled_qty": order.filled_qty,
            "avg_px": order.avg_px, "venue_order_id": order.venue_order_id,
            "ts_init": order.ts_init, "ts_last": order.ts_last}


def update_row_state(row: OrderRow, order: Order) -> None:
    """Copy what changes over an order's life."""
    for column, value in row_state(order).items():
        setattr(row, column, value)


def row_to_order(row: OrderRow) -> Order:
    """Rebuild an order: its terms through SubmitOrder, then its stored state.

    Past events are kept in ``order_events`` for audit; the restored order starts with an empty
    in-memory event list and the fills it already has (deduplicated by trade id in storage).
    """
    cmd = SubmitOrder(
        client_order_id=ClientOrderId(row.client_order_id),
        strategy_id=StrategyId(row.strategy_id), account_id=AccountId(row.account_id),
        instrument_id=InstrumentId.parse(row.instrument_id), side=OrderSide(row.side),
        order_type=OrderType(row.order_type), quantity=_d(row.quantity),
        price=_opt(row.price), trigger_price=_opt(row.trigger_price),
        trailing_offset=_opt(row.trailing_offset), time_in_force=TimeInForce(row.time_in_force),
        reduce_only=row.reduce_only, post_only=row.post_only, expire_ns=row.expire_ns,
        parent_order_id=None if row.parent_order_id is None else ClientOrderId(
            row.parent_order_id),
        linked_order_ids=tuple(ClientOrderId(x) for x in row.linked_order_ids),
        tag=row.tag, stop_loss=_opt(row.stop_loss), take_profit=_opt(row.take_profit),
    )
    order = Order(cmd, row.ts_init)
    order.status = OrderStatus(row.status)
    order.filled_qty = _d(row.filled_qty)
    order.avg_px = _opt(row.avg_px)
    order.venue_order_id = None if row.venue_order_id is None else VenueOrderId(
        row.venue_order_id)
    order.ts_last = row.ts_last
    return order


def _d(value: Decimal) -> Decimal:
    return value


def _opt(value: Decimal | None) -> Decimal | None:
    return value

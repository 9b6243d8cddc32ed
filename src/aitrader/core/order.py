"""Orders and the transition table that is the only way their status changes."""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from aitrader.core import events as ev
from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import (
    ACCEPTED,
    CANCELED,
    DENIED,
    EXPIRED,
    FILLED,
    INITIALIZED,
    PARTIALLY_FILLED,
    PENDING_CANCEL,
    PENDING_UPDATE,
    REJECTED,
    SUBMITTED,
    TRIGGERED,
    OrderSide,
    OrderStatus,
    OrderType,
    TimeInForce,
)
from aitrader.core.errors import InvalidTransition
from aitrader.core.events import OrderAccepted, OrderFilled, OrderUpdated
from aitrader.core.ids import AccountId, ClientOrderId, InstrumentId, StrategyId, VenueOrderId
from aitrader.core.money import ZERO

_FILL_FROM = (SUBMITTED, ACCEPTED, TRIGGERED, PENDING_UPDATE, PENDING_CANCEL,
              PARTIALLY_FILLED)
_WORKING = (ACCEPTED, TRIGGERED, PARTIALLY_FILLED)

# (status now, event type) -> status after. Anything absent is an illegal transition.
TRANSITIONS: Final[dict[tuple[OrderStatus, type[ev.OrderEvent]], OrderStatus]] = {
    (INITIALIZED, ev.OrderDenied): DENIED,
    (INITIALIZED, ev.OrderSubmitted): SUBMITTED,
    (SUBMITTED, ev.OrderAccepted): ACCEPTED,
    (SUBMITTED, ev.OrderRejected): REJECTED,
    (SUBMITTED, ev.OrderCanceled): CANCELED,
    (SUBMITTED, ev.OrderExpired): EXPIRED,
    (ACCEPTED, ev.OrderRejected): REJECTED,
    (PENDING_UPDATE, ev.OrderRejected): REJECTED,
    (PENDING_CANCEL, ev.OrderRejected): REJECTED,
    (ACCEPTED, ev.OrderTriggered): TRIGGERED,
    (PENDING_UPDATE, ev.OrderTriggered): TRIGGERED,
    (PENDING_CANCEL, ev.OrderTriggered): TRIGGERED,
    (PENDING_CANCEL, ev.OrderCanceled): CANCELED,
    (PENDING_CANCEL, ev.OrderExpired): EXPIRED,
    (PENDING_UPDATE, ev.OrderCanceled): CANCELED,
    (PENDING_UPDATE, ev.OrderExpired): EXPIRED,
    # a confirmed modify returns the order to where it was (set in Order.apply)
    (PENDING_UPDATE, ev.OrderUpdated): PENDING_UPDATE,
}
for _s in _WORKING:
    TRANSITIONS[(_s, ev.OrderPendingCancel)] = PENDING_CANCEL
    TRANSITIONS[(_s, ev.OrderPendingUpdate)] = PENDING_UPDATE
    TRANSITIONS[(_s, ev.OrderCanceled)] = CANCELED
    TRANSITIONS[(_s, ev.OrderExpired)] = EXPIRED
    TRANSITIONS[(_s, ev.OrderUpdated)] = _s
for _s in _FILL_FROM:
    TRANSITIONS[(_s, ev.OrderFilled)] = PARTIALLY_FILLED  # FILLED when nothing is left
# A refused cancel/modify puts the order back where it was; handled in Order.apply.
_RESTORE: Final = (ev.OrderCancelRejected, ev.OrderModifyRejected)


class Order:
    """One order's terms and state; owned and changed only by the order manager."""

    __slots__ = (
        "_previous_status",
        "_trade_ids",
        "account_id",
        "avg_px",
        "client_order_id",
        "events",
        "expire_ns",
        "filled_qty",
        "instrument_id",
        "linked_order_ids",
        "order_type",
        "parent_order_id",
        "post_only",
        "price",
        "quantity",
        "reduce_only",
        "side",
        "status",
        "stop_loss",
        "strategy_id",
        "tag",
        "take_profit",
        "time_in_force",
        "trailing_offset",
        "trigger_price",
        "ts_init",
        "ts_last",
        "venue_order_id",
    )

    def __init__(self, cmd: SubmitOrder, ts_init: int) -> None:
        self.client_order_id: ClientOrderId = cmd.client_order_id
        self.strategy_id: StrategyId = cmd.strategy_id
        self.account_id: AccountId = cmd.account_id
        self.instrument_id: InstrumentId = cmd.instrument_id
        self.side: OrderSide = cmd.side
        self.order_type: OrderType = cmd.order_type
        self.quantity: Decimal = cmd.quantity
        self.price: Decimal | None = cmd.price
        self.trigger_price: Decimal | None = cmd.trigger_price
        self.trailing_offset: Decimal | None = cmd.trailing_offset
        self.time_in_force: TimeInForce = cmd.time_in_force
        self.reduce_only = cmd.reduce_only
        self.post_only = cmd.post_only
        self.expire_ns = cmd.expire_ns
        self.parent_order_id = cmd.parent_order_id
        self.linked_order_ids: tuple[ClientOrderId, ...] = cmd.linked_order_ids
        self.tag = cmd.tag
        self.stop_loss = cmd.stop_loss
        self.take_profit = cmd.take_profit
        self.status = INITIALIZED
        self.filled_qty = ZERO
        self.avg_px: Decimal | None = None
        self.venue_order_id: VenueOrderId | None = None
        self.ts_init = ts_init
        self.ts_last = ts_init
        self.events: list[ev.OrderEvent] = []
        self._previous_status = INITIALIZED
        self._trade_ids: set[str] = set()

    @property
    def leaves_qty(self) -> Decimal:
        """Quantity still to fill."""
        return self.quantity - self.filled_qty

    @property
    def is_open(self) -> bool:
        """True while the venue may still fill it."""
        return self.status.is_open

    @property
    def is_closed(self) -> bool:
        """True once it can never change again."""
        return self.status.is_closed

    def has_trade(self, trade_id: str) -> bool:
        """True when this fill was already applied (fills are deduplicated by trade id)."""
        return trade_id in self._trade_ids

    def apply(self, event: ev.OrderEvent) -> None:
        """Move through the transition table, or raise InvalidTransition and change nothing."""
        kind = type(event)
        target = TRANSITIONS.get((self.status, kind))
        if target is None:
            if kind in _RESTORE:
                self._restore(event)
                return
            raise InvalidTransition(
                f"{kind.__name__} is not allowed when order {self.client_order_id} is "
                f"{self.status.value}"
            )
        if kind is OrderFilled:
            self._apply_fill(event)  # type: ignore[arg-type]  # kind is OrderFilled
            if self.filled_qty == self.quantity:
                target = FILLED
        elif kind is OrderAccepted:
            self.venue_order_id = event.venue_order_id  # type: ignore[attr-defined]  # accepted
        elif kind is OrderUpdated:
            target = self._apply_update(event, target)  # type: ignore[arg-type]  # updated
        elif target is PENDING_CANCEL or target is PENDING_UPDATE:
            self._previous_status = self.status
        self.status = target
        self.events.append(event)
        self.ts_last = event.ts_event

    def _restore(self, event: ev.OrderEvent) -> None:
        if self.status not in (PENDING_CANCEL, PENDING_UPDATE):
            raise InvalidTransition(
                f"{type(event).__name__} needs a pending cancel/update, order "
                f"{self.client_order_id} was {self.status.value}"
            )
        self.status = self._previous_status
        self.events.append(event)
        self.ts_last = event.ts_event

    def _apply_update(self, event: ev.OrderUpdated, target: OrderStatus) -> OrderStatus:
        if event.quantity < self.filled_qty:
            raise InvalidTransition(
                f"updated quantity must be >= filled {self.filled_qty}, was {event.quantity}"
            )
        self.quantity = event.quantity
        self.price = event.price
        self.trigger_price = event.trigger_price
        if self.quantity == self.filled_qty and self.filled_qty > ZERO:
            return FILLED
        if target is PENDING_UPDATE:
            return self._previous_status  # the venue confirmed our modify
        return target

    def _apply_fill(self, fill: ev.OrderFilled) -> None:
        if fill.trade_id in self._trade_ids:
            raise InvalidTransition(
                f"fill {fill.trade_id} was already applied to {self.client_order_id}"
            )
        qty = fill.last_qty
        filled = self.filled_qty
        if qty <= ZERO or qty > self.quantity - filled:
            raise InvalidTransition(
                f"fill quantity must be > 0 and <= leaves {self.leaves_qty}, was {qty}"
            )
        if filled == ZERO:  # the first fill's price is the average
            self.avg_px = fill.last_px
            self.filled_qty = qty
        else:
            new_filled = filled + qty
            prev_cost = (self.avg_px or ZERO) * filled
            self.avg_px = (prev_cost + fill.last_px * qty) / new_filled
            self.filled_qty = new_filled
        self.venue_order_id = self.venue_order_id or fill.venue_order_id
        self._trade_ids.add(fill.trade_id)

    def __repr__(self) -> str:
        return (
            f"Order({self.client_order_id} {self.side.value} {self.quantity} {self.instrument_id} "
            f"{self.order_type.value} {self.status.value} filled={self.filled_qty})"
        )

"""Events: facts in the past tense, frozen once published."""

from __future__ import annotations

from decimal import Decimal

import msgspec

from aitrader.core.enums import LiquiditySide, OrderSide
from aitrader.core.ids import (
    AccountId,
    ClientOrderId,
    InstrumentId,
    StrategyId,
    TradeId,
    VenueOrderId,
)


class OrderEvent(msgspec.Struct, frozen=True, gc=False):
    """Base of every event about one order."""

    client_order_id: ClientOrderId
    ts_event: int


class OrderDenied(OrderEvent, frozen=True, gc=False):
    """Our own risk checks refused the order; it never left the engine."""

    reason: str


class OrderSubmitted(OrderEvent, frozen=True, gc=False):
    """The order was journaled and handed to the venue."""

    account_id: AccountId


class OrderAccepted(OrderEvent, frozen=True, gc=False):
    """The venue acknowledged the order."""

    venue_order_id: VenueOrderId


class OrderRejected(OrderEvent, frozen=True, gc=False):
    """The venue refused the order."""

    reason: str


class OrderTriggered(OrderEvent, frozen=True, gc=False):
    """A stop-limit's trigger was hit; the limit order now works."""


class OrderPendingCancel(OrderEvent, frozen=True, gc=False):
    """A cancel was sent and is not yet confirmed."""


class OrderPendingUpdate(OrderEvent, frozen=True, gc=False):
    """A modify was sent and is not yet confirmed."""


class OrderCanceled(OrderEvent, frozen=True, gc=False):
    """The order is cancelled; nothing more will fill."""

    reason: str = ""


class OrderCancelRejected(OrderEvent, frozen=True, gc=False):
    """A cancel was refused (e.g. the order had already filled)."""

    reason: str


class OrderExpired(OrderEvent, frozen=True, gc=False):
    """The time in force ran out."""


class OrderUpdated(OrderEvent, frozen=True, gc=False):
    """The venue applied a modify: these are the order's new terms."""

    quantity: Decimal
    price: Decimal | None
    trigger_price: Decimal | None


class OrderModifyRejected(OrderEvent, frozen=True, gc=False):
    """A modify was refused; the order keeps its old terms."""

    reason: str


class OrderFilled(OrderEvent, frozen=True, gc=False):
    """Some or all of the order traded. ``trade_id`` deduplicates fills."""

    venue_order_id: VenueOrderId
    trade_id: TradeId
    account_id: AccountId
    strategy_id: StrategyId
    instrument_id: InstrumentId
    side: OrderSide
    last_qty: Decimal
    last_px: Decimal
    commission: Decimal
    commission_currency: str
    liquidity_side: LiquiditySide


class PositionChanged(msgspec.Struct, frozen=True, gc=False):
    """The portfolio applied a fill to a position (net per account and instrument)."""

    account_id: AccountId
    instrument_id: InstrumentId
    quantity: Decimal
    avg_price: Decimal
    realized_pnl: Decimal
    ts_event: int


class StrategyErrored(msgspec.Struct, frozen=True, gc=False):
    """A strategy callback raised; the engine kept running and the strategy was stopped."""

    strategy_id: StrategyId
    callback: str
    error: str
    ts_event: int


class CircuitBreakerTripped(msgspec.Struct, frozen=True, gc=False):
    """A risk rule halted new entries in ``scope`` (``account:<id>``, ``instrument:<id>``,
    ``venue:<name>`` or ``all``) until ``until_ns`` (0: until an explicit reset)."""

    breaker: str
    scope: str
    reason: str
    ts_event: int
    until_ns: int = 0
    flatten: bool = False


class CircuitBreakerReset(msgspec.Struct, frozen=True, gc=False):
    """A halt was lifted, by its cool-down or by an explicit reset."""

    breaker: str
    scope: str
    reason: str
    ts_event: int


class KillSwitchActivated(msgspec.Struct, frozen=True, gc=False):
    """Emergency flatten: working orders cancelled and closing orders sent in ``scope``."""

    scope: str
    reason: str
    ts_event: int
    orders_canceled: int
    closing_orders: int

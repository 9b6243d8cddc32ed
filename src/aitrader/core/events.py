"""Events: facts in the past tense, immutable once published.

Each is a :class:`~aitrader.core.record.Record`: its fields, in constructor order, are its
``__match_args__``, and each is set once, as a ``Final`` attribute, in ``__init__``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from aitrader.core.enums import LiquiditySide, OrderSide
from aitrader.core.ids import (
    AccountId,
    ClientOrderId,
    InstrumentId,
    StrategyId,
    TradeId,
    VenueOrderId,
)
from aitrader.core.record import Record


class OrderEvent(Record):
    """Base of every event about one order."""

    __match_args__ = ("client_order_id", "ts_event")

    def __init__(self, client_order_id: ClientOrderId, ts_event: int) -> None:
        self.client_order_id: Final = client_order_id
        self.ts_event: Final = ts_event


class _OrderReason(OrderEvent):
    """An order event that carries a reason."""

    __match_args__ = ("client_order_id", "ts_event", "reason")

    def __init__(self, client_order_id: ClientOrderId, ts_event: int, reason: str) -> None:
        super().__init__(client_order_id, ts_event)
        self.reason: Final = reason


class OrderDenied(_OrderReason):
    """Our own risk checks refused the order; it never left the engine."""


class OrderSubmitted(OrderEvent):
    """The order was journaled and handed to the venue."""

    __match_args__ = ("client_order_id", "ts_event", "account_id")

    def __init__(self, client_order_id: ClientOrderId, ts_event: int,
                 account_id: AccountId) -> None:
        super().__init__(client_order_id, ts_event)
        self.account_id: Final = account_id


class OrderAccepted(OrderEvent):
    """The venue acknowledged the order."""

    __match_args__ = ("client_order_id", "ts_event", "venue_order_id")

    def __init__(self, client_order_id: ClientOrderId, ts_event: int,
                 venue_order_id: VenueOrderId) -> None:
        super().__init__(client_order_id, ts_event)
        self.venue_order_id: Final = venue_order_id


class OrderRejected(_OrderReason):
    """The venue refused the order."""


class OrderTriggered(OrderEvent):
    """A stop-limit's trigger was hit; the limit order now works."""


class OrderPendingCancel(OrderEvent):
    """A cancel was sent and is not yet confirmed."""


class OrderPendingUpdate(OrderEvent):
    """A modify was sent and is not yet confirmed."""


class OrderCanceled(_OrderReason):
    """The order is cancelled; nothing more will fill."""

    def __init__(self, client_order_id: ClientOrderId, ts_event: int, reason: str = "") -> None:
        super().__init__(client_order_id, ts_event, reason)


class OrderCancelRejected(_OrderReason):
    """A cancel was refused (e.g. the order had already filled)."""


class OrderExpired(OrderEvent):
    """The time in force ran out."""


class OrderUpdated(OrderEvent):
    """The venue applied a modify: these are the order's new terms."""

    __match_args__ = ("client_order_id", "ts_event", "quantity", "price", "trigger_price")

    def __init__(self, client_order_id: ClientOrderId, ts_event: int, quantity: Decimal,
                 price: Decimal | None, trigger_price: Decimal | None) -> None:
        super().__init__(client_order_id, ts_event)
        self.quantity: Final = quantity
        self.price: Final = price
        self.trigger_price: Final = trigger_price


class OrderModifyRejected(_OrderReason):
    """A modify was refused; the order keeps its old terms."""


class OrderFilled(OrderEvent):
    """Some or all of the order traded. ``trade_id`` deduplicates fills."""

    __match_args__ = (
        "client_order_id", "ts_event", "venue_order_id", "trade_id", "account_id",
        "strategy_id", "instrument_id", "side", "last_qty", "last_px", "commission",
        "commission_currency", "liquidity_side",
    )

    def __init__(self, client_order_id: ClientOrderId, ts_event: int,
                 venue_order_id: VenueOrderId, trade_id: TradeId, account_id: AccountId,
                 strategy_id: StrategyId, instrument_id: InstrumentId, side: OrderSide,
                 last_qty: Decimal, last_px: Decimal, commission: Decimal,
                 commission_currency: str, liquidity_side: LiquiditySide) -> None:
        super().__init__(client_order_id, ts_event)
        self.venue_order_id: Final = venue_order_id
        self.trade_id: Final = trade_id
        self.account_id: Final = account_id
        self.strategy_id: Final = strategy_id
        self.instrument_id: Final = instrument_id
        self.side: Final = side
        self.last_qty: Final = last_qty
        self.last_px: Final = last_px
        self.commission: Final = commission
        self.commission_currency: Final = commission_currency
        self.liquidity_side: Final = liquidity_side


class PositionChanged(Record):
    """The portfolio applied a fill to a position (net per account and instrument)."""

    __match_args__ = (
        "account_id", "instrument_id", "quantity", "avg_price", "realized_pnl", "ts_event",
    )

    def __init__(self, account_id: AccountId, instrument_id: InstrumentId, quantity: Decimal,
                 avg_price: Decimal, realized_pnl: Decimal, ts_event: int) -> None:
        self.account_id: Final = account_id
        self.instrument_id: Final = instrument_id
        self.quantity: Final = quantity
        self.avg_price: Final = avg_price
        self.realized_pnl: Final = realized_pnl
        self.ts_event: Final = ts_event


class StrategyErrored(Record):
    """A strategy callback raised; the engine kept running and the strategy was stopped."""

    __match_args__ = ("strategy_id", "callback", "error", "ts_event")

    def __init__(self, strategy_id: StrategyId, callback: str, error: str,
                 ts_event: int) -> None:
        self.strategy_id: Final = strategy_id
        self.callback: Final = callback
        self.error: Final = error
        self.ts_event: Final = ts_event


class CircuitBreakerTripped(Record):
    """A risk rule halted new entries in ``scope`` (``account:<id>``, ``instrument:<id>``,
    ``venue:<name>`` or ``all``) until ``until_ns`` (0: until an explicit reset)."""

    __match_args__ = ("breaker", "scope", "reason", "ts_event", "until_ns", "flatten")

    def __init__(self, breaker: str, scope: str, reason: str, ts_event: int,
                 until_ns: int = 0, flatten: bool = False) -> None:
        self.breaker: Final = breaker
        self.scope: Final = scope
        self.reason: Final = reason
        self.ts_event: Final = ts_event
        self.until_ns: Final = until_ns
        self.flatten: Final = flatten


class CircuitBreakerReset(Record):
    """A halt was lifted, by its cool-down or by an explicit reset."""

    __match_args__ = ("breaker", "scope", "reason", "ts_event")

    def __init__(self, breaker: str, scope: str, reason: str, ts_event: int) -> None:
        self.breaker: Final = breaker
        self.scope: Final = scope
        self.reason: Final = reason
        self.ts_event: Final = ts_event


class KillSwitchActivated(Record):
    """Emergency flatten: working orders cancelled and closing orders sent in ``scope``."""

    __match_args__ = ("scope", "reason", "ts_event", "orders_canceled", "closing_orders")

    def __init__(self, scope: str, reason: str, ts_event: int, orders_canceled: int,
                 closing_orders: int) -> None:
        self.scope: Final = scope
        self.reason: Final = reason
        self.ts_event: Final = ts_event
        self.orders_canceled: Final = orders_canceled
        self.closing_orders: Final = closing_orders

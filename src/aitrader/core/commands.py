"""Commands: requests in the imperative, validated when built (immutable
:class:`~aitrader.core.record.Record` values, like the events)."""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from aitrader.core.enums import (
    FOK,
    GTC,
    IOC,
    LIMIT,
    MARKET,
    STOP,
    STOP_LIMIT,
    TRAILING_STOP,
    OrderSide,
    OrderType,
    TimeInForce,
)
from aitrader.core.errors import InvalidOrder
from aitrader.core.ids import AccountId, ClientOrderId, InstrumentId, StrategyId
from aitrader.core.money import ZERO
from aitrader.core.record import Record

_NEEDS_PRICE = frozenset({LIMIT, STOP_LIMIT})
_NEEDS_TRIGGER = frozenset({STOP, STOP_LIMIT})


class SubmitOrder(Record):
    """Place one order. Build it with :meth:`create` so the rules are checked."""

    __match_args__ = (
        "client_order_id", "strategy_id", "account_id", "instrument_id", "side", "order_type",
        "quantity", "price", "trigger_price", "trailing_offset", "time_in_force",
        "reduce_only", "post_only", "expire_ns", "parent_order_id", "linked_order_ids", "tag",
        "stop_loss", "take_profit",
    )

    def __init__(
        self, client_order_id: ClientOrderId, strategy_id: StrategyId, account_id: AccountId,
        instrument_id: InstrumentId, side: OrderSide, order_type: OrderType, quantity: Decimal,
        price: Decimal | None = None, trigger_price: Decimal | None = None,
        trailing_offset: Decimal | None = None, time_in_force: TimeInForce = GTC,
        reduce_only: bool = False, post_only: bool = False, expire_ns: int = 0,
        parent_order_id: ClientOrderId | None = None,
        linked_order_ids: tuple[ClientOrderId, ...] = (), tag: str = "",
        stop_loss: Decimal | None = None, take_profit: Decimal | None = None,
    ) -> None:
        self.client_order_id: Final = client_order_id
        self.strategy_id: Final = strategy_id
        self.account_id: Final = account_id
        self.instrument_id: Final = instrument_id
        self.side: Final = side
        self.order_type: Final = order_type
        self.quantity: Final = quantity
        self.price: Final = price
        self.trigger_price: Final = trigger_price
        self.trailing_offset: Final = trailing_offset
        self.time_in_force: Final = time_in_force
        self.reduce_only: Final = reduce_only
        self.post_only: Final = post_only
        self.expire_ns: Final = expire_ns
        self.parent_order_id: Final = parent_order_id
        self.linked_order_ids: Final = linked_order_ids
        self.tag: Final = tag
        self.stop_loss: Final = stop_loss
        self.take_profit: Final = take_profit

    def validate(self) -> SubmitOrder:
        """Raise InvalidOrder naming the rule and the value received; return self when valid."""
        if not isinstance(self.quantity, Decimal) or self.quantity <= ZERO:
            raise InvalidOrder(f"quantity must be > 0, was {self.quantity}")
        t = self.order_type
        if t is MARKET and self.price is None and self.trigger_price is None \
                and self.trailing_offset is None and self.stop_loss is None \
                and self.take_profit is None and not self.post_only:
            return self  # a plain market order: nothing else to check
        if t in _NEEDS_PRICE and (self.price is None or self.price <= ZERO):
            raise InvalidOrder(f"{t.value} order needs a price > 0, was {self.price}")
        if t not in _NEEDS_PRICE and self.price is not None:
            raise InvalidOrder(f"{t.value} order takes no limit price, was {self.price}")
        if t in _NEEDS_TRIGGER and (self.trigger_price is None or self.trigger_price <= ZERO):
            raise InvalidOrder(
                f"{t.value} order needs a trigger_price > 0, was {self.trigger_price}"
            )
        if t is TRAILING_STOP and (
            self.trailing_offset is None or self.trailing_offset <= ZERO
        ):
            raise InvalidOrder(
                f"TRAILING_STOP needs a trailing_offset > 0, was {self.trailing_offset}"
            )
        if self.post_only and t is not LIMIT:
            raise InvalidOrder(f"post_only applies to LIMIT orders only, was {t.value}")
        if self.post_only and self.time_in_force in (IOC, FOK):
            raise InvalidOrder("post_only cannot be combined with IOC or FOK")
        for name in ("stop_loss", "take_profit"):
            level = getattr(self, name)
            if level is not None and level <= ZERO:
                raise InvalidOrder(f"{name} must be > 0, was {level}")
        return self


class CancelOrder(Record):
    """Cancel a working order."""

    __match_args__ = ("client_order_id", "reason")

    def __init__(self, client_order_id: ClientOrderId, reason: str = "") -> None:
        self.client_order_id: Final = client_order_id
        self.reason: Final = reason


class ModifyOrder(Record):
    """Change the quantity, price or trigger of a working order; None keeps a term as it is."""

    __match_args__ = ("client_order_id", "quantity", "price", "trigger_price")

    def __init__(self, client_order_id: ClientOrderId, quantity: Decimal | None = None,
                 price: Decimal | None = None, trigger_price: Decimal | None = None) -> None:
        self.client_order_id: Final = client_order_id
        self.quantity: Final = quantity
        self.price: Final = price
        self.trigger_price: Final = trigger_price

    def validate(self) -> ModifyOrder:
        """Raise InvalidOrder when a new term is not positive."""
        for name in ("quantity", "price", "trigger_price"):
            value = getattr(self, name)
            if value is not None and value <= ZERO:
                raise InvalidOrder(f"{name} must be > 0, was {value}")
        return self

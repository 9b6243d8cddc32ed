"""The order manager: the only owner of orders. Checks, journals, sends, and applies events."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Final

from aitrader.core import events as ev
from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import PENDING_CANCEL, PENDING_UPDATE, OrderStatus
from aitrader.core.errors import InvalidOrder, InvalidTransition
from aitrader.core.events import OrderFilled, OrderSubmitted
from aitrader.core.ids import ClientOrderId, StrategyId
from aitrader.core.order import Order
from aitrader.core.ports import Clock, OrderJournal, PreTradeCheck, Venue

log = logging.getLogger("aitrader.trading")

Publish = Callable[[Order, ev.OrderEvent], None]
_CLOSED: Final = frozenset(s for s in OrderStatus if s.is_closed)


class OrderManager:
    """Owns every order; an order changes only through :meth:`apply`, i.e. the transition table."""

    def __init__(
        self,
        clock: Clock,
        venues: Mapping[str, Venue],
        risk: PreTradeCheck,
        publish: Publish,
        journal: OrderJournal | None = None,
    ) -> None:
        self._clock = clock
        self._venues = dict(venues)
        self._risk = risk
        self._publish = publish
        self._journal = journal
        self._orders: dict[ClientOrderId, Order] = {}
        self._open: dict[ClientOrderId, Order] = {}
        self._counters: dict[StrategyId, int] = {}

    # --- ids ----------------------------------------------------------------------------------
    def next_order_id(self, strategy_id: StrategyId) -> ClientOrderId:
        """``<strategy>-<n>``: deterministic, so a replay or a retry produces the same ids."""
        n = self._counters.get(strategy_id, 0) + 1
        self._counters[strategy_id] = n
        return ClientOrderId(f"{strategy_id}-{n}")

    def restore_counter(self, strategy_id: StrategyId, last: int) -> None:
        """After a restart, continue numbering after ``last``."""
        self._counters[strategy_id] = max(self._counters.get(strategy_id, 0), last)

    # --- reads --------------------------------------------------------------------------------
    def get(self, client_order_id: ClientOrderId) -> Order | None:
        """An order by id, or None."""
        return self._orders.get(client_order_id)

    def orders(self) -> list[Order]:
        """Every order, oldest first."""
        return list(self._orders.values())

    def open_orders(self, strategy_id: StrategyId | None = None) -> list[Order]:
        """Working orders, optionally of one strategy."""
        return [
            o for o in self._open.values() if strategy_id is None or o.strategy_id == strategy_id
        ]

    def adopt(self, order: Order) -> None:
        """Take over an order restored from the journal after a restart."""
        self._orders[order.client_order_id] = order
        if not order.is_closed:
            self._open[order.client_order_id] = order

    # --- commands -----------------------------------------------------------------------------
    def submit(self, cmd: SubmitOrder) -> Order:
        """Risk-check, journal and send. A repeated client order id returns the first order."""
        existing = self._orders.get(cmd.client_order_id)
        if existing is not None:
            return existing
        cmd.validate()
        now = self._clock.now_ns()
        order = Order(cmd, now)
        self._orders[order.client_order_id] = order
        venue = self._venues.get(cmd.instrument_id.venue)
        reason = self._deny_reason(cmd, venue)
        if reason is not None:
            if self._journal is not None:
                self._journal.record_order(order)
            self.apply(ev.OrderDenied(order.client_order_id, now, reason))
            return order
        assert venue is not None  # noqa: S101 - _deny_reason refuses a missing venue
        if self._journal is not None:
            self._journal.record_order(order)  # written before it is sent
        self._open[order.client_order_id] = order
        self.apply(OrderSubmitted(order.client_order_id, now, order.account_id))
        venue.submit_order(order)
        return order

    def cancel(self, client_order_id: ClientOrderId, reason: str = "") -> None:
        """Ask the venue to cancel; a closed or unknown order is an InvalidOrder."""
        order = self._require_open(client_order_id)
        if order.status is PENDING_CANCEL:
            return  # already asked: cancelling twice is safe
        self.apply(ev.OrderPendingCancel(client_order_id, self._clock.now_ns()))
        self._venues[order.instrument_id.venue].cancel_order(order)

    def modify(
        self,
        client_order_id: ClientOrderId,
        quantity: Decimal | None = None,
        price: Decimal | None = None,
        trigger_price: Decimal | None = None,
    ) -> None:
        """Ask the venue to change a working order; None keeps a term."""
        order = self._require_open(client_order_id)
        qty = order.quantity if quantity is None else quantity
        if qty <= order.filled_qty:
            raise InvalidOrder(
                f"new quantity must be > filled {order.filled_qty} of {client_order_id}, was {qty}"
            )
        if order.status in (PENDING_CANCEL, PENDING_UPDATE):
            raise InvalidOrder(f"order {client_order_id} is {order.status.value}; wait for it")
        venue = self._venues[order.instrument_id.venue]
        if not venue.capabilities.modify:
            raise InvalidOrder(f"venue {venue.name} cannot modify orders; cancel and submit anew")
        self.apply(ev.OrderPendingUpdate(client_order_id, self._clock.now_ns()))
        venue.modify_order(
            order, qty,
            order.price if price is None else price,
            order.trigger_price if trigger_price is None else trigger_price,
        )

    # --- events -------------------------------------------------------------------------------
    def apply(self, event: ev.OrderEvent) -> Order | None:
        """Apply an event to its order, journal and publish it. Unknown/duplicate → None."""
        order = self._orders.get(event.client_order_id)
        if order is None:
            log.warning("event for unknown order %s: %r", event.client_order_id, event)
            return None
        if type(event) is OrderFilled and order.has_trade(event.trade_id):
            log.info("duplicate fill %s for %s ignored", event.trade_id, order.client_order_id)
            return None
        try:
            order.apply(event)
        except InvalidTransition as exc:
            log.error("refused event for %s: %s", order.client_order_id, exc)
            return None
        if order.status in _CLOSED:
            self._open.pop(order.client_order_id, None)
        if self._journal is not None:
            self._journal.record_event(order, event)
        self._publish(order, event)
        return order

    # --- internals ----------------------------------------------------------------------------
    def _require_open(self, client_order_id: ClientOrderId) -> Order:
        order = self._orders.get(client_order_id)
        if order is None:
            raise InvalidOrder(f"unknown order {client_order_id}")
        if order.is_closed:
            raise InvalidOrder(
                f"order {client_order_id} is {order.status.value}; nothing to change"
            )
        return order

    def _deny_reason(self, cmd: SubmitOrder, venue: Venue | None) -> str | None:
        if venue is None:
            return f"no venue {cmd.instrument_id.venue!r} is connected"
        caps = venue.capabilities
        if cmd.order_type not in caps.order_types:
            return f"venue {venue.name} does not support {cmd.order_type.value} orders"
        if cmd.time_in_force not in caps.time_in_force:
            return f"venue {venue.name} does not support time in force {cmd.time_in_force.value}"
        if cmd.reduce_only and not caps.reduce_only:
            return f"venue {venue.name} does not support reduce-only orders"
        if cmd.post_only and not caps.post_only:
            return f"venue {venue.name} does not support post-only orders"
        return self._risk.check(cmd)

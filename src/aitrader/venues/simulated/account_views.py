"""The simulated exchange's side of the broker interface: connection, account and order views."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from aitrader.core import events as ev
from aitrader.core.enums import OrderStatus
from aitrader.core.ids import AccountId, InstrumentId
from aitrader.core.money import ZERO
from aitrader.core.order import Order
from aitrader.core.ports import (
    Balance,
    Clock,
    FillReport,
    MarketDataHandler,
    OrderReport,
    Subscription,
    VenueHealth,
    VenuePosition,
)

if TYPE_CHECKING:
    from aitrader.portfolio.portfolio import Portfolio
    from aitrader.venues.simulated.working_order import WorkingOrder


class SimulatedAccountViews:
    """Always connected; balances and positions are the portfolio's, orders the matcher's.

    Market data reaches the simulator through the engine's feed, so subscriptions are no-ops.
    """

    _clock: Clock
    _portfolio: Portfolio
    _working: dict[InstrumentId, dict[str, WorkingOrder]]

    def connect(self) -> None:
        """Nothing to open."""

    def disconnect(self) -> None:
        """Nothing to close."""

    def health(self) -> VenueHealth:
        """In-process: always connected."""
        return VenueHealth(True, "in-process simulator")

    def poll(self) -> int:
        """Events are delivered synchronously; nothing is ever waiting."""
        return 0

    def balances(self, account_id: AccountId) -> Sequence[Balance]:
        """Cash per currency (nothing is reserved by the simulator's books)."""
        account = self._portfolio.account(account_id)
        return [Balance(cur, amount, amount, ZERO) for cur, amount in account.balances().items()]

    def positions(self, account_id: AccountId) -> Sequence[VenuePosition]:
        """The portfolio's net positions of the account."""
        return [VenuePosition(p.instrument_id, p.quantity, p.avg_price)
                for p in self._portfolio.positions(account_id) if not p.is_flat]

    def open_orders(self, account_id: AccountId) -> Sequence[OrderReport]:
        """Orders resting in the matcher for the account."""
        return [_report(w.order, w.venue_order_id)
                for by_id in self._working.values() for w in by_id.values()
                if w.order.account_id == account_id]

    def order_report(self, order: Order) -> OrderReport | None:
        """The matcher's view: working, or the terminal state the engine saw it reach."""
        work = self._working.get(order.instrument_id, {}).get(order.client_order_id)
        if work is not None:
            return _report(work.order, work.venue_order_id)
        if order.venue_order_id is None:
            return None
        return _report(order, order.venue_order_id)

    def fill_reports(self, order: Order) -> Sequence[FillReport]:
        """The fills the simulator produced for the order (delivered synchronously)."""
        return [FillReport(e.trade_id, e.venue_order_id, e.client_order_id, e.instrument_id,
                           e.side, e.last_qty, e.last_px, e.commission, e.commission_currency,
                           e.liquidity_side, e.ts_event)
                for e in order.events if type(e) is ev.OrderFilled]

    def subscribe(self, subscription: Subscription, handler: MarketDataHandler) -> None:
        """Market data comes from the engine's feed."""

    def unsubscribe(self, subscription: Subscription) -> None:
        """Market data comes from the engine's feed."""


def _report(order: Order, venue_order_id: str) -> OrderReport:
    status = order.status
    if status in (OrderStatus.PENDING_CANCEL, OrderStatus.PENDING_UPDATE, OrderStatus.SUBMITTED):
        status = OrderStatus.PARTIALLY_FILLED if order.filled_qty > ZERO else OrderStatus.ACCEPTED
    return OrderReport(order.instrument_id, venue_order_id, order.client_order_id, order.side,
                       order.order_type, status, order.quantity, order.filled_qty, order.price,
                       order.avg_px, order.ts_last)


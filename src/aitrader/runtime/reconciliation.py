"""Reconciliation: after a restart or a lost connection the venue is the truth.

Every local order that is still open is looked up at the venue (by venue id, else by our client
order id). Fills that happened while we were away are applied through the order manager, once:
each carries the venue's trade id, and the order manager drops a trade id it has seen. Orders the
venue cancelled, expired or rejected meanwhile are closed. Orders open at the venue that are not
ours are reported, never touched; local orders the venue does not know are reported too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from aitrader.core import events as ev
from aitrader.core.enums import AssetClass, OrderStatus
from aitrader.core.ids import AccountId, TradeId, VenueOrderId
from aitrader.core.money import ZERO
from aitrader.core.order import Order
from aitrader.core.ports import Balance, Clock, OrderReport, Venue
from aitrader.engine.order_manager import OrderManager
from aitrader.portfolio.portfolio import Portfolio

log = logging.getLogger("aitrader.trading")


@dataclass
class ReconciliationReport:
    """What one reconciliation pass found and did."""

    venue: str
    applied: list[str] = field(default_factory=list)
    unknown_orders: list[OrderReport] = field(default_factory=list)
    missing_orders: list[str] = field(default_factory=list)
    balances: list[Balance] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)  # local books vs the venue's balances

    @property
    def clean(self) -> bool:
        """True when local state already agreed with the venue."""
        return not (self.applied or self.unknown_orders or self.missing_orders)

    def summary(self) -> str:
        """One line for the log."""
        return (f"{self.venue}: {len(self.applied)} changes applied, "
                f"{len(self.unknown_orders)} unknown venue orders, "
                f"{len(self.missing_orders)} local orders unknown to the venue, "
                f"{len(self.differences)} balance differences")


class Reconciler:
    """Brings the order manager's open orders of one venue in line with the venue's reports."""

    def __init__(self, orders: OrderManager, venue: Venue, account_id: AccountId,
                 clock: Clock, portfolio: Portfolio | None = None) -> None:
        self._orders = orders
        self._venue = venue
        self._account_id = account_id
        self._clock = clock
        self._portfolio = portfolio

    def run(self) -> ReconciliationReport:
        """One pass; safe to repeat (a second pass right after the first changes nothing)."""
        report = ReconciliationReport(self._venue.name)
        self._venue.poll()  # events already waiting go first, in order
        ours = [o for o in self._orders.open_orders()
                if o.instrument_id.venue == self._venue.name and o.account_id == self._account_id]
        for order in ours:
            self._reconcile(order, report)
        known = {o.client_order_id for o in self._orders.orders()}
        known_vids = {o.venue_order_id for o in self._orders.orders() if o.venue_order_id}
        for venue_order in self._venue.open_orders(self._account_id):
            if venue_order.client_order_id in known or venue_order.venue_order_id in known_vids:
                continue
            report.unknown_orders.append(venue_order)
            log.warning("%s: order %s (%s %s %s) is open at the venue but not ours",
                        self._venue.name, venue_order.venue_order_id, venue_order.side.value,
                        venue_order.quantity, venue_order.instrument_id)
        report.balances = list(self._venue.balances(self._account_id))
        if self._portfolio is not None:
            report.differences = self._differences(report.balances)
            for line in report.differences:
                log.warning("%s: %s", self._venue.name, line)
        log.info("reconciliation %s", report.summary())
        return report

    def _differences(self, balances: list[Balance]) -> list[str]:
        """Cash the account books and spot holdings vs the venue's totals (reported only)."""
        assert self._portfolio is not None  # noqa: S101 - checked by the caller
        venue_total = {b.currency: b.total for b in balances}
        out = []
        for cur, local in self._portfolio.account(self._account_id).balances().items():
            there = venue_total.get(cur, ZERO)
            if there != local:
                out.append(f"{cur}: the account books {local}, the venue holds {there}")
        for pos in self._portfolio.positions(self._account_id):
            inst = self._portfolio.instrument(pos.instrument_id)
            if inst is None or inst.asset_class is not AssetClass.CRYPTO or pos.is_flat:
                continue
            there = venue_total.get(inst.base_currency, ZERO)
            if there != pos.quantity:
                out.append(f"{inst.base_currency}: the position is {pos.quantity}, "
                           f"the venue holds {there}")
        return out

    def _reconcile(self, order: Order, report: ReconciliationReport) -> None:
        cid = order.client_order_id
        found = self._venue.order_report(order)
        now = self._clock.now_ns()
        if found is None:
            report.missing_orders.append(cid)
            log.warning("%s: local order %s (%s) is unknown to the venue", self._venue.name,
                        cid, order.status.value)
            return
        if order.status is OrderStatus.SUBMITTED:
            self._apply(ev.OrderAccepted(cid, now, VenueOrderId(found.venue_order_id)),
                        f"{cid}: accepted as {found.venue_order_id}", report)
        for fill in self._venue.fill_reports(order):
            event = ev.OrderFilled(
                cid, fill.ts_ns or now, VenueOrderId(fill.venue_order_id or found.venue_order_id),
                TradeId(fill.trade_id), order.account_id, order.strategy_id, order.instrument_id,
                fill.side, fill.quantity, fill.price, fill.commission,
                fill.commission_currency, fill.liquidity_side)
            self._apply(event, f"{cid}: filled {fill.quantity} @ {fill.price} "
                               f"(trade {fill.trade_id})", report)
        if order.is_closed:
            return
        status = found.status
        if status is OrderStatus.FILLED and order.leaves_qty > 0:
            status = OrderStatus.CANCELED  # the venue closed it with a remainder
        if status is OrderStatus.CANCELED:
            self._apply(ev.OrderCanceled(cid, now, "canceled at the venue while away"),
                        f"{cid}: canceled", report)
        elif status is OrderStatus.EXPIRED:
            self._apply(ev.OrderExpired(cid, now), f"{cid}: expired", report)
        elif status is OrderStatus.REJECTED:
            self._apply(ev.OrderRejected(cid, now, "rejected at the venue while away"),
                        f"{cid}: rejected", report)

    def _apply(self, event: ev.OrderEvent, what: str, report: ReconciliationReport) -> None:
        if self._orders.apply(event) is not None:
            report.applied.append(what)
            log.info("reconciled %s", what)

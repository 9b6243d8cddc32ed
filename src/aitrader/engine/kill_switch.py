"""Kill switch / emergency flatten: cancel working orders and close positions, safe to repeat."""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal

from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import BUY, MARKET, PENDING_CANCEL, SELL
from aitrader.core.errors import InvalidOrder
from aitrader.core.events import KillSwitchActivated
from aitrader.core.ids import AccountId, InstrumentId, StrategyId
from aitrader.core.money import ZERO
from aitrader.core.order import Order
from aitrader.core.ports import Clock
from aitrader.engine.order_manager import OrderManager
from aitrader.portfolio.portfolio import Portfolio

log = logging.getLogger("aitrader.risk")
KILL_TAG = "kill_switch"
KILL_STRATEGY = StrategyId("risk-kill")


def in_scope(scope: str, account_id: AccountId, instrument_id: InstrumentId) -> bool:
    """True when an order or position of this account and instrument is inside ``scope``."""
    if scope == "all":
        return True
    kind, _, name = scope.partition(":")
    if kind == "account":
        return name == account_id
    if kind == "instrument":
        return name == str(instrument_id)
    if kind == "venue":
        return name == instrument_id.venue
    return False


class KillSwitch:
    """Cancels every working order and sends reduce-only market orders that close every position
    in a scope. Repeating it sends nothing new while its closing orders are still working."""

    def __init__(self, orders: OrderManager, portfolio: Portfolio, clock: Clock,
                 strategies_of: Callable[[AccountId], list[StrategyId]],
                 publish: Callable[[object], None]) -> None:
        self._orders = orders
        self._pf = portfolio
        self._clock = clock
        self._strategies_of = strategies_of
        self._publish = publish

    def flatten(self, scope: str = "all", reason: str = "kill switch") -> KillSwitchActivated:
        """Cancel and close everything in ``scope``; returns what was done."""
        canceled = 0
        closing_keys: set[tuple[AccountId, InstrumentId]] = set()
        for order in self._orders.open_orders():
            if not in_scope(scope, order.account_id, order.instrument_id):
                continue
            if order.tag == KILL_TAG:
                closing_keys.add((order.account_id, order.instrument_id))
                continue
            if order.status is PENDING_CANCEL:
                continue
            try:
                self._orders.cancel(order.client_order_id, reason=f"kill switch: {reason}")
                canceled += 1
            except InvalidOrder:  # closed by a fill meanwhile: nothing to cancel
                continue
        sent = 0
        for account in self._pf.accounts():
            for pos in self._pf.positions(account.id):
                key = (account.id, pos.instrument_id)
                if key in closing_keys or not in_scope(scope, *key):
                    continue
                for sid, qty in self._owners(account.id, pos.instrument_id, pos.quantity):
                    self._close(account.id, pos.instrument_id, sid, qty)
                    sent += 1
        event = KillSwitchActivated(scope, reason, self._clock.now_ns(), canceled, sent)
        log.warning("kill switch (%s): %s; %d orders cancelled, %d closing orders", scope,
                    reason, canceled, sent)
        self._publish(event)
        return event

    def _owners(self, account_id: AccountId, iid: InstrumentId, net: Decimal
                ) -> list[tuple[StrategyId, Decimal]]:
        """Who holds the position: each strategy its own part when they all lean the net's way
        and add up to it (so each ledger ends flat), else the whole net under the kill id."""
        parts = []
        for sid in self._strategies_of(account_id):
            pos = self._pf.ledger.position(sid, iid)
            if pos is not None and pos.quantity != ZERO:
                parts.append((sid, pos.quantity))
        if parts and all((q > ZERO) == (net > ZERO) for _, q in parts) \
                and sum(q for _, q in parts) == net:
            return parts
        return [(KILL_STRATEGY, net)]

    def _close(self, account_id: AccountId, iid: InstrumentId, sid: StrategyId, qty: Decimal
               ) -> Order:
        side = SELL if qty > ZERO else BUY
        cmd = SubmitOrder(self._orders.next_order_id(sid), sid, account_id, iid, side,
                          MARKET, abs(qty), reduce_only=True, tag=KILL_TAG)
        return self._orders.submit(cmd)

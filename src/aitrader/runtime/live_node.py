"""Live trading: the engine on connected exchange venues. The node's loop runs on the engine's
thread: it polls every venue (order events and market data, in arrival order), reconciles each
venue at start and again whenever its connection came back after a loss."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence

from aitrader.core.account import Account
from aitrader.core.errors import ConfigError, DataError
from aitrader.core.events import StrategyErrored
from aitrader.core.ids import AccountId
from aitrader.core.market_data import MarketData
from aitrader.core.order import Order
from aitrader.core.ports import OrderJournal, Subscription, Venue
from aitrader.engine.clock import LiveClock
from aitrader.engine.trading_engine import TradingEngine
from aitrader.portfolio.portfolio import Portfolio
from aitrader.risk.config import RiskConfig
from aitrader.risk.risk_engine import RiskEngine
from aitrader.runtime.reconciliation import Reconciler, ReconciliationReport
from aitrader.strategies.base import Strategy

log = logging.getLogger("aitrader.system")


class LiveNode:
    """Drives the engine from its venues; reconciles on start and after every reconnect."""

    def __init__(self, engine: TradingEngine, venues: Mapping[str, Venue],
                 accounts: Mapping[str, AccountId], subscriptions: Sequence[Subscription]) -> None:
        self.engine = engine
        self.venues = dict(venues)
        self.subscriptions = list(subscriptions)
        self.reports: list[ReconciliationReport] = []
        self.errors: list[str] = []
        self._reconcilers = {
            name: Reconciler(engine.orders, venue, accounts[name], engine.clock, engine.portfolio)
            for name, venue in self.venues.items()}
        self._reconnects = {name: venue.health().reconnects for name, venue in venues.items()}
        self._connected = dict.fromkeys(venues, True)
        engine.bus.subscribe(StrategyErrored, lambda e: self.errors.append(
            f"strategy {e.strategy_id} stopped: {e.error} (in {e.callback})"))

    def reconcile(self, venue_name: str | None = None) -> list[ReconciliationReport]:
        """Reconcile one venue, or all of them."""
        names = [venue_name] if venue_name is not None else list(self.venues)
        done = [self._reconcilers[name].run() for name in names]
        self.reports.extend(done)
        return done

    def step(self) -> int:
        """Deliver what every venue has waiting; reconcile venues that reconnected."""
        delivered = 0
        for name, venue in self.venues.items():
            delivered += venue.poll()
            health = venue.health()
            if self._connected[name] and not health.connected:
                log.warning("%s connection lost: %s", name, health.detail)
                if self.engine.risk_monitor is not None:  # the venue-down circuit breaker
                    self.engine.risk_monitor.on_venue_down(name, health.detail or "disconnected")
            self._connected[name] = health.connected
            if health.connected and health.reconnects > self._reconnects[name]:
                self._reconnects[name] = health.reconnects
                log.info("%s reconnected (%d): reconciling", name, health.reconnects)
                self.reconcile(name)
        return delivered

    def _on_data(self, item: MarketData) -> None:
        try:
            self.engine.on_data(item)
        except DataError as exc:  # out-of-order item: skipped, not fatal
            log.warning("dropped market data %s: %s", type(item).__name__, exc)

    def run(self, duration_s: float | None = None, idle_sleep_s: float = 0.01) -> None:
        """Subscribe, start the strategies, reconcile, then loop until the time is up/Ctrl-C."""
        for sub in self.subscriptions:
            self.venues[sub.instrument_id.venue].subscribe(sub, self._on_data)
        self.reconcile()
        self.engine.start()
        deadline = None if duration_s is None else time.monotonic() + duration_s
        try:
            while deadline is None or time.monotonic() < deadline:
                if self.step() == 0:
                    time.sleep(idle_sleep_s)
        except KeyboardInterrupt:
            log.info("stopping on request")
        finally:
            self.engine.stop()
            for sub in self.subscriptions:
                self.venues[sub.instrument_id.venue].unsubscribe(sub)


def build_live_node(
    venues: Mapping[str, Venue],
    accounts: Sequence[Account],
    strategies: Sequence[Strategy],
    timeframe: str = "1m",
    restored_orders: Sequence[Order] = (),
    journal: OrderJournal | None = None,
    risk_config: RiskConfig | None = None,
) -> LiveNode:
    """An engine on already connected venues; each venue serves the account naming it.

    ``restored_orders`` (open orders from the journal) are adopted before the first
    reconciliation; strategies get ``timeframe`` bars of their instruments from their venue.
    """
    portfolio = Portfolio()
    served: dict[str, AccountId] = {}
    for account in accounts:
        portfolio.add_account(account)
        if account.venue in venues:
            served[account.venue] = account.id
    missing = sorted(set(venues) - set(served))
    if missing:
        raise ConfigError(f"no account serves venue(s) {', '.join(missing)}; every live venue "
                        "needs an account whose venue names it")
    clock = LiveClock()
    # live orders pass the same risk engine as backtests and paper: limits, breakers, kill switch
    risk = RiskEngine(portfolio, clock, risk_config or RiskConfig())
    engine = TradingEngine(clock, venues, portfolio, risk, journal=journal)
    for order in restored_orders:
        engine.orders.adopt(order)
        # new ids continue after the restored ones: a reused id would find the old order
        prefix, _, number = order.client_order_id.rpartition("-")
        if prefix == order.strategy_id and number.isdigit():
            engine.orders.restore_counter(order.strategy_id, int(number))
    subscriptions: dict[Subscription, None] = {}
    for strategy in strategies:
        engine.add_strategy(strategy)
        subscriptions.update({Subscription("bars", iid, timeframe): None
                              for iid in strategy.instruments})
    return LiveNode(engine, venues, served, list(subscriptions))

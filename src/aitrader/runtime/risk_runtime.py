"""Connects a node's risk engine to its database (trips persisted and restored, requests from
the CLI carried out) and to the alert channel."""

from __future__ import annotations

import logging
import time

from aitrader.core.events import CircuitBreakerReset, CircuitBreakerTripped, KillSwitchActivated
from aitrader.core.ports import Notifier
from aitrader.engine.trading_engine import TradingEngine
from aitrader.risk.breaker_alerts import BreakerAlerts
from aitrader.risk.risk_engine import RiskEngine
from aitrader.storage.risk_models import RiskCommandQueue, RiskEventStore

log = logging.getLogger("aitrader.risk")


class RiskRuntime:
    """Subscribes storage and alerts to the risk events of one engine and polls for requests."""

    def __init__(self, engine: TradingEngine, notifier: Notifier,
                 events: RiskEventStore | None = None, commands: RiskCommandQueue | None = None,
                 poll_every_s: float = 1.0) -> None:
        self._engine = engine
        self._events = events
        self._commands = commands
        self._alerts = BreakerAlerts(notifier)
        self._poll_every_s = poll_every_s
        self._next_poll = 0.0
        engine.bus.subscribe(CircuitBreakerTripped, self._on_event)
        engine.bus.subscribe(CircuitBreakerReset, self._on_event)
        engine.bus.subscribe(KillSwitchActivated, self._on_event)
        risk = self.risk
        if events is not None and risk is not None:
            for trip in events.active_trips(engine.clock.now_ns()):
                risk.breakers.restore(trip)
                log.warning("halt %s on %s still active from an earlier run: %s",
                            trip.breaker, trip.scope, trip.reason)

    @property
    def risk(self) -> RiskEngine | None:
        """The engine's risk engine, if it runs the full one."""
        monitor = self._engine.risk_monitor
        return monitor if isinstance(monitor, RiskEngine) else None

    def _on_event(self, event: CircuitBreakerTripped | CircuitBreakerReset | KillSwitchActivated
                  ) -> None:
        if self._events is not None:
            self._events.record(event)
        self._alerts.on_event(event)

    def poll(self, force: bool = False) -> list[str]:
        """Carry out queued requests (at most once per ``poll_every_s`` unless forced)."""
        if self._commands is None:
            return []
        now = time.monotonic()
        if not force and now < self._next_poll:
            return []
        self._next_poll = now + self._poll_every_s
        done = []
        for row in self._commands.pending():
            result = self.execute(row.command, row.scope, row.reason, row.breaker)
            self._commands.done(row.pk, result)
            done.append(result)
        return done

    def execute(self, command: str, scope: str = "all", reason: str = "",
                breaker: str | None = None) -> str:
        """Carry out one request now; returns what was done."""
        risk = self.risk
        why = reason or f"{command} requested"
        if command == "kill":
            ks = self._engine.kill(why, scope)
            return f"kill: {ks.orders_canceled} cancelled, {ks.closing_orders} closing orders"
        if command == "flatten":
            ks = self._engine.kill_switch.flatten(scope, why)
            return f"flatten: {ks.orders_canceled} cancelled, {ks.closing_orders} closing orders"
        if risk is None:
            return f"{command}: this node runs without the risk engine"
        if command == "halt":
            risk.halt(why, scope)
            return f"halt: {scope}"
        lifted = risk.reset(breaker, None if scope == "all" else scope, why)
        return f"reset: {len(lifted)} halts lifted"

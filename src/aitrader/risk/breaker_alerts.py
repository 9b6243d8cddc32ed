"""Sends circuit-breaker trips, resets and kill switches to an alert channel (the Notifier port)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from aitrader.core.events import CircuitBreakerReset, CircuitBreakerTripped, KillSwitchActivated
from aitrader.core.ports import Notifier

log = logging.getLogger("aitrader.risk")


def _when(ts_ns: int) -> str:
    return datetime.fromtimestamp(ts_ns / 1e9, UTC).isoformat(timespec="seconds")


class BreakerAlerts:
    """Formats risk events as alerts; a failing channel is logged, never raised into the engine."""

    def __init__(self, notifier: Notifier) -> None:
        self._notifier = notifier
        self.failures = 0

    def on_event(self, event: CircuitBreakerTripped | CircuitBreakerReset | KillSwitchActivated
                 ) -> None:
        """Send one alert."""
        if isinstance(event, CircuitBreakerTripped):
            until = "explicit reset" if event.until_ns == 0 else _when(event.until_ns)
            subject = f"HALT {event.breaker} on {event.scope}"
            body = (f"{event.reason}\nat {_when(event.ts_event)}; new entries are blocked until "
                    f"{until}{'; positions are being closed' if event.flatten else ''}")
        elif isinstance(event, CircuitBreakerReset):
            subject = f"resumed {event.breaker} on {event.scope}"
            body = f"{event.reason} at {_when(event.ts_event)}"
        else:
            subject = f"KILL SWITCH on {event.scope}"
            body = (f"{event.reason} at {_when(event.ts_event)}: {event.orders_canceled} orders "
                    f"cancelled, {event.closing_orders} closing orders sent")
        try:
            self._notifier.notify(subject, body)
        except Exception:  # an alert channel's failure must not stop trading or the halt
            self.failures += 1
            log.exception("alert channel failed for %r", subject)

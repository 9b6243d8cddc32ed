"""Circuit-breaker state: which halts are active, in which scope, and until when."""

from __future__ import annotations

from collections.abc import Callable

from aitrader.core.events import CircuitBreakerReset, CircuitBreakerTripped
from aitrader.core.ids import AccountId, InstrumentId

_NS = 1_000_000_000
ALL = "all"

Listener = Callable[[CircuitBreakerTripped | CircuitBreakerReset], None]


def account_scope(account_id: AccountId) -> str:
    """Scope string of one account."""
    return f"account:{account_id}"


def instrument_scope(instrument_id: InstrumentId) -> str:
    """Scope string of one instrument (all accounts)."""
    return f"instrument:{instrument_id}"


def venue_scope(venue: str) -> str:
    """Scope string of one venue (every instrument it trades)."""
    return f"venue:{venue}"


class CircuitBreakers:
    """Active halts keyed by (breaker, scope). A trip already active is not tripped again; a halt
    ends only when its cool-down passes (:meth:`expire`) or on :meth:`reset`."""

    def __init__(self) -> None:
        self._active: dict[tuple[str, str], CircuitBreakerTripped] = {}
        self._scopes: dict[str, int] = {}  # scope -> active halts in it
        self.next_expiry_ns = 0  # earliest until_ns of an active timed halt, 0 = none
        self.listeners: list[Listener] = []
        self.history: list[CircuitBreakerTripped | CircuitBreakerReset] = []

    @property
    def active(self) -> list[CircuitBreakerTripped]:
        """Active halts, oldest first."""
        return list(self._active.values())

    def is_active(self, breaker: str, scope: str) -> bool:
        """True while that halt is active."""
        return (breaker, scope) in self._active

    def trip(self, breaker: str, scope: str, reason: str, now_ns: int,
             cooldown_s: float | None = None, flatten: bool = False,
             until_ns: int | None = None) -> CircuitBreakerTripped | None:
        """Halt ``scope``; returns the event, or None when that halt is already active."""
        key = (breaker, scope)
        if key in self._active:
            return None
        if until_ns is None:
            until_ns = 0 if cooldown_s is None else now_ns + int(cooldown_s * _NS)
        event = CircuitBreakerTripped(breaker, scope, reason, now_ns, until_ns, flatten)
        self._active[key] = event
        self._scopes[scope] = self._scopes.get(scope, 0) + 1
        if until_ns and (self.next_expiry_ns == 0 or until_ns < self.next_expiry_ns):
            self.next_expiry_ns = until_ns
        self._emit(event)
        return event

    def restore(self, event: CircuitBreakerTripped) -> None:
        """Re-activate a halt persisted by an earlier process (no new event is emitted)."""
        key = (event.breaker, event.scope)
        if key in self._active:
            return
        self._active[key] = event
        self._scopes[event.scope] = self._scopes.get(event.scope, 0) + 1
        if event.until_ns and (self.next_expiry_ns == 0 or event.until_ns < self.next_expiry_ns):
            self.next_expiry_ns = event.until_ns

    def expire(self, now_ns: int) -> list[CircuitBreakerReset]:
        """Lift every timed halt whose cool-down has passed."""
        if self.next_expiry_ns == 0 or now_ns < self.next_expiry_ns:
            return []
        done = [e for e in self._active.values() if e.until_ns and e.until_ns <= now_ns]
        out = [self._lift(e, "cool-down passed", now_ns) for e in done]
        self.next_expiry_ns = min((e.until_ns for e in self._active.values() if e.until_ns),
                                default=0)
        return out

    def reset(self, now_ns: int, breaker: str | None = None, scope: str | None = None,
              reason: str = "explicit reset") -> list[CircuitBreakerReset]:
        """Lift the matching halts (all of them when both filters are None)."""
        hits = [e for e in self._active.values()
                if breaker in (None, e.breaker) and scope in (None, e.scope)]
        out = [self._lift(e, reason, now_ns) for e in hits]
        self.next_expiry_ns = min((e.until_ns for e in self._active.values() if e.until_ns),
                                default=0)
        return out

    def blocking(self, account_id: AccountId, instrument_id: InstrumentId) -> str | None:
        """Why new exposure on this account and instrument is halted, or None."""
        scopes = self._scopes
        if not scopes:
            return None
        for scope in (ALL, account_scope(account_id), instrument_scope(instrument_id),
                      venue_scope(instrument_id.venue)):
            if scope in scopes:
                event = next(e for e in self._active.values() if e.scope == scope)
                return f"circuit breaker {event.breaker} ({scope}): {event.reason}"
        return None

    def _lift(self, event: CircuitBreakerTripped, reason: str, now_ns: int) -> CircuitBreakerReset:
        del self._active[(event.breaker, event.scope)]
        left = self._scopes[event.scope] - 1
        if left:
            self._scopes[event.scope] = left
        else:
            del self._scopes[event.scope]
        out = CircuitBreakerReset(event.breaker, event.scope, reason, now_ns)
        self._emit(out)
        return out

    def _emit(self, event: CircuitBreakerTripped | CircuitBreakerReset) -> None:
        self.history.append(event)
        for listener in self.listeners:
            listener(event)

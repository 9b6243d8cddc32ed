"""Risk tables: circuit-breaker trips/resets and kill switches (risk_events), and requests from
the CLI or the API to a running node (risk_commands), plus their repositories."""

from __future__ import annotations

import time
from collections.abc import Sequence

from sqlalchemy import BigInteger, Index, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from aitrader.core.errors import ConfigError
from aitrader.core.events import CircuitBreakerReset, CircuitBreakerTripped, KillSwitchActivated
from aitrader.storage.models import Base

RiskEvent = CircuitBreakerTripped | CircuitBreakerReset | KillSwitchActivated
COMMANDS = ("kill", "flatten", "reset", "halt")


class RiskEventRow(Base):
    """One breaker trip, reset or kill switch, as it happened."""

    __tablename__ = "risk_events"
    __table_args__ = (Index("ix_risk_events_breaker_scope", "breaker", "scope"),)
    pk: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(String(64), default="", index=True)
    kind: Mapped[str] = mapped_column(String(16))  # tripped | reset | kill
    breaker: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    ts_ns: Mapped[int] = mapped_column(BigInteger)
    until_ns: Mapped[int] = mapped_column(BigInteger, default=0)
    flatten: Mapped[bool] = mapped_column(default=False)


class RiskCommandRow(Base):
    """A request (kill, flatten, reset, halt) waiting for the running node to carry it out."""

    __tablename__ = "risk_commands"
    pk: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    command: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(200), default="all")
    breaker: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_ns: Mapped[int] = mapped_column(BigInteger)
    processed_ns: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    result: Mapped[str] = mapped_column(Text, default="")


class RiskEventStore:
    """Appends risk events; answers which halts are still active."""

    def __init__(self, sessions: sessionmaker[Session], run_id: str = "") -> None:
        self._sessions = sessions
        self._run_id = run_id

    def record(self, event: RiskEvent) -> None:
        """Store one event (commits)."""
        if isinstance(event, KillSwitchActivated):
            row = RiskEventRow(run_id=self._run_id, kind="kill", breaker="kill_switch",
                               scope=event.scope, ts_ns=event.ts_event, until_ns=0, flatten=True,
                               reason=f"{event.reason} ({event.orders_canceled} orders "
                                      f"cancelled, {event.closing_orders} closing orders)")
        elif isinstance(event, CircuitBreakerTripped):
            row = RiskEventRow(run_id=self._run_id, kind="tripped", breaker=event.breaker,
                               scope=event.scope, reason=event.reason, ts_ns=event.ts_event,
                               until_ns=event.until_ns, flatten=event.flatten)
        else:
            row = RiskEventRow(run_id=self._run_id, kind="reset", breaker=event.breaker,
                               scope=event.scope, reason=event.reason, ts_ns=event.ts_event)
        with self._sessions.begin() as s:
            s.add(row)

    def events(self, limit: int = 100) -> list[RiskEventRow]:
        """The newest ``limit`` events, oldest first."""
        with self._sessions() as s:
            rows = s.scalars(select(RiskEventRow).where(RiskEventRow.run_id == self._run_id)
                             .order_by(RiskEventRow.pk.desc()).limit(limit)).all()
        return list(reversed(rows))

    def active_trips(self, now_ns: int) -> list[CircuitBreakerTripped]:
        """Trips with no later reset whose cool-down has not passed at ``now_ns``."""
        latest: dict[tuple[str, str], RiskEventRow] = {}
        with self._sessions() as s:
            for row in s.scalars(select(RiskEventRow).where(
                    RiskEventRow.run_id == self._run_id, RiskEventRow.kind != "kill")
                    .order_by(RiskEventRow.pk)):
                latest[(row.breaker, row.scope)] = row
        return [CircuitBreakerTripped(r.breaker, r.scope, r.reason, r.ts_ns, r.until_ns,
                                      r.flatten)
                for r in latest.values()
                if r.kind == "tripped" and (r.until_ns == 0 or r.until_ns > now_ns)]


class RiskCommandQueue:
    """Requests to a running node, taken once each."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def put(self, command: str, scope: str = "all", reason: str = "",
            breaker: str | None = None) -> int:
        """Queue a request; returns its id."""
        if command not in COMMANDS:
            raise ConfigError(f"risk command must be one of {', '.join(COMMANDS)}, was {command!r}")
        row = RiskCommandRow(command=command, scope=scope, breaker=breaker, reason=reason,
                             created_ns=time.time_ns())
        with self._sessions.begin() as s:
            s.add(row)
            s.flush()
            return row.pk

    def pending(self) -> Sequence[RiskCommandRow]:
        """Requests not yet carried out, oldest first."""
        with self._sessions() as s:
            return s.scalars(select(RiskCommandRow).where(RiskCommandRow.processed_ns.is_(None))
                             .order_by(RiskCommandRow.pk)).all()

    def done(self, pk: int, result: str) -> None:
        """Mark a request carried out."""
        with self._sessions.begin() as s:
            s.execute(update(RiskCommandRow).where(RiskCommandRow.pk == pk)
                      .values(processed_ns=time.time_ns(), result=result))

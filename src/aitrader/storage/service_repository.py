"""Repositories the API reads and writes besides auth: order queries, broker credentials (as
ciphertext), uploaded model files and task runs."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from aitrader.storage.auth_models import BrokerCredentialRow, ModelArtifactRow, TaskRunRow
from aitrader.storage.auth_repository import DuplicateName
from aitrader.storage.models import OrderEventRow, OrderRow

Sessions = sessionmaker[Session]
_ORDER_COLUMNS = (
    OrderRow.pk, OrderRow.client_order_id, OrderRow.strategy_id, OrderRow.account_id,
    OrderRow.instrument_id, OrderRow.side, OrderRow.order_type, OrderRow.quantity,
    OrderRow.price, OrderRow.trigger_price, OrderRow.time_in_force, OrderRow.status,
    OrderRow.filled_qty, OrderRow.avg_px, OrderRow.venue_order_id, OrderRow.ts_init,
    OrderRow.ts_last,
)
_ORDER_KEYS = tuple(c.key for c in _ORDER_COLUMNS)


class OrderQueries:
    """Read-only order views of the journal (run '' is the paper/live runtime)."""

    def __init__(self, sessions: Sessions, run_id: str = "") -> None:
        self._sessions = sessions
        self._run_id = run_id

    def list(self, *, status: list[str] | None = None, account_id: str | None = None,
             strategy_id: str | None = None, instrument_id: str | None = None,
             side: str | None = None, since_ns: int | None = None,
             until_ns: int | None = None, limit: int = 100, offset: int = 0,
             ) -> tuple[list[dict[str, Any]], bool]:
        """Newest first; returns (orders, whether more exist after this page)."""
        q = select(*_ORDER_COLUMNS).where(OrderRow.run_id == self._run_id)
        if status:
            q = q.where(OrderRow.status.in_(status))
        if account_id is not None:
            q = q.where(OrderRow.account_id == account_id)
        if strategy_id is not None:
            q = q.where(OrderRow.strategy_id == strategy_id)
        if instrument_id is not None:
            q = q.where(OrderRow.instrument_id == instrument_id)
        if side is not None:
            q = q.where(OrderRow.side == side)
        if since_ns is not None:
            q = q.where(OrderRow.ts_init >= since_ns)
        if until_ns is not None:
            q = q.where(OrderRow.ts_init < until_ns)
        q = q.order_by(OrderRow.pk.desc()).limit(limit + 1).offset(offset)
        with self._sessions() as s:
            rows = s.execute(q).all()
        out = [dict(zip(_ORDER_KEYS, r, strict=True)) for r in rows[:limit]]
        return out, len(rows) > limit

    def get(self, client_order_id: str) -> dict[str, Any] | None:
        """One order with its events, or None."""
        with self._sessions() as s:
            row = s.execute(select(*_ORDER_COLUMNS).where(
                OrderRow.run_id == self._run_id,
                OrderRow.client_order_id == client_order_id)).first()
            if row is None:
                return None
            order = dict(zip(_ORDER_KEYS, row, strict=True))
            events = s.execute(select(OrderEventRow.kind, OrderEventRow.payload,
                                      OrderEventRow.ts_event)
                               .where(OrderEventRow.order_pk == order["pk"])
                               .order_by(OrderEventRow.seq)).all()
        order["events"] = [{"kind": k, "ts_event": ts, "payload": p} for k, p, ts in events]
        reasons = [e["payload"].get("reason") for e in order["events"]
                   if e["kind"] in ("OrderDenied", "OrderRejected", "OrderCanceled")]
        order["reason"] = next((r for r in reversed(reasons) if r), None)
        return order


class CredentialRepository:
    """Broker credentials; this class only ever sees ciphertext."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def create(self, name: str, broker: str, ciphertext: bytes, user_id: int
               ) -> BrokerCredentialRow:
        """Store; DuplicateName when the name is taken."""
        row = BrokerCredentialRow(name=name, broker=broker, ciphertext=ciphertext,
                                  created_ns=time.time_ns(), created_by=user_id)
        try:
            with self._sessions.begin() as s:
                s.add(row)
        except IntegrityError:
            raise DuplicateName(f"credential name {name!r} is taken") from None
        return row

    def all(self) -> list[BrokerCredentialRow]:
        """Every stored credential."""
        with self._sessions() as s:
            return list(s.scalars(select(BrokerCredentialRow).order_by(BrokerCredentialRow.id)))

    def by_name(self, name: str) -> BrokerCredentialRow | None:
        """One by name."""
        with self._sessions() as s:
            return s.scalar(select(BrokerCredentialRow).where(BrokerCredentialRow.name == name))

    def delete(self, credential_id: int) -> bool:
        """Remove; False when unknown."""
        with self._sessions.begin() as s:
            result = s.execute(delete(BrokerCredentialRow)
                               .where(BrokerCredentialRow.id == credential_id))
            return bool(result.rowcount)  # type: ignore[attr-defined]  # CursorResult


class ModelArtifactRepository:
    """Metadata of uploaded model files (the bytes are on disk at ``path``)."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def add(self, row: ModelArtifactRow) -> ModelArtifactRow:
        """Store."""
        with self._sessions.begin() as s:
            s.add(row)
        return row

    def all(self) -> list[ModelArtifactRow]:
        """Newest first."""
        with self._sessions() as s:
            return list(s.scalars(select(ModelArtifactRow)
                                  .order_by(ModelArtifactRow.created_ns.desc())))

    def get(self, model_id: str) -> ModelArtifactRow | None:
        """One model."""
        with self._sessions() as s:
            return s.get(ModelArtifactRow, model_id)

    def delete(self, model_id: str) -> None:
        """Remove the metadata."""
        with self._sessions.begin() as s:
            s.execute(delete(ModelArtifactRow).where(ModelArtifactRow.id == model_id))


class TaskRunRepository:
    """Which backend runs which task (the in-process runner or a Celery task id)."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def add(self, task_id: str, kind: str, ref_id: str, backend: str,
            external_id: str | None, user_id: int) -> None:
        """Record a submitted task."""
        with self._sessions.begin() as s:
            s.add(TaskRunRow(id=task_id, kind=kind, ref_id=ref_id, backend=backend,
                             external_id=external_id, created_ns=time.time_ns(),
                             created_by=user_id))

    def of_ref(self, ref_id: str) -> TaskRunRow | None:
        """The task that runs ``ref_id`` (e.g. a backtest run id)."""
        with self._sessions() as s:
            return s.scalar(select(TaskRunRow).where(TaskRunRow.ref_id == ref_id))

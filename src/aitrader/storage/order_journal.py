"""The durable order journal: the order row before it is sent, each event with the new state."""

from __future__ import annotations

import msgspec
from sqlalchemy import Table, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from aitrader.core import events as ev
from aitrader.core.enums import OrderStatus
from aitrader.core.errors import PersistenceError
from aitrader.core.order import Order
from aitrader.storage.models import FillRow, OrderEventRow, OrderRow
from aitrader.storage.order_mapping import order_to_row, row_state, row_to_order

_OPEN = [s.value for s in OrderStatus if not s.is_closed]
_ORDERS: Table = OrderRow.__table__  # type: ignore[assignment]  # a declarative model's Table
_EVENTS: Table = OrderEventRow.__table__  # type: ignore[assignment]  # a declarative model's Table


class SqlOrderJournal:
    """Implements the OrderJournal port on SQLAlchemy; ``run_id`` '' is the paper/live runtime."""

    def __init__(self, sessions: sessionmaker[Session], run_id: str = "") -> None:
        self._sessions = sessions
        self._run_id = run_id
        self._pks: dict[str, int] = {}

    def record_order(self, order: Order) -> None:
        """Insert the order row and commit, before the order goes to any venue."""
        with self._sessions.begin() as s:
            row = order_to_row(order, self._run_id)
            s.add(row)
            s.flush()
            self._pks[order.client_order_id] = row.pk

    def record_event(self, order: Order, event: ev.OrderEvent) -> None:
        """Append the event and update the order row in one transaction (both or neither).
        The row's update takes its lock and numbers the event in one statement (one round
        trip less than reading the row for update first)."""
        try:
            with self._sessions.begin() as s:
                pk = self._pk(s, order)
                # Core statements on the tables: the ORM's bulk UPDATE/INSERT paths cost
                # more CPU than the round trip they save
                seq = s.scalar(
                    update(_ORDERS).where(_ORDERS.c.pk == pk)
                    .values(event_count=_ORDERS.c.event_count + 1, **row_state(order))
                    .returning(_ORDERS.c.event_count))
                if seq is None:
                    raise PersistenceError(f"order {order.client_order_id} has no stored row")
                s.execute(insert(_EVENTS).values(
                    order_pk=pk, seq=seq, kind=type(event).__name__,
                    payload=msgspec.to_builtins(event.fields()), ts_event=event.ts_event))
                if isinstance(event, ev.OrderFilled):
                    self._insert_fill(s, event)
        except PersistenceError:
            raise
        except Exception as exc:  # a database error must not pass silently
            raise PersistenceError(
                f"could not store {type(event).__name__} of {order.client_order_id}: {exc}"
            ) from exc

    def _insert_fill(self, s: Session, fill: ev.OrderFilled) -> None:
        values = {
            "run_id": self._run_id, "account_id": fill.account_id,
            "instrument_id": str(fill.instrument_id), "trade_id": fill.trade_id,
            "client_order_id": fill.client_order_id, "strategy_id": fill.strategy_id,
            "side": fill.side.value, "quantity": fill.last_qty, "price": fill.last_px,
            "commission": fill.commission, "commission_currency": fill.commission_currency,
            "liquidity": fill.liquidity_side.value, "ts_event": fill.ts_event,
        }
        dialect = s.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        # the same trade id twice is the same fill: store it once
        s.execute(insert(FillRow).values(**values).on_conflict_do_nothing(
            index_elements=["run_id", "account_id", "instrument_id", "trade_id"]))

    def _pk(self, s: Session, order: Order) -> int:
        pk = self._pks.get(order.client_order_id)
        if pk is None:
            pk = s.scalar(select(OrderRow.pk).where(
                OrderRow.run_id == self._run_id,
                OrderRow.client_order_id == order.client_order_id))
            if pk is None:
                raise PersistenceError(f"order {order.client_order_id} has no stored row")
            self._pks[order.client_order_id] = pk
        return pk

    def load_open_orders(self) -> list[Order]:
        """Orders that may still be working, for reconciliation after a restart."""
        with self._sessions() as s:
            rows = s.scalars(select(OrderRow).where(
                OrderRow.run_id == self._run_id, OrderRow.status.in_(_OPEN)
            ).order_by(OrderRow.pk)).all()
            return [row_to_order(r) for r in rows]

    def load_order(self, client_order_id: str) -> Order | None:
        """One order by its client id."""
        with self._sessions() as s:
            row = s.scalar(select(OrderRow).where(
                OrderRow.run_id == self._run_id, OrderRow.client_order_id == client_order_id))
            return None if row is None else row_to_order(row)

    def last_sequence(self, strategy_id: str) -> int:
        """Highest n of the stored ``<strategy>-<n>`` ids, so numbering continues after a
        restart instead of colliding with orders already stored."""
        prefix = f"{strategy_id}-"
        with self._sessions() as s:
            ids = s.scalars(select(OrderRow.client_order_id).where(
                OrderRow.run_id == self._run_id, OrderRow.strategy_id == strategy_id))
            tails = (i[len(prefix):] for i in ids if i.startswith(prefix))
            return max((int(t) for t in tails if t.isdigit()), default=0)

    def fills(self, client_order_id: str | None = None) -> list[FillRow]:
        """Stored fills, optionally of one order, oldest first."""
        with self._sessions() as s:
            q = select(FillRow).where(FillRow.run_id == self._run_id)
            if client_order_id is not None:
                q = q.where(FillRow.client_order_id == client_order_id)
            return list(s.scalars(q.order_by(FillRow.pk)).all())

    def events(self, client_order_id: str) -> list[OrderEventRow]:
        """An order's stored events in order."""
        with self._sessions() as s:
            q = select(OrderEventRow).join(OrderRow).where(
                OrderRow.run_id == self._run_id, OrderRow.client_order_id == client_order_id)
            return list(s.scalars(q.order_by(OrderEventRow.seq)).all())

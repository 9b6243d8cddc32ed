"""Repositories for accounts, positions, strategy instances, backtest runs and equity curves."""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, sessionmaker

from aitrader.core.account import Account
from aitrader.core.enums import AccountType
from aitrader.core.errors import PersistenceError
from aitrader.core.ids import AccountId, InstrumentId
from aitrader.core.money import to_decimal
from aitrader.core.position import Position
from aitrader.storage.models import (
    AccountRow,
    BacktestRunRow,
    BalanceRow,
    EquitySnapshotRow,
    PositionRow,
    StrategyInstanceRow,
)

Sessions = sessionmaker[Session]


class AccountRepository:
    """Accounts with their balances per currency."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def save(self, account: Account) -> None:
        """Insert or replace an account and all its balances in one transaction."""
        with self._sessions.begin() as s:
            s.merge(AccountRow(id=account.id, venue=account.venue,
                               base_currency=account.base_currency,
                               type=account.account_type.value, leverage=account.leverage,
                               live=account.live, created_ns=time.time_ns()))
            s.execute(delete(BalanceRow).where(BalanceRow.account_id == account.id))
            for cur in account.currencies():
                s.add(BalanceRow(account_id=account.id, currency=cur,
                                 starting=account.starting.get(cur, Decimal(0)),
                                 realized=account.realized.get(cur, Decimal(0)),
                                 fees=account.fees.get(cur, Decimal(0))))

    def load(self, account_id: str) -> Account | None:
        """An account as saved, or None."""
        with self._sessions() as s:
            row = s.get(AccountRow, account_id)
            if row is None:
                return None
            balances = s.scalars(select(BalanceRow).where(BalanceRow.account_id == account_id))
            acc = Account(AccountId(row.id), row.venue, row.base_currency, {},
                          AccountType(row.type), row.leverage, row.live)
            for b in balances:
                acc.starting[b.currency] = b.starting
                if b.realized:
                    acc.realized[b.currency] = b.realized
                if b.fees:
                    acc.fees[b.currency] = b.fees
            return acc

    def ids(self) -> list[str]:
        """Every stored account id."""
        with self._sessions() as s:
            return list(s.scalars(select(AccountRow.id).order_by(AccountRow.id)))


class PositionRepository:
    """Net positions per account and instrument."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def save(self, account_id: str, position: Position) -> None:
        """Insert or replace one position."""
        with self._sessions.begin() as s:
            s.merge(PositionRow(account_id=account_id, instrument_id=str(position.instrument_id),
                                quantity=position.quantity, avg_price=position.avg_price,
                                realized_pnl=position.realized_pnl, ts_last=position.ts_last))

    def load(self, account_id: str) -> list[Position]:
        """An account's stored positions."""
        with self._sessions() as s:
            rows = s.scalars(select(PositionRow).where(PositionRow.account_id == account_id))
            out = []
            for r in rows:
                pos = Position(InstrumentId.parse(r.instrument_id))
                pos.quantity, pos.avg_price = r.quantity, r.avg_price
                pos.realized_pnl, pos.ts_last = r.realized_pnl, r.ts_last
                out.append(pos)
            return out


class StrategyInstanceRepository:
    """Strategy instances, their parameters, state and status."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def save(self, instance_id: str, type_: str, account_id: str, instruments: Sequence[str],
             timeframe: str, params: dict[str, Any], state: dict[str, Any], status: str) -> None:
        """Insert or replace an instance."""
        with self._sessions.begin() as s:
            s.merge(StrategyInstanceRow(
                id=instance_id, type=type_, account_id=account_id, instruments=list(instruments),
                timeframe=timeframe, params=params, state=state, status=status,
                updated_ns=time.time_ns()))

    def get(self, instance_id: str) -> StrategyInstanceRow | None:
        """One instance."""
        with self._sessions() as s:
            return s.get(StrategyInstanceRow, instance_id)

    def all(self) -> list[StrategyInstanceRow]:
        """Every instance."""
        with self._sessions() as s:
            return list(s.scalars(select(StrategyInstanceRow).order_by(StrategyInstanceRow.id)))


class BacktestRunRepository:
    """Backtest runs: queued → running → done | failed."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def create(self, request: dict[str, Any]) -> str:
        """A queued run; returns its id."""
        run_id = uuid.uuid4().hex
        with self._sessions.begin() as s:
            s.add(BacktestRunRow(id=run_id, created_ns=time.time_ns(), request=request,
                                 status="queued", error=None, stats=None, started_ns=None,
                                 finished_ns=None))
        return run_id

    def _set(self, run_id: str, allowed_from: tuple[str, ...], **values: Any) -> None:
        with self._sessions.begin() as s:
            row = s.get(BacktestRunRow, run_id, with_for_update=True)
            if row is None:
                raise PersistenceError(f"unknown backtest run {run_id}")
            if row.status not in allowed_from:
                raise PersistenceError(f"backtest run {run_id} is {row.status}; cannot move to "
                                       f"{values['status']}")
            for key, value in values.items():
                setattr(row, key, value)

    def mark_running(self, run_id: str) -> None:
        """queued → running."""
        self._set(run_id, ("queued",), status="running", started_ns=time.time_ns())

    def mark_done(self, run_id: str, stats: dict[str, Any]) -> None:
        """running → done, with its statistics."""
        self._set(run_id, ("running",), status="done", stats=stats, finished_ns=time.time_ns())

    def mark_failed(self, run_id: str, error: str) -> None:
        """queued/running → failed, with the reason."""
        self._set(run_id, ("queued", "running"), status="failed", error=error[:2000],
                  finished_ns=time.time_ns())

    def get(self, run_id: str) -> BacktestRunRow | None:
        """One run."""
        with self._sessions() as s:
            return s.get(BacktestRunRow, run_id)

    def list(self, limit: int = 100) -> list[BacktestRunRow]:
        """Newest first."""
        with self._sessions() as s:
            q = select(BacktestRunRow).order_by(BacktestRunRow.created_ns.desc()).limit(limit)
            return list(s.scalars(q))


class EquitySnapshotRepository:
    """Equity curves, written in bulk."""

    def __init__(self, sessions: Sessions, chunk: int = 5_000) -> None:
        self._sessions = sessions
        self._chunk = chunk

    def add_curve(self, run_id: str, account_id: str, ts_ns: npt.NDArray[np.int64],
                  equity: npt.NDArray[np.float64], cash: npt.NDArray[np.float64]) -> int:
        """Insert a curve in chunks (floats become Decimals through their shortest repr)."""
        rows = [{"run_id": run_id, "account_id": account_id, "ts_ns": int(t),
                 "equity": to_decimal(float(e)), "cash": to_decimal(float(c))}
                for t, e, c in zip(ts_ns.tolist(), equity.tolist(), cash.tolist(), strict=True)]
        with self._sessions.begin() as s:
            for i in range(0, len(rows), self._chunk):
                s.execute(insert(EquitySnapshotRow), rows[i:i + self._chunk])
        return len(rows)

    def curve(self, run_id: str, account_id: str
              ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """(ts_ns, equity) in time order."""
        with self._sessions() as s:
            rows = s.execute(select(EquitySnapshotRow.ts_ns, EquitySnapshotRow.equity).where(
                EquitySnapshotRow.run_id == run_id, EquitySnapshotRow.account_id == account_id,
            ).order_by(EquitySnapshotRow.ts_ns)).all()
        ts = np.array([r[0] for r in rows], dtype=np.int64)
        eq = np.array([float(r[1]) for r in rows], dtype=np.float64)
        return ts, eq

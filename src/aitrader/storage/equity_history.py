"""The equity history of the paper/live runtime's accounts (run ''): exact snapshots written by
the running engine, read back over a time range, thinned by time buckets when there are many."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ColumnElement, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from aitrader.core.errors import PersistenceError
from aitrader.storage.models import EquitySnapshotRow

Sessions = sessionmaker[Session]


@dataclass(frozen=True, slots=True)
class EquitySample:
    """An account's equity and cash in its base currency at a time (UTC ns)."""

    account_id: str
    ts_ns: int
    equity: Decimal
    cash: Decimal


class EquityHistory:
    """Writes and reads equity snapshots of one run ('' is the paper/live runtime)."""

    def __init__(self, sessions: Sessions, run_id: str = "") -> None:
        self._sessions = sessions
        self._run_id = run_id

    def add(self, samples: Sequence[EquitySample]) -> int:
        """Insert the samples in one transaction (all or none)."""
        if not samples:
            return 0
        rows = [{"run_id": self._run_id, "account_id": s.account_id, "ts_ns": s.ts_ns,
                 "equity": s.equity, "cash": s.cash} for s in samples]
        try:
            with self._sessions.begin() as s:
                s.execute(insert(EquitySnapshotRow), rows)
        except Exception as exc:  # a database error must not pass silently
            raise PersistenceError(f"could not store {len(rows)} equity snapshots: {exc}") from exc
        return len(rows)

    def count(self, account_id: str, start_ns: int | None = None,
              end_ns: int | None = None) -> int:
        """Snapshots of the account with ``start_ns <= ts <= end_ns``."""
        q = select(func.count()).select_from(EquitySnapshotRow).where(
            *self._where(account_id, start_ns, end_ns))
        with self._sessions() as s:
            return int(s.scalar(q) or 0)

    def series(self, account_id: str, start_ns: int | None = None, end_ns: int | None = None,
               limit: int = 10_000) -> list[EquitySample]:
        """Snapshots in time order, one per timestamp (the latest written wins), at most
        ``limit`` of them: when more fall in the range, the span from the first to the last
        snapshot is cut into ``limit`` equal time buckets and each bucket gives its latest
        snapshot, so the newest point is always there and gaps in time stay visible."""
        return self.counted_series(account_id, start_ns, end_ns, limit)[1]

    def counted_series(self, account_id: str, start_ns: int | None = None,
                       end_ns: int | None = None, limit: int = 10_000
                       ) -> tuple[int, list[EquitySample]]:
        """(:meth:`count` of the range, :meth:`series` of it), counted once, in one session."""
        if limit < 1:
            raise ValueError(f"limit must be >= 1, was {limit}")
        where = self._where(account_id, start_ns, end_ns)
        cols = (EquitySnapshotRow.account_id, EquitySnapshotRow.ts_ns,
                EquitySnapshotRow.equity, EquitySnapshotRow.cash)
        with self._sessions() as s:
            lo, hi, n = s.execute(select(func.min(EquitySnapshotRow.ts_ns),
                                         func.max(EquitySnapshotRow.ts_ns),
                                         func.count()).where(*where)).one()
            if not n:
                return 0, []
            # the engine keeps writing: pin the range that was counted
            where += [EquitySnapshotRow.ts_ns >= lo, EquitySnapshotRow.ts_ns <= hi]
            if n <= limit:
                rows = s.execute(select(*cols).where(*where).order_by(
                    EquitySnapshotRow.ts_ns, EquitySnapshotRow.pk)).all()
                return n, _latest_per_ts([EquitySample(*r) for r in rows])[-limit:]
            width = (int(hi) - int(lo)) // limit + 1  # limit buckets cover [lo, hi]
            bucket = (EquitySnapshotRow.ts_ns - int(lo)) // width  # integer division in SQL
            ranked = select(*cols, func.row_number().over(
                partition_by=bucket,
                order_by=(EquitySnapshotRow.ts_ns.desc(), EquitySnapshotRow.pk.desc()),
            ).label("rank")).where(*where).subquery()
            rows = s.execute(select(ranked.c.account_id, ranked.c.ts_ns, ranked.c.equity,
                                    ranked.c.cash).where(ranked.c.rank == 1)
                             .order_by(ranked.c.ts_ns)).all()
        return n, [EquitySample(*r) for r in rows][-limit:]

    def last_ts(self) -> int | None:
        """Time of the newest snapshot of any account of this run."""
        with self._sessions() as s:
            value = s.scalar(select(func.max(EquitySnapshotRow.ts_ns)).where(
                EquitySnapshotRow.run_id == self._run_id))
        return None if value is None else int(value)

    def _where(self, account_id: str, start_ns: int | None, end_ns: int | None
               ) -> list[ColumnElement[bool]]:
        clauses: list[ColumnElement[bool]] = [EquitySnapshotRow.run_id == self._run_id,
                                              EquitySnapshotRow.account_id == account_id]
        if start_ns is not None:
            clauses.append(EquitySnapshotRow.ts_ns >= start_ns)
        if end_ns is not None:
            clauses.append(EquitySnapshotRow.ts_ns <= end_ns)
        return clauses


def _latest_per_ts(samples: list[EquitySample]) -> list[EquitySample]:
    out: list[EquitySample] = []
    for sample in samples:  # already ordered by (ts, pk)
        if out and out[-1].ts_ns == sample.ts_ns:
            out[-1] = sample
        else:
            out.append(sample)
    return out

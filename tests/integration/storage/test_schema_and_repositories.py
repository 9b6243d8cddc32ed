"""Migrations equal the models; repositories keep Decimals exact and states honest."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from aitrader.core.account import Account
from aitrader.core.enums import AccountType, OrderSide
from aitrader.core.errors import PersistenceError
from aitrader.core.ids import AccountId, InstrumentId
from aitrader.core.position import Position
from aitrader.storage.db import normalize_url, session_factory
from aitrader.storage.models import Base
from aitrader.storage.repositories import (
    AccountRepository,
    BacktestRunRepository,
    EquitySnapshotRepository,
    PositionRepository,
    StrategyInstanceRepository,
)

AWKWARD = [Decimal("0.1"), Decimal("1E-8"), Decimal("12345678901234.123456789"),
           Decimal("-0.000000000000000001")]


def test_the_migrated_schema_equals_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, Base.metadata) == []


def test_accounts_round_trip_every_balance_exactly(engine: Engine) -> None:
    repo = AccountRepository(session_factory(engine))
    acc = Account(AccountId("m1"), "SIM", "USDT", {"USDT": AWKWARD[2], "BTC": AWKWARD[1]},
                  AccountType.MARGIN, Decimal(3))
    acc.apply_realized("USDT", AWKWARD[0])
    acc.apply_fee("USDT", AWKWARD[3])
    repo.save(acc)
    repo.save(acc)  # saving again replaces, never duplicates
    back = repo.load("m1")
    assert back is not None
    assert back.balances() == acc.balances()
    assert back.cash("USDT") == AWKWARD[2] + AWKWARD[0] - AWKWARD[3]
    assert (back.account_type, back.leverage) == (AccountType.MARGIN, Decimal(3))
    assert repo.ids() == ["m1"] and repo.load("nope") is None


def test_positions_round_trip(engine: Engine) -> None:
    repo = PositionRepository(session_factory(engine))
    pos = Position(InstrumentId("BTC/USDT", "SIM"))
    pos.apply_fill(OrderSide.SELL, Decimal("0.3"), Decimal("100.05"), 5)
    repo.save("a", pos)
    [back] = repo.load("a")
    assert (back.quantity, back.avg_price, back.ts_last) == (Decimal("-0.3"), Decimal("100.05"), 5)


def test_backtest_runs_move_through_their_states_only_forward(engine: Engine) -> None:
    repo = BacktestRunRepository(session_factory(engine))
    run = repo.create({"strategy": "sma_cross", "params": {"fast": 10}})
    with pytest.raises(PersistenceError, match="is queued; cannot move to done"):
        repo.mark_done(run, {})
    repo.mark_running(run)
    repo.mark_done(run, {"sharpe": 1.25, "trades": 3})
    row = repo.get(run)
    assert row is not None and row.status == "done" and row.stats == {"sharpe": 1.25, "trades": 3}
    assert row.started_ns is not None and row.finished_ns is not None
    with pytest.raises(PersistenceError, match="is done"):
        repo.mark_failed(run, "late")
    assert [r.id for r in repo.list()] == [run]


def test_equity_curves_are_written_in_chunks_and_read_back(engine: Engine) -> None:
    repo = EquitySnapshotRepository(session_factory(engine), chunk=1_000)
    n = 3_500
    ts = np.arange(n, dtype=np.int64) * 60_000_000_000
    eq = 100_000 + np.cumsum(np.full(n, 0.25))
    assert repo.add_curve("r1", "a", ts, eq, eq) == n
    back_ts, back_eq = repo.curve("r1", "a")
    assert np.array_equal(back_ts, ts) and np.array_equal(back_eq, eq)


def test_strategy_instances_keep_params_and_state(engine: Engine) -> None:
    repo = StrategyInstanceRepository(session_factory(engine))
    repo.save("s1", "sma_cross", "paper", ["BTC/USDT@SIM"], "1m", {"fast": 5}, {"above": True},
              "running")
    row = repo.get("s1")
    assert row is not None and row.params == {"fast": 5} and row.state == {"above": True}
    assert [r.id for r in repo.all()] == ["s1"]


def test_urls_use_the_psycopg3_driver() -> None:
    assert normalize_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalize_url("postgres://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalize_url("sqlite:///x.db") == "sqlite:///x.db"

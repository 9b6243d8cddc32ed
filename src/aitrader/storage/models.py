"""SQLAlchemy 2 tables. Money and quantities are exact Decimals (NUMERIC(38, 18) on PostgreSQL,
text on SQLite); times are UTC nanoseconds; run_id '' is the paper/live runtime."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from aitrader.storage.exact_decimal import ExactDecimal

MONEY = ExactDecimal()


class Base(DeclarativeBase):
    """Declarative base of every table."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {
        Decimal: MONEY, dict[str, Any]: JSON, list[Any]: JSON
    }


class AccountRow(Base):
    """An account."""

    __tablename__ = "accounts"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    venue: Mapped[str] = mapped_column(String(64))
    base_currency: Mapped[str] = mapped_column(String(16))
    type: Mapped[str] = mapped_column(String(16))
    leverage: Mapped[Decimal]
    live: Mapped[bool]
    created_ns: Mapped[int] = mapped_column(BigInteger)


class BalanceRow(Base):
    """Cash components of one account in one currency."""

    __tablename__ = "balances"
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            primary_key=True)
    currency: Mapped[str] = mapped_column(String(16), primary_key=True)
    starting: Mapped[Decimal]
    realized: Mapped[Decimal]
    fees: Mapped[Decimal]


class OrderRow(Base):
    """An order's terms and latest state; written before it is sent."""

    __tablename__ = "orders"
    __table_args__ = (UniqueConstraint("run_id", "client_order_id", name="uq_orders_run_coid"),)
    pk: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(String(64), default="", index=True)
    client_order_id: Mapped[str] = mapped_column(String(128))
    strategy_id: Mapped[str] = mapped_column(String(64), index=True)
    account_id: Mapped[str] = mapped_column(String(64), index=True)
    instrument_id: Mapped[str] = mapped_column(String(128))
    side: Mapped[str] = mapped_column(String(8))
    order_type: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[Decimal]
    price: Mapped[Decimal | None]
    trigger_price: Mapped[Decimal | None]
    trailing_offset: Mapped[Decimal | None]
    time_in_force: Mapped[str] = mapped_column(String(8))
    reduce_only: Mapped[bool]
    post_only: Mapped[bool]
    expire_ns: Mapped[int] = mapped_column(BigInteger)
    parent_order_id: Mapped[str | None] = mapped_column(String(128))
    linked_order_ids: Mapped[list[Any]]
    tag: Mapped[str] = mapped_column(String(64))
    stop_loss: Mapped[Decimal | None]
    take_profit: Mapped[Decimal | None]
    status: Mapped[str] = mapped_column(String(20), index=True)
    filled_qty: Mapped[Decimal]
    avg_px: Mapped[Decimal | None]
    venue_order_id: Mapped[str | None] = mapped_column(String(128))
    ts_init: Mapped[int] = mapped_column(BigInteger)
    ts_last: Mapped[int] = mapped_column(BigInteger)
    event_count: Mapped[int]


class OrderEventRow(Base):
    """Append-only history of an order."""

    __tablename__ = "order_events"
    __table_args__ = (UniqueConstraint("order_pk", "seq", name="uq_order_events_seq"),)
    pk: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    order_pk: Mapped[int] = mapped_column(ForeignKey("orders.pk", ondelete="CASCADE"))
    seq: Mapped[int]
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]]
    ts_event: Mapped[int] = mapped_column(BigInteger)


class FillRow(Base):
    """A fill, stored once per trade id."""

    __tablename__ = "fills"
    __table_args__ = (UniqueConstraint("run_id", "account_id", "instrument_id", "trade_id",
                                       name="uq_fills_trade"),)
    pk: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(String(64), default="")
    account_id: Mapped[str] = mapped_column(String(64))
    instrument_id: Mapped[str] = mapped_column(String(128))
    trade_id: Mapped[str] = mapped_column(String(128))
    client_order_id: Mapped[str] = mapped_column(String(128), index=True)
    strategy_id: Mapped[str] = mapped_column(String(64))
    side: Mapped[str] = mapped_column(String(8))
    quantity: Mapped[Decimal]
    price: Mapped[Decimal]
    commission: Mapped[Decimal]
    commission_currency: Mapped[str] = mapped_column(String(16))
    liquidity: Mapped[str] = mapped_column(String(8))
    ts_event: Mapped[int] = mapped_column(BigInteger)


class PositionRow(Base):
    """A net position per account and instrument."""

    __tablename__ = "positions"
    account_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    instrument_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    quantity: Mapped[Decimal]
    avg_price: Mapped[Decimal]
    realized_pnl: Mapped[Decimal]
    ts_last: Mapped[int] = mapped_column(BigInteger)


class StrategyInstanceRow(Base):
    """A configured strategy and its persisted state."""

    __tablename__ = "strategy_instances"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    type: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[str] = mapped_column(String(64))
    instruments: Mapped[list[Any]]
    timeframe: Mapped[str] = mapped_column(String(8))
    params: Mapped[dict[str, Any]]
    state: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16))
    updated_ns: Mapped[int] = mapped_column(BigInteger)


class BacktestRunRow(Base):
    """A backtest request, its status and its statistics."""

    __tablename__ = "backtest_runs"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_ns: Mapped[int] = mapped_column(BigInteger)
    request: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16), index=True)
    error: Mapped[str | None] = mapped_column(String(2000))
    stats: Mapped[dict[str, Any] | None]
    started_ns: Mapped[int | None] = mapped_column(BigInteger)
    finished_ns: Mapped[int | None] = mapped_column(BigInteger)


class EquitySnapshotRow(Base):
    """Equity of an account at a time (of a backtest run, or of the live runtime: run '')."""

    __tablename__ = "equity_snapshots"
    __table_args__ = (Index("ix_equity_run_account_ts", "run_id", "account_id", "ts_ns"),)
    pk: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(String(64), default="")
    account_id: Mapped[str] = mapped_column(String(64))
    ts_ns: Mapped[int] = mapped_column(BigInteger)
    equity: Mapped[Decimal]
    cash: Mapped[Decimal]

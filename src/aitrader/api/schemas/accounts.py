"""Accounts, balances and positions."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel


class AccountPublic(BaseModel):
    """An account and its headline figures in its base currency."""

    id: str
    venue: str
    base_currency: str
    type: str
    leverage: Decimal
    live: bool
    cash: Decimal
    equity: Decimal
    unrealized_pnl: Decimal
    realized_pnl: Decimal
    fees: Decimal
    open_positions: int


class BalanceLine(BaseModel):
    """Cash in one currency and how it came about."""

    currency: str
    starting: Decimal
    realized_pnl: Decimal
    fees: Decimal
    cash: Decimal


class BalancePublic(BaseModel):
    """Every currency of an account."""

    account_id: str
    base_currency: str
    equity: Decimal
    balances: list[BalanceLine]


class PositionPublic(BaseModel):
    """An open net position."""

    account_id: str
    instrument_id: str
    quantity: Decimal
    avg_price: Decimal
    mark_price: Decimal | None
    realized_pnl: Decimal
    unrealized_pnl: Decimal
    ts_opened: int
    ts_last: int

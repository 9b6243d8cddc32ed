"""Accounts, balances and positions of the running engine."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from aitrader.api.deps import Ctx, Viewer
from aitrader.api.schemas.accounts import AccountPublic, BalancePublic, PositionPublic
from aitrader.runtime import service_ops as ops

router = APIRouter(prefix="/api/accounts", tags=["accounts"])
AccountIdPath = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("", response_model=list[AccountPublic])
async def list_accounts(_: Viewer, ctx: Ctx) -> list[AccountPublic]:
    """Every account with its equity."""
    rows = await ctx.service.acall(ops.list_accounts)
    return [AccountPublic.model_validate(r) for r in rows]


@router.get("/{account_id}/balance", response_model=BalancePublic)
async def balance(account_id: AccountIdPath, _: Viewer, ctx: Ctx) -> BalancePublic:
    """Cash per currency."""
    row = await ctx.service.acall(lambda e: ops.account_balance(e, account_id))
    return BalancePublic.model_validate(row)


@router.get("/{account_id}/positions", response_model=list[PositionPublic])
async def positions(account_id: AccountIdPath, _: Viewer, ctx: Ctx) -> list[PositionPublic]:
    """Open positions with marks and unrealized P&L."""
    rows = await ctx.service.acall(lambda e: ops.account_positions(e, account_id))
    return [PositionPublic.model_validate(r) for r in rows]

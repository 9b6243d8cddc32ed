"""Accounts, balances and positions of the running engine."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from starlette.concurrency import run_in_threadpool

from aitrader.api.deps import Ctx, Viewer
from aitrader.api.schemas.accounts import AccountPublic, BalancePublic, PositionPublic
from aitrader.api.schemas.equity import EquityPointPublic, EquityQuery
from aitrader.runtime import service_ops as ops
from aitrader.storage.equity_history import EquityHistory

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


@router.get("/{account_id}/equity", response_model=list[EquityPointPublic])
async def equity_history(account_id: AccountIdPath, query: Annotated[EquityQuery, Query()],
                         _: Viewer, ctx: Ctx, response: Response) -> list[EquityPointPublic]:
    """The account's recorded equity in time order (snapshots at most every
    AITRADER_EQUITY_SNAPSHOT_S seconds and at every fill). When more than ``limit`` fall in
    the range, the span is cut into ``limit`` equal time buckets and each gives its latest
    point; ``X-Total-Points`` says how many were recorded in the range."""
    await ctx.service.acall(lambda e: ops.account_summary(e, account_id))  # 404 if unknown
    history = EquityHistory(ctx.parts.store.sessions)

    def load() -> tuple[int, list[EquityPointPublic]]:
        total, samples = history.counted_series(account_id, query.start, query.end,
                                                query.limit)
        return total, [EquityPointPublic(ts=s.ts_ns, equity=s.equity, cash=s.cash,
                                         unrealized_pnl=s.equity - s.cash) for s in samples]

    total, points = await run_in_threadpool(load)
    response.headers["X-Total-Points"] = str(total)
    return points

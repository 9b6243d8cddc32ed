"""Prices: the latest bar, recent bars (from the cache: Redis when configured) and the book."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.concurrency import run_in_threadpool

from aitrader.api.deps import Ctx, Viewer
from aitrader.api.schemas.market import (
    BarPublic,
    DepthPublic,
    HistoricalBars,
    MarketSnapshot,
)
from aitrader.runtime import service_ops as ops

router = APIRouter(prefix="/api", tags=["market-data"])
SymbolPath = Annotated[str, Path(min_length=1, max_length=128,
                                 description="BTC/USDT@SIM, BTC/USDT or BTCUSDT")]


@router.get("/instruments", response_model=list[str])
async def instruments(_: Viewer, ctx: Ctx) -> list[str]:
    """Every instrument the engine trades (SYMBOL@VENUE)."""
    return [str(i) for i in await ctx.service.acall(ops.instruments)]


@router.get("/market-data/{symbol:path}", response_model=MarketSnapshot)
async def market_data(symbol: SymbolPath, _: Viewer, ctx: Ctx) -> MarketSnapshot:
    """The latest bar and mark price."""
    iid, mark = await ctx.service.acall(
        lambda e: (iid := ops.resolve_symbol(e, symbol), e.portfolio.mark(iid)))
    bars = await run_in_threadpool(ctx.service.cache.recent, str(iid), 1)
    return MarketSnapshot(instrument_id=str(iid),
                          last=BarPublic.model_validate(bars[-1]) if bars else None,
                          mark_price=mark, bars_seen=ctx.service.bars)


@router.get("/historical/{symbol:path}", response_model=HistoricalBars)
async def historical(symbol: SymbolPath, _: Viewer, ctx: Ctx,
                     limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> HistoricalBars:
    """Recent bars of the running feed, oldest first."""
    iid = await ctx.service.acall(lambda e: ops.resolve_symbol(e, symbol))
    bars = await run_in_threadpool(ctx.service.cache.recent, str(iid), limit)
    timeframe = ctx.parts.settings.trading.market_data.timeframe
    return HistoricalBars(instrument_id=str(iid), timeframe=timeframe,
                          bars=[BarPublic.model_validate(b) for b in bars])


@router.get("/depth/{symbol:path}", response_model=DepthPublic)
async def depth(symbol: SymbolPath, _: Viewer, ctx: Ctx,
                levels: Annotated[int, Query(ge=1, le=500)] = 20) -> DepthPublic:
    """The engine's L2 book."""
    row = await ctx.service.acall(lambda e: ops.depth(e, symbol, levels))
    return DepthPublic.model_validate(row)

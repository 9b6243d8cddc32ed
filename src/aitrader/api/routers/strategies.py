"""Strategy types (with the JSON Schema of their parameters) and running instances."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from aitrader.api.deps import Ctx, Trader, Viewer
from aitrader.api.errors import ResourceNotFound
from aitrader.api.schemas.strategies import (
    StrategyCreate,
    StrategyPublic,
    StrategyType,
    StrategyUpdate,
)
from aitrader.engine.trading_engine import TradingEngine
from aitrader.runtime import service_ops as ops

router = APIRouter(prefix="/api/strategies", tags=["strategies"])
StrategyIdPath = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("/types", response_model=list[StrategyType])
def strategy_types(_: Viewer, ctx: Ctx) -> list[StrategyType]:
    """Every registered strategy type and its parameter schema (to build forms)."""
    registry = ctx.parts.registry
    out = []
    for name in registry.names():
        cls = registry.get(name)
        doc = (cls.__doc__ or "").strip().splitlines()
        out.append(StrategyType(name=name, description=doc[0] if doc else "",
                                params_schema=cls.param_schema()))
    return out


@router.get("", response_model=list[StrategyPublic])
async def list_strategies(_: Viewer, ctx: Ctx) -> list[StrategyPublic]:
    """Every instance and whether it runs."""
    rows = await ctx.service.acall(ops.list_strategies)
    return [StrategyPublic.model_validate(r) for r in rows]


@router.get("/{strategy_id}", response_model=StrategyPublic)
async def get_strategy(strategy_id: StrategyIdPath, _: Viewer, ctx: Ctx) -> StrategyPublic:
    """One instance."""
    rows = await ctx.service.acall(ops.list_strategies)
    for row in rows:
        if row["id"] == strategy_id:
            return StrategyPublic.model_validate(row)
    raise ResourceNotFound(f"unknown strategy {strategy_id}")


@router.post("", response_model=StrategyPublic, status_code=201)
async def create_strategy(body: StrategyCreate, _: Trader, ctx: Ctx) -> StrategyPublic:
    """A new instance on an account (kept across restarts)."""
    parts = ctx.parts

    def create(engine: TradingEngine) -> dict[str, object]:
        snap = ops.create_strategy(engine, parts.registry, body.id, body.type, body.account_id,
                                   body.instruments, body.params, parts.persist)
        if body.start:
            snap = ops.set_strategy_running(engine, body.id, True, parts.persist)
        return snap

    return StrategyPublic.model_validate(await ctx.service.acall(create))


@router.put("/{strategy_id}", response_model=StrategyPublic)
async def update_strategy(strategy_id: StrategyIdPath, body: StrategyUpdate, _: Trader,
                          ctx: Ctx) -> StrategyPublic:
    """New parameters, validated by the strategy's Params."""
    persist = ctx.parts.persist
    row = await ctx.service.acall(
        lambda e: ops.update_strategy(e, strategy_id, body.params, persist))
    return StrategyPublic.model_validate(row)


@router.post("/{strategy_id}/start", response_model=StrategyPublic)
async def start_strategy(strategy_id: StrategyIdPath, _: Trader, ctx: Ctx) -> StrategyPublic:
    """Start it (harmless when running)."""
    persist = ctx.parts.persist
    row = await ctx.service.acall(
        lambda e: ops.set_strategy_running(e, strategy_id, True, persist))
    return StrategyPublic.model_validate(row)


@router.post("/{strategy_id}/stop", response_model=StrategyPublic)
async def stop_strategy(strategy_id: StrategyIdPath, _: Trader, ctx: Ctx) -> StrategyPublic:
    """Stop it (its working orders stay; cancel them separately)."""
    persist = ctx.parts.persist
    row = await ctx.service.acall(
        lambda e: ops.set_strategy_running(e, strategy_id, False, persist))
    return StrategyPublic.model_validate(row)

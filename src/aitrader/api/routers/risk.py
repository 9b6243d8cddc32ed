"""Risk: limits, breaker state and the kill switch (through the RiskControl seam)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from aitrader.api.deps import Admin, Ctx, Trader, Viewer
from aitrader.api.schemas.risk import (
    KillSwitchRequest,
    RiskLimitsPublic,
    RiskLimitsUpdate,
    RiskStatePublic,
)

router = APIRouter(prefix="/api/risk", tags=["risk"])


@router.get("/limits", response_model=RiskLimitsPublic)
async def limits(_: Viewer, ctx: Ctx) -> Any:
    """Configured limits and which ones the engine enforces."""
    risk = ctx.parts.risk
    return await ctx.service.acall(lambda _e: risk.limits())


@router.put("/limits", response_model=RiskLimitsPublic)
async def set_limits(body: RiskLimitsUpdate, _: Admin, ctx: Ctx) -> Any:
    """Change enforced limits while running."""
    risk = ctx.parts.risk
    changes = body.model_dump(exclude_unset=True)
    return await ctx.service.acall(lambda _e: risk.set_limits(changes))


@router.get("/state", response_model=RiskStatePublic)
async def state(_: Viewer, ctx: Ctx) -> Any:
    """Kill switch and circuit breakers."""
    risk = ctx.parts.risk
    return await ctx.service.acall(risk.state)


@router.post("/kill-switch", response_model=RiskStatePublic)
async def engage(body: KillSwitchRequest, me: Trader, ctx: Ctx) -> Any:
    """Stop all new exposure and cancel working orders (any trader may press it)."""
    risk = ctx.parts.risk
    reason = f"{body.reason} (by {me.username})"
    result = await ctx.service.acall(lambda e: risk.engage(e, reason))
    ctx.service.emit("breaker", {"name": "kill_switch", "engaged": True, "reason": reason})
    return result


@router.delete("/kill-switch", response_model=RiskStatePublic)
async def release(me: Admin, ctx: Ctx) -> Any:
    """Allow trading again (admin only)."""
    risk = ctx.parts.risk
    result = await ctx.service.acall(risk.release)
    ctx.service.emit("breaker", {"name": "kill_switch", "engaged": False,
                                 "reason": f"released by {me.username}"})
    return result

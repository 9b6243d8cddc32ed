"""Liveness (public, says nothing) and health (authenticated, says everything)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from aitrader.api.deps import Ctx, Viewer
from aitrader.api.schemas.health import HealthPublic

router = APIRouter(tags=["health"])


@router.get("/healthz", include_in_schema=False)
async def liveness() -> dict[str, str]:
    """For load balancers and containers: the process answers (async: no thread hop)."""
    return {"status": "ok"}


@router.get("/api/health", response_model=HealthPublic)
def health(ctx: Ctx, _: Viewer) -> HealthPublic:
    """Engine, database, tasks and cache."""
    service = ctx.service
    try:
        with ctx.parts.store.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        db_ok = True
    except Exception:  # a down database is reported, not raised
        db_ok = False
    ok = db_ok and service.running
    return HealthPublic(status="ok" if ok else "degraded", engine_running=service.running,
                        bars_processed=service.bars, feed_ended=service.feed_ended,
                        database=db_ok, tasks_backend=ctx.tasks.backend,
                        cache=type(service.cache).__name__, started_ns=service.started_ns)

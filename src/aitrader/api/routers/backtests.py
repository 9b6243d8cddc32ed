"""Backtests as background tasks: submit, list, status, result."""

from __future__ import annotations

import os
from typing import Annotated

from fastapi import APIRouter, Path, Query

from aitrader.api.deps import Ctx, Trader, Viewer
from aitrader.api.errors import ResourceConflict, ResourceNotFound
from aitrader.api.schemas.backtests import BacktestResultPublic, BacktestStatus, BacktestSubmitted
from aitrader.runtime.service_backtests import TASK_BACKTEST, BacktestSpec, check_spec, data_roots
from aitrader.storage.repositories import BacktestRunRepository

router = APIRouter(prefix="/api/backtests", tags=["backtests"])
RunIdPath = Annotated[str, Path(min_length=1, max_length=64)]


@router.post("", response_model=BacktestSubmitted, status_code=202)
def submit_backtest(body: BacktestSpec, me: Trader, ctx: Ctx) -> BacktestSubmitted:
    """Queue a backtest; poll its status, then fetch the result."""
    env = ctx.parts.settings.env
    check_spec(body, ctx.parts.registry,
               data_roots(env.data_dir, os.environ.get("AITRADER_BACKTEST_DATA")))
    runs = BacktestRunRepository(ctx.parts.store.sessions)
    run_id = runs.create(body.model_dump(mode="json"))
    task_id = ctx.tasks.submit(TASK_BACKTEST, run_id)
    ctx.task_runs.add(task_id, "backtest", run_id, ctx.tasks.backend, task_id, me.user_id)
    return BacktestSubmitted(id=run_id, status="queued", backend=ctx.tasks.backend,
                             task_id=task_id)


@router.get("", response_model=list[BacktestStatus])
def list_backtests(_: Viewer, ctx: Ctx,
                   limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[BacktestStatus]:
    """Newest first."""
    runs = BacktestRunRepository(ctx.parts.store.sessions)
    return [_status(ctx, r) for r in runs.list(limit)]


@router.get("/{run_id}", response_model=BacktestStatus)
def backtest_status(run_id: RunIdPath, _: Viewer, ctx: Ctx) -> BacktestStatus:
    """queued, running, done or failed (with the error)."""
    row = BacktestRunRepository(ctx.parts.store.sessions).get(run_id)
    if row is None:
        raise ResourceNotFound(f"unknown backtest {run_id}")
    return _status(ctx, row)


@router.get("/{run_id}/result", response_model=BacktestResultPublic)
def backtest_result(run_id: RunIdPath, _: Viewer, ctx: Ctx) -> BacktestResultPublic:
    """Statistics, trades and the equity curve of a finished run."""
    row = BacktestRunRepository(ctx.parts.store.sessions).get(run_id)
    if row is None:
        raise ResourceNotFound(f"unknown backtest {run_id}")
    if row.status != "done" or row.stats is None:
        detail = f": {row.error}" if row.error else ""
        raise ResourceConflict(f"backtest {run_id} is {row.status}, no result{detail}")
    return BacktestResultPublic(id=row.id, status=row.status, result=row.stats)


def _status(ctx: Ctx, row: object) -> BacktestStatus:
    status = BacktestStatus.model_validate(row, from_attributes=True)
    task = ctx.task_runs.of_ref(status.id)
    if task is not None:
        status.backend, status.task_id = task.backend, task.external_id
    return status

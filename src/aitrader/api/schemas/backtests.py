"""Backtests submitted as tasks."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel


class BacktestSubmitted(BaseModel):
    """A queued backtest."""

    id: str
    status: str
    backend: str
    task_id: str | None


class BacktestStatus(BaseModel):
    """Where a backtest is."""

    id: str
    status: Literal["queued", "running", "done", "failed"]
    error: str | None
    created_ns: int
    started_ns: int | None
    finished_ns: int | None
    request: dict[str, Any]
    backend: str | None = None
    task_id: str | None = None


class BacktestResultPublic(BaseModel):
    """A finished backtest's figures."""

    id: str
    status: str
    result: dict[str, Any]

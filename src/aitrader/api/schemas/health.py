"""The service's health."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class HealthPublic(BaseModel):
    """The service's state."""

    status: Literal["ok", "degraded"]
    engine_running: bool
    bars_processed: int
    feed_ended: bool
    database: bool
    tasks_backend: str
    cache: str
    started_ns: int

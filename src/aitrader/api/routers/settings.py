"""The configuration's JSON Schema (the dashboard builds its forms from it) and the settings in
force, with every secret masked."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from aitrader.api.deps import Admin, Ctx, Viewer
from aitrader.runtime.settings import AppSettings

router = APIRouter(prefix="/api/settings", tags=["settings"])


@router.get("/schema", response_model=dict[str, Any])
def settings_schema(_: Viewer) -> dict[str, Any]:
    """JSON Schema of trading.yml, brokers.yml, strategies.yml and logging.yml."""
    return AppSettings.json_schema()


@router.get("", response_model=dict[str, Any])
def current_settings(_: Admin, ctx: Ctx) -> dict[str, Any]:
    """The YAML settings in force (secrets shown as '**********'; the environment omitted)."""
    s = ctx.parts.settings
    return {"trading.yml": s.trading.model_dump(mode="json"),
            "brokers.yml": s.brokers.model_dump(mode="json"),
            "strategies.yml": s.strategies.model_dump(mode="json"),
            "logging.yml": s.logging.model_dump(mode="json")}

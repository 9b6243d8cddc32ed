"""Risk limits, breakers and the kill switch."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

_IN = ConfigDict(extra="forbid")


class RiskLimitsUpdate(BaseModel):
    """Limits the running engine enforces and that can change while it runs."""

    model_config = _IN
    max_positions: int | None = Field(None, ge=1, le=10_000)
    max_order_notional: Decimal | None = Field(None, gt=0, lt=Decimal(10) ** 15,
                                               allow_inf_nan=False)


class RiskLimitsPublic(BaseModel):
    """Every configured limit and which ones are enforced now."""

    limits: dict[str, Any]
    enforced: list[str]


class KillSwitchRequest(BaseModel):
    """Why the kill switch is pressed."""

    model_config = _IN
    reason: str = Field("kill switch pressed", min_length=1, max_length=500)


class RiskStatePublic(BaseModel):
    """Kill switch and circuit breakers."""

    kill_switch: dict[str, Any]
    breakers: list[dict[str, Any]]
    denials: int
    open_orders: int

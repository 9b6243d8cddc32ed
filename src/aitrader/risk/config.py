"""Risk limits, declared once with defaults, bounds and descriptions."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class RiskConfig(BaseModel):
    """Limits every order passes before it reaches a venue (fractions of equity)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    per_trade_risk: Decimal = Field(
        Decimal("0.02"), gt=0, le=1, description="max loss between entry and stop, of equity"
    )
    max_portfolio_risk: Decimal = Field(
        Decimal("0.10"), gt=0, le=1, description="sum of open risk across positions, of equity"
    )
    max_drawdown: Decimal = Field(
        Decimal("0.15"), gt=0, le=1, description="halt new entries past this fall from peak"
    )
    daily_loss_limit: Decimal = Field(
        Decimal("0.05"), gt=0, le=1, description="halt new entries past this loss in a UTC day"
    )
    daily_reset_utc: str = Field(
        "00:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="when the daily loss resets"
    )
    max_positions: int = Field(10, ge=1, le=10_000, description="open positions per account")
    max_open_orders: int = Field(50, ge=1, le=100_000, description="working orders per account")
    max_order_notional: Decimal | None = Field(
        None, gt=0, description="largest single order, in quote currency (none = no cap)"
    )

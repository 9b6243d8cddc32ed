"""Risk limits, declared once with defaults, bounds and descriptions."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

_STRICT = ConfigDict(frozen=True, extra="forbid")

BreakerKind = Literal[
    "daily_loss", "max_drawdown", "consecutive_losses", "volatility", "stale_data", "venue_down"
]


class BreakerConfig(BaseModel):
    """Circuit breakers beyond the daily loss and drawdown limits; ``None`` turns a rule off."""

    model_config = _STRICT

    max_consecutive_losses: int | None = Field(
        5, ge=1, le=1000, description="halt the account after this many losing trades in a row"
    )
    volatility_multiple: float | None = Field(
        6.0, gt=1, le=1000,
        description="halt an instrument when a bar's true range exceeds this multiple of its norm",
    )
    volatility_window: int = Field(
        120, ge=5, le=100_000, description="bars in the rolling norm of the true range (EWMA span)"
    )
    stale_data_s: float | None = Field(
        None, gt=0, le=86_400,
        description="halt an instrument when no market data arrived for this long (seconds)",
    )
    drawdown_cooldown_s: float | None = Field(
        None, gt=0, description="max drawdown clears after this long (none = explicit reset only)"
    )
    losses_cooldown_s: float | None = Field(3600.0, gt=0, description="consecutive-loss cool-down")
    volatility_cooldown_s: float | None = Field(900.0, gt=0, description="volatility cool-down")
    stale_cooldown_s: float | None = Field(60.0, gt=0, description="stale-data cool-down")
    venue_cooldown_s: float | None = Field(60.0, gt=0, description="venue-connection cool-down")
    flatten_on: frozenset[BreakerKind] = Field(
        frozenset(), description="breakers that also close every position in their scope"
    )


class ProtectionConfig(BaseModel):
    """Stop-loss/take-profit attached automatically to entries that come without them."""

    model_config = _STRICT

    mode: Literal["none", "fixed", "atr"] = Field(
        "none", description="fixed: fractions of the entry price; atr: multiples of the ATR"
    )
    stop_loss: Decimal | None = Field(
        None, gt=0, lt=1, description="fixed mode: stop this fraction away from the entry"
    )
    take_profit: Decimal | None = Field(
        None, gt=0, description="fixed mode: take profit this fraction away from the entry"
    )
    atr_stop: Decimal | None = Field(None, gt=0, description="atr mode: stop at this many ATRs")
    atr_take_profit: Decimal | None = Field(None, gt=0, description="atr mode: TP in ATRs")
    trailing: bool = Field(False, description="the stop trails the price by its distance")


class StrategyLimits(BaseModel):
    """Limits one strategy instance has on top of its account's (``None`` = account's value)."""

    model_config = _STRICT

    per_trade_risk: Decimal | None = Field(None, gt=0, le=1)
    max_open_orders: int | None = Field(None, ge=1, le=100_000)
    max_position_qty: Decimal | None = Field(None, gt=0)
    max_position_notional: Decimal | None = Field(None, gt=0)
    max_order_notional: Decimal | None = Field(None, gt=0)


class RiskConfig(BaseModel):
    """Limits every order passes before it reaches a venue (fractions of equity)."""

    model_config = _STRICT

    per_trade_risk: Decimal = Field(
        Decimal("0.02"), gt=0, le=1, description="max loss between entry and stop, of equity"
    )
    max_portfolio_risk: Decimal = Field(
        Decimal("0.10"), gt=0, le=1, description="sum of open risk across positions, of equity"
    )
    stop_required: bool = Field(
        False, description="deny entries without a stop (else they skip the two risk rules above)"
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
    max_position_qty: Decimal | None = Field(
        None, gt=0, description="largest position in one instrument, in units (none = no cap)"
    )
    max_position_notional: Decimal | None = Field(
        None, gt=0, description="largest position in one instrument, in quote currency"
    )
    max_leverage: Decimal | None = Field(
        None, gt=0, le=1000, description="gross exposure / equity (none = the account's leverage)"
    )
    max_net_exposure: Decimal | None = Field(
        None, gt=0, le=1000, description="|long - short| exposure / equity (none = no cap)"
    )
    max_order_notional: Decimal | None = Field(
        None, gt=0, description="largest single order, in quote currency (none = no cap)"
    )
    min_order_notional: Decimal | None = Field(
        None, gt=0, description="smallest single order, in quote currency (none = the venue's)"
    )
    price_collar: Decimal | None = Field(
        Decimal("0.05"), gt=0, le=10,
        description="deny limit prices further than this fraction from the last price",
    )
    duplicate_window_ms: int = Field(
        500, ge=0, le=3_600_000, description="deny the same order repeated within this many ms"
    )
    max_correlation: float | None = Field(
        None, gt=0, le=1,
        description="deny a new position whose return correlation with an open one exceeds this",
    )
    max_correlated_exposure: Decimal | None = Field(
        None, gt=0, le=1000,
        description="cap on the value of positions correlated above correlation_group (with the "
                    "new one), as a multiple of equity",
    )
    correlation_group: float = Field(
        0.7, gt=0, le=1, description="correlation that puts two positions in one group"
    )
    correlation_window: int = Field(60, ge=10, le=10_000, description="bars of returns compared")
    enabled: bool = Field(True, description="false keeps only halts, duplicates, max positions")
    breakers: BreakerConfig = Field(default_factory=BreakerConfig)
    protection: ProtectionConfig = Field(default_factory=ProtectionConfig)

    def merged(self, override: RiskConfig | None) -> RiskConfig:
        """These limits with the fields ``override`` set explicitly (YAML keys) replacing them."""
        if override is None:
            return self
        data = self.model_dump()
        for name in override.model_fields_set:
            value = getattr(override, name)
            if isinstance(value, BaseModel):
                nested = getattr(self, name).model_dump()
                nested.update({k: getattr(value, k) for k in value.model_fields_set})
                data[name] = nested
            else:
                data[name] = value
        return RiskConfig.model_validate(data)

    def reset_offset_ns(self) -> int:
        """``daily_reset_utc`` as nanoseconds after midnight UTC."""
        hours, minutes = self.daily_reset_utc.split(":")
        return (int(hours) * 3600 + int(minutes) * 60) * 1_000_000_000

"""Settings of a simulated venue: fees and slippage."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from aitrader.venues.simulated.fill_models import (
    FeeModel,
    FixedBpsSlippage,
    NoSlippage,
    SlippageModel,
)


class SlippageConfig(BaseModel):
    """How taker fills move against the order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["none", "fixed_bps"] = Field("none", description="slippage model")
    bps: Decimal = Field(Decimal(0), ge=0, le=1000, description="basis points for fixed_bps")

    def build(self) -> SlippageModel:
        """The model object."""
        return FixedBpsSlippage(self.bps) if self.kind == "fixed_bps" else NoSlippage()


class SimVenueConfig(BaseModel):
    """One simulated venue."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field("SIM", min_length=1, pattern=r"^[A-Za-z0-9_\-]+$", description="venue name")
    maker_fee: Decimal = Field(Decimal("0.0002"), ge=-0.01, le=0.1, description="fraction")
    taker_fee: Decimal = Field(Decimal("0.001"), ge=0, le=0.1, description="fraction")
    slippage: SlippageConfig = Field(default_factory=SlippageConfig)

    def fee_model(self) -> FeeModel:
        """The fee model object."""
        return FeeModel(self.maker_fee, self.taker_fee)

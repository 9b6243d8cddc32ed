"""The YAML files' models: trading.yml, brokers.yml, strategies.yml (logging.yml is in
observability/config.py). Unknown keys are refused everywhere."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from aitrader.core.account import Account
from aitrader.core.enums import AccountType, AssetClass
from aitrader.core.ids import AccountId, InstrumentId
from aitrader.core.instrument import Instrument
from aitrader.risk.config import RiskConfig, StrategyLimits
from aitrader.venues.simulated.config import SimVenueConfig

_STRICT = ConfigDict(frozen=True, extra="forbid")
_NAME = r"^[A-Za-z0-9_\-\.]+$"


class AccountConfig(BaseModel):
    """A trading account (paper unless ``live`` and the safety switches allow it)."""

    model_config = _STRICT
    id: str = Field(..., min_length=1, pattern=_NAME)
    venue: str = Field("SIM", min_length=1)
    base_currency: str = Field("USDT", min_length=1)
    starting_balances: dict[str, Decimal] = Field(
        default_factory=lambda: {"USDT": Decimal(100_000)}
    )
    type: AccountType = AccountType.CASH
    leverage: Decimal = Field(Decimal(1), gt=0, le=125)
    live: bool = Field(False, description="trade real money (also needs the environment switches)")
    risk: RiskConfig | None = Field(None, description="overrides of the global risk limits")

    @model_validator(mode="after")
    def _check(self) -> AccountConfig:
        if self.type is AccountType.CASH and self.leverage != 1:
            raise ValueError(f"a CASH account has leverage 1, was {self.leverage}")
        for cur, amount in self.starting_balances.items():
            if amount < 0:
                raise ValueError(f"starting balance of {cur} must be >= 0, was {amount}")
        return self

    def build(self) -> Account:
        """The domain account."""
        return Account(AccountId(self.id), self.venue, self.base_currency,
                       dict(self.starting_balances), self.type, self.leverage, self.live)


class InstrumentConfig(BaseModel):
    """A tradable instrument with its precision and limits."""

    model_config = _STRICT
    symbol: str = Field(..., min_length=1)
    venue: str = Field("SIM", min_length=1)
    asset_class: AssetClass = AssetClass.CRYPTO
    base: str = Field(..., min_length=1)
    quote: str = Field(..., min_length=1)
    tick_size: Decimal = Field(..., gt=0)
    lot_size: Decimal = Field(..., gt=0)
    min_quantity: Decimal = Field(Decimal(0), ge=0)
    min_notional: Decimal = Field(Decimal(0), ge=0)
    multiplier: Decimal = Field(Decimal(1), gt=0)

    @property
    def instrument_id(self) -> InstrumentId:
        """``SYMBOL@VENUE``."""
        return InstrumentId(self.symbol, self.venue)

    def build(self) -> Instrument:
        """The domain instrument."""
        return Instrument(self.instrument_id, self.asset_class, self.base, self.quote,
                          self.tick_size, self.lot_size, self.min_quantity, None,
                          self.min_notional, self.multiplier)


class MarketDataConfig(BaseModel):
    """The paper runtime's offline market: a seeded random walk or a replay of a bar file."""

    model_config = _STRICT
    kind: Literal["simulated", "replay"] = "simulated"
    path: Path | None = Field(None, description="bar file for replay (CSV/parquet/feather)")
    timeframe: str = Field("1m", pattern=r"^\d+[smhdw]$")
    seconds_per_bar: float = Field(1.0, ge=0, le=3600, description="wall time per bar; 0 = max")
    seed: int = 7
    start_price: float = Field(60_000.0, gt=0)
    volatility_per_bar: float = Field(0.001, gt=0, lt=0.5)

    @model_validator(mode="after")
    def _replay_needs_path(self) -> MarketDataConfig:
        if self.kind == "replay" and self.path is None:
            raise ValueError("kind 'replay' needs a path to a bar file")
        return self


def _default_instruments() -> list[InstrumentConfig]:
    return [InstrumentConfig(symbol="BTC/USDT", base="BTC", quote="USDT",
                             tick_size=Decimal("0.01"), lot_size=Decimal("0.00001"),
                             min_notional=Decimal(5))]


class TradingConfig(BaseModel):
    """trading.yml."""

    model_config = _STRICT
    risk: RiskConfig = Field(default_factory=RiskConfig)
    accounts: list[AccountConfig] = Field(default_factory=lambda: [AccountConfig(id="paper")])
    instruments: list[InstrumentConfig] = Field(default_factory=_default_instruments)
    venues: list[SimVenueConfig] = Field(default_factory=lambda: [SimVenueConfig()])
    market_data: MarketDataConfig = Field(default_factory=MarketDataConfig)

    @model_validator(mode="after")
    def _references(self) -> TradingConfig:
        ids = [a.id for a in self.accounts]
        if len(ids) != len(set(ids)):
            raise ValueError(f"account ids must be unique, were {ids}")
        for acc in self.accounts:
            try:
                self.risk.merged(acc.risk)
            except ValueError as exc:
                raise ValueError(f"accounts {acc.id}: risk: {exc}") from None
        venues = {v.name for v in self.venues}
        for inst in self.instruments:
            if inst.venue not in venues:
                raise ValueError(f"instrument {inst.symbol} names venue {inst.venue!r}, "
                                 f"which is not in venues ({', '.join(sorted(venues))})")
        return self

    def account_risk(self) -> dict[AccountId, RiskConfig]:
        """The limits in force per account: the global ``risk`` with each account's overrides."""
        return {AccountId(a.id): self.risk.merged(a.risk) for a in self.accounts}


class BrokerConfig(BaseModel):
    """A broker connection; keys are secrets and never rendered."""

    model_config = _STRICT
    name: str = Field(..., min_length=1, pattern=_NAME)
    kind: Literal["ccxt", "ibkr", "mt5", "fix", "ctrader", "ninjatrader"]
    exchange: str | None = Field(None, description="ccxt exchange id, e.g. binance")
    account: str | None = Field(None, description="the account id in trading.yml it serves")
    api_key: SecretStr | None = None
    secret: SecretStr | None = None
    passphrase: SecretStr | None = None
    sandbox: bool = True
    options: dict[str, Any] = Field(default_factory=dict)


class BrokersConfig(BaseModel):
    """brokers.yml."""

    model_config = _STRICT
    brokers: list[BrokerConfig] = Field(default_factory=list)


class StrategyInstanceConfig(BaseModel):
    """A strategy running on an account; ``params`` are checked by the strategy's own model."""

    model_config = _STRICT
    id: str = Field(..., min_length=1, pattern=_NAME)
    type: str = Field(..., min_length=1, description="registered strategy name")
    account: str = Field(..., min_length=1)
    instruments: list[str] = Field(..., min_length=1, description="SYMBOL@VENUE")
    timeframe: str = Field("1m", pattern=r"^\d+[smhdw]$")
    params: dict[str, Any] = Field(default_factory=dict)
    enabled: bool = True
    risk: StrategyLimits | None = Field(None, description="this strategy's own tighter limits")


def _default_strategies() -> list[StrategyInstanceConfig]:
    return [StrategyInstanceConfig(id="sma-btc", type="sma_cross", account="paper",
                                   instruments=["BTC/USDT@SIM"],
                                   params={"fast": 10, "slow": 30, "quantity": "0.01"})]


class StrategiesConfig(BaseModel):
    """strategies.yml."""

    model_config = _STRICT
    strategies: list[StrategyInstanceConfig] = Field(default_factory=_default_strategies)

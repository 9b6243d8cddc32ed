"""Configuration of one CCXT venue connection: exchange, keys (secrets), sandbox, live switch."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

SUPPORTED_EXCHANGES = (
    "binance", "coinbase", "kraken", "bitstamp", "bitfinex", "gemini", "htx", "okx", "bybit",
    "kucoin",
)


class CcxtVenueConfig(BaseModel):
    """One exchange account reached through ccxt; keys are ``SecretStr`` and never rendered."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(..., min_length=1, description="venue name used in instrument ids")
    exchange: str = Field(..., description="ccxt exchange id, one of SUPPORTED_EXCHANGES")
    account_id: str = Field("", description="the aitrader account this connection serves")
    api_key: SecretStr | None = None
    secret: SecretStr | None = None
    passphrase: SecretStr | None = None
    sandbox: bool = Field(True, description="use the exchange's testnet/sandbox when it has one")
    live: bool = Field(False, description="orders may reach a real account (see LiveTradingGate)")
    endpoint_override: str | None = Field(
        None, description="base URL replacing every REST/websocket host (tests: a local server)")
    rate_limit_ms: float | None = Field(
        None, gt=0, description="spacing between requests; None keeps the exchange's own")
    market_data: str = Field("auto", pattern="^(auto|ws|poll)$",
                             description="stream over websockets, REST polling, or ws when able")
    timeout_s: float = Field(10.0, gt=0, le=120)
    poll_interval_s: float = Field(1.0, gt=0, le=600, description="order status polling period")
    submit_retries: int = Field(3, ge=0, le=10, description="retries of an order in doubt")
    reconnect_initial_s: float = Field(0.5, gt=0, le=60)
    reconnect_max_s: float = Field(30.0, gt=0, le=600)
    options: dict[str, Any] = Field(default_factory=dict, description="ccxt exchange options")

    @field_validator("exchange")
    @classmethod
    def _known_exchange(cls, value: str) -> str:
        if value not in SUPPORTED_EXCHANGES:
            raise ValueError(f"exchange must be one of {', '.join(SUPPORTED_EXCHANGES)}, "
                             f"was {value!r}")
        return value

    @property
    def has_keys(self) -> bool:
        """True when an API key and secret are configured."""
        return self.api_key is not None and self.secret is not None

    def with_env_credentials(self, env: Mapping[str, str]) -> CcxtVenueConfig:
        """Fill missing keys from ``<EXCHANGE>_API_KEY/_SECRET/_PASSPHRASE/_SANDBOX``."""
        prefix = self.exchange.upper()
        update: dict[str, Any] = {}
        for field, suffix in (("api_key", "API_KEY"), ("secret", "SECRET"),
                              ("passphrase", "PASSPHRASE")):
            value = env.get(f"{prefix}_{suffix}")
            if getattr(self, field) is None and value:
                update[field] = SecretStr(value)
        sandbox = env.get(f"{prefix}_SANDBOX")
        if sandbox is not None and sandbox.strip():
            flag = sandbox.strip().lower()
            if flag not in ("1", "0", "true", "false", "yes", "no"):
                raise ValueError(f"{prefix}_SANDBOX must be true or false, was {sandbox!r}")
            update["sandbox"] = flag in ("1", "true", "yes")
        return self.model_copy(update=update) if update else self

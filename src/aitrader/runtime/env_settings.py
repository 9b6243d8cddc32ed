"""Settings from the environment (and a .env file), under the names users already know."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from aitrader.core.errors import ConfigError

_PLACEHOLDERS = frozenset({"", "changeme", "change-me", "secret", "please-change", "xxx"})


class EnvSettings(BaseSettings):
    """Environment variables; each field's alias is the variable's name."""

    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", frozen=True, populate_by_name=True
    )

    database_url: str = Field("sqlite:///./var/aitrader.db", alias="DATABASE_URL")
    redis_url: str | None = Field(None, alias="REDIS_URL")
    secret_key: SecretStr | None = Field(None, alias="SECRET_KEY")
    jwt_secret_key: SecretStr | None = Field(None, alias="JWT_SECRET_KEY")
    default_risk_percent: Decimal = Field(Decimal("0.02"), gt=0, le=1, alias="DEFAULT_RISK_PERCENT")
    max_portfolio_risk: Decimal = Field(Decimal("0.10"), gt=0, le=1, alias="MAX_PORTFOLIO_RISK")
    max_drawdown: Decimal = Field(Decimal("0.15"), gt=0, le=1, alias="MAX_DRAWDOWN")
    daily_loss_limit: Decimal = Field(Decimal("0.05"), gt=0, le=1, alias="DAILY_LOSS_LIMIT")
    max_positions: int = Field(10, ge=1, le=10_000, alias="MAX_POSITIONS")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] | None = Field(
        None, alias="LOG_LEVEL"
    )
    host: str = Field("127.0.0.1", alias="HOST")
    port: int = Field(8000, ge=1, le=65535, alias="PORT")
    celery_broker_url: str | None = Field(None, alias="CELERY_BROKER_URL")
    celery_result_backend: str | None = Field(None, alias="CELERY_RESULT_BACKEND")
    simulation_mode: bool = Field(True, alias="SIMULATION_MODE")
    disable_real_trading: bool = Field(False, alias="DISABLE_REAL_TRADING")
    config_dir: Path = Field(Path("config"), alias="AITRADER_CONFIG_DIR")
    data_dir: Path = Field(Path("var"), alias="AITRADER_DATA_DIR")
    equity_snapshot_s: float = Field(
        5.0, ge=0, le=86_400, alias="AITRADER_EQUITY_SNAPSHOT_S",
        description="at most one stored equity snapshot per account per this many seconds "
                    "(plus one per fill); 0 = after every bar")

    def require_secrets(self) -> None:
        """Refuse to serve the API with missing or placeholder secrets."""
        secrets = (("SECRET_KEY", self.secret_key), ("JWT_SECRET_KEY", self.jwt_secret_key))
        for name, value in secrets:
            raw = "" if value is None else value.get_secret_value()
            if raw.strip().lower() in _PLACEHOLDERS or len(raw) < 32:
                raise ConfigError(
                    f"environment: {name} must be set to a random value of at least 32 characters "
                    f"(not a placeholder); generate one with `python -c 'import secrets; "
                    f"print(secrets.token_urlsafe(48))'`"
                )

"""The API's settings from the environment; default secrets are refused outside dev."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cryptography.fernet import Fernet
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from aitrader.core.errors import ConfigError

_PLACEHOLDERS = frozenset({"", "changeme", "change-me", "secret", "please-change", "xxx"})
_DEV_ORIGINS = "http://localhost:5173,http://127.0.0.1:5173"


class ApiSettings(BaseSettings):
    """Environment variables of the API; each field's alias is the variable's name."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True,
                                      populate_by_name=True)

    environment: Literal["dev", "test", "prod"] = Field("dev", alias="AITRADER_ENV")
    jwt_secret_key: SecretStr | None = Field(None, alias="JWT_SECRET_KEY")
    credentials_key: SecretStr | None = Field(
        None, alias="AITRADER_CREDENTIALS_KEY", description="Fernet key for broker credentials")
    access_token_ttl_s: int = Field(900, ge=10, le=86_400, alias="AITRADER_ACCESS_TOKEN_TTL_S")
    session_idle_timeout_s: int = Field(1800, ge=30, le=30 * 86_400,
                                        alias="AITRADER_SESSION_IDLE_TIMEOUT_S")
    session_max_s: int = Field(43_200, ge=60, le=90 * 86_400, alias="AITRADER_SESSION_MAX_S")
    cors_origins: str | None = Field(None, alias="AITRADER_CORS_ORIGINS",
                                     description="comma-separated origins")
    rate_limit_ip_per_min: int = Field(1200, ge=1, alias="AITRADER_RATE_LIMIT_IP_PER_MIN")
    rate_limit_user_per_min: int = Field(1200, ge=1, alias="AITRADER_RATE_LIMIT_USER_PER_MIN")
    login_attempts_per_min: int = Field(10, ge=1, alias="AITRADER_LOGIN_ATTEMPTS_PER_MIN")
    max_upload_mb: int = Field(200, ge=1, le=10_000, alias="AITRADER_MAX_UPLOAD_MB")
    frontend_dist: Path = Field(Path("frontend/dist"), alias="AITRADER_FRONTEND_DIST")
    admin_user: str | None = Field(None, alias="AITRADER_ADMIN_USER")
    admin_password: SecretStr | None = Field(None, alias="AITRADER_ADMIN_PASSWORD")
    tls_certfile: Path | None = Field(None, alias="AITRADER_TLS_CERTFILE")
    tls_keyfile: Path | None = Field(None, alias="AITRADER_TLS_KEYFILE")

    @property
    def is_dev(self) -> bool:
        """dev and test may generate their own secrets; prod may not."""
        return self.environment != "prod"

    def origins(self) -> list[str]:
        """CORS origins: the configured ones, or the Vite dev server's in dev."""
        raw = self.cors_origins if self.cors_origins is not None else (
            _DEV_ORIGINS if self.is_dev else "")
        return [o.strip() for o in raw.split(",") if o.strip()]


@dataclass(frozen=True)
class ApiSecrets:
    """The keys in use (never logged)."""

    jwt_key: str
    fernet_key: bytes


def resolve_secrets(settings: ApiSettings, data_dir: Path) -> ApiSecrets:
    """Secrets from the environment. Outside prod, missing ones are generated once and kept in
    ``<data_dir>/dev-secrets.json`` (mode 0600); in prod a missing or placeholder secret is a
    ConfigError that names the variable."""
    jwt = _secret(settings.jwt_secret_key)
    fernet = _secret(settings.credentials_key)
    if not settings.is_dev:
        if jwt is None or jwt.strip().lower() in _PLACEHOLDERS or len(jwt) < 32:
            raise ConfigError("environment: JWT_SECRET_KEY must be a random value of at least "
                              "32 characters when AITRADER_ENV=prod (not a placeholder)")
        if fernet is None:
            raise ConfigError("environment: AITRADER_CREDENTIALS_KEY must be set when "
                              "AITRADER_ENV=prod; generate one with `python -c 'from "
                              "cryptography.fernet import Fernet; print(Fernet.generate_key()"
                              ".decode())'`")
    if jwt is None or fernet is None:
        stored = _dev_secrets(data_dir)
        jwt = jwt or stored["jwt"]
        fernet = fernet or stored["fernet"]
    try:
        Fernet(fernet.encode())
    except ValueError:
        raise ConfigError("environment: AITRADER_CREDENTIALS_KEY must be a Fernet key (32 "
                          "url-safe base64-encoded bytes)") from None
    return ApiSecrets(jwt, fernet.encode())


def _secret(value: SecretStr | None) -> str | None:
    raw = None if value is None else value.get_secret_value()
    return raw or None


def _dev_secrets(data_dir: Path) -> dict[str, str]:
    path = data_dir / "dev-secrets.json"
    if path.exists():
        data: dict[str, str] = json.loads(path.read_text())
        return data
    data_dir.mkdir(parents=True, exist_ok=True)
    data = {"jwt": secrets.token_urlsafe(48), "fernet": Fernet.generate_key().decode()}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh)
    return data

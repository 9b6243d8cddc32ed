"""Broker credentials (secrets in, never out)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr

_IN = ConfigDict(extra="forbid")


class CredentialCreate(BaseModel):
    """A broker's keys; stored encrypted, never returned."""

    model_config = _IN
    name: str = Field(..., min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-\.]+$")
    broker: str = Field(..., min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_\-\.]+$",
                        examples=["binance"])
    api_key: SecretStr = Field(..., min_length=1, max_length=4096)
    secret: SecretStr = Field(..., min_length=1, max_length=4096)
    passphrase: SecretStr | None = Field(None, max_length=4096)


class CredentialPublic(BaseModel):
    """That a credential exists, and nothing secret."""

    id: int
    name: str
    broker: str
    created_ns: int
    created_by: int

"""Logins, tokens, users and API keys."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from aitrader.api.auth.roles import Role

_IN = ConfigDict(extra="forbid")
PRINTABLE = r"^[^\x00-\x1f\x7f]+$"  # no control characters (PostgreSQL refuses NUL)


class LoginRequest(BaseModel):
    """Username and password."""

    model_config = _IN
    username: str = Field(..., min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-\.@]+$")
    password: SecretStr = Field(..., min_length=1, max_length=1024)


class RefreshRequest(BaseModel):
    """A refresh token (works once)."""

    model_config = _IN
    refresh_token: str = Field(..., min_length=10, max_length=4096)


class TokenPublic(BaseModel):
    """Access and refresh tokens."""

    access_token: str
    refresh_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_at: int = Field(description="access token expiry, epoch seconds")
    refresh_expires_at: int = Field(description="refresh token expiry (idle timeout)")


class UserCreate(BaseModel):
    """A new user."""

    model_config = _IN
    username: str = Field(..., min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-\.@]+$")
    password: SecretStr = Field(..., min_length=10, max_length=1024)
    role: Role = Role.VIEWER


class UserUpdate(BaseModel):
    """Changes to a user (omitted fields stay)."""

    model_config = _IN
    role: Role | None = None
    active: bool | None = None
    password: SecretStr | None = Field(None, min_length=10, max_length=1024)


class UserPublic(BaseModel):
    """A user, without the password hash."""

    id: int
    username: str
    role: Role
    active: bool
    created_ns: int


class MePublic(BaseModel):
    """The caller."""

    id: int
    username: str
    role: Role
    scopes: list[str]
    via: str


class ApiKeyCreate(BaseModel):
    """A new API key with some of the owner's scopes."""

    model_config = _IN
    name: str = Field(..., min_length=1, max_length=64, pattern=PRINTABLE)
    scopes: list[str] = Field(default_factory=lambda: ["read"], min_length=1, max_length=3)


class ApiKeyPublic(BaseModel):
    """An API key's metadata (never the key)."""

    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_ns: int
    last_used_ns: int | None
    revoked_ns: int | None
    user_id: int


class ApiKeyCreated(ApiKeyPublic):
    """A new key: ``key`` is shown this once and cannot be retrieved later."""

    key: str

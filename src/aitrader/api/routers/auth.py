"""Login, token refresh, logout, the caller, and API keys."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from aitrader.api.deps import AnyUser, Ctx
from aitrader.api.errors import Forbidden, ResourceNotFound, TooManyRequests
from aitrader.api.schemas.auth import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyPublic,
    LoginRequest,
    MePublic,
    RefreshRequest,
    TokenPublic,
)

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post("/login", response_model=TokenPublic)
def login(body: LoginRequest, request: Request, ctx: Ctx) -> TokenPublic:
    """Exchange a username and password for tokens (attempts are rate limited per IP)."""
    ip = request.client.host if request.client else "unknown"
    retry = ctx.login_limiter.hit(f"login:{ip}")
    if retry is not None:
        raise TooManyRequests(f"too many login attempts from {ip}; wait {int(retry) + 1} s",
                              {"Retry-After": str(int(retry) + 1)})
    pair = ctx.auth.login(body.username, body.password.get_secret_value())
    ctx.login_limiter.reset(f"login:{ip}")
    return TokenPublic(access_token=pair.access_token, refresh_token=pair.refresh_token,
                       expires_at=pair.expires_at, refresh_expires_at=pair.refresh_expires_at)


@router.post("/refresh", response_model=TokenPublic)
def refresh(body: RefreshRequest, ctx: Ctx) -> TokenPublic:
    """New tokens for a refresh token; the old refresh token stops working."""
    pair = ctx.auth.refresh(body.refresh_token)
    return TokenPublic(access_token=pair.access_token, refresh_token=pair.refresh_token,
                       expires_at=pair.expires_at, refresh_expires_at=pair.refresh_expires_at)


@router.post("/logout", status_code=204)
def logout(me: AnyUser, ctx: Ctx) -> Response:
    """End this session (its tokens stop working)."""
    if me.session_id is not None:
        ctx.auth.logout(me.session_id)
    return Response(status_code=204)


@router.get("/me", response_model=MePublic)
def whoami(me: AnyUser) -> MePublic:
    """Who the token or key belongs to."""
    return MePublic(id=me.user_id, username=me.username, role=me.role,
                    scopes=sorted(me.scopes), via=me.via)


@router.post("/api-keys", response_model=ApiKeyCreated, status_code=201)
def create_api_key(body: ApiKeyCreate, me: AnyUser, ctx: Ctx) -> ApiKeyCreated:
    """A new key for the caller; the key is in this response only."""
    if me.via == "api_key":
        raise Forbidden("an API key cannot create API keys; log in with a password")
    key, row = ctx.auth.create_api_key(me, body.name, body.scopes)
    return ApiKeyCreated(key=key, **_key_fields(row))


@router.get("/api-keys", response_model=list[ApiKeyPublic])
def list_api_keys(me: AnyUser, ctx: Ctx) -> list[ApiKeyPublic]:
    """The caller's keys (an admin sees all)."""
    rows = ctx.auth.keys.of_user(None if me.is_admin else me.user_id)
    return [ApiKeyPublic(**_key_fields(r)) for r in rows]


@router.delete("/api-keys/{key_id}", response_model=ApiKeyPublic)
def revoke_api_key(key_id: Annotated[int, Path(ge=1, le=2**31 - 1)], me: AnyUser,
                   ctx: Ctx) -> ApiKeyPublic:
    """Revoke a key: it stops working at once."""
    row = ctx.auth.keys.get(key_id)
    if row is None or (row.user_id != me.user_id and not me.is_admin):
        raise ResourceNotFound(f"unknown API key {key_id}")
    revoked = ctx.auth.revoke_api_key(key_id)
    assert revoked is not None  # noqa: S101 - it existed a moment ago
    return ApiKeyPublic(**_key_fields(revoked))


def _key_fields(row: object) -> dict[str, Any]:
    names = ("id", "name", "prefix", "scopes", "created_ns", "last_used_ns", "revoked_ns",
             "user_id")
    return {n: getattr(row, n) for n in names}

"""Dependencies as Annotated aliases: the context, the caller, and the role a route needs.

FastAPI resolves every dependency node on every request (tens of microseconds each), so the
caller's identity and role are one node over the two security schemes, not a chain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from aitrader.api.auth.principal import Principal
from aitrader.api.auth.roles import Role
from aitrader.api.auth.service import NeedsIO
from aitrader.api.context import ApiContext
from aitrader.api.errors import Forbidden, TooManyRequests

_bearer = HTTPBearer(auto_error=False, description="JWT access token (or an API key)")
_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="API key")
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)]
ApiKeyValue = Annotated[str | None, Security(_api_key)]


async def get_context(request: Request) -> ApiContext:
    """The app's context."""
    ctx: ApiContext = request.app.state.ctx
    return ctx


Ctx = Annotated[ApiContext, Depends(get_context)]


async def authenticate(ctx: ApiContext, bearer: HTTPAuthorizationCredentials | None,
                       api_key: str | None) -> Principal:
    """Authenticate (from the caches on the event loop; a miss reads the database on a
    thread), then count the call against the user's rate limit."""
    token = None if bearer is None else bearer.credentials
    try:
        principal = ctx.auth.authenticate(token, api_key, allow_io=False)
    except NeedsIO:
        principal = await run_in_threadpool(ctx.auth.authenticate, token, api_key)
    retry = ctx.user_limiter.hit(f"user:{principal.user_id}")
    if retry is not None:
        raise TooManyRequests(
            f"rate limit of {ctx.user_limiter.limit} requests per minute per user reached",
            {"Retry-After": str(max(1, int(retry)))})
    return principal


async def current_principal(request: Request, bearer: BearerCredentials,
                            api_key: ApiKeyValue) -> Principal:
    """The authenticated caller, whatever their role."""
    return await authenticate(request.app.state.ctx, bearer, api_key)


def _allowed(principal: Principal, role: Role) -> Principal:
    if not principal.allows(role):
        raise Forbidden(f"this needs role {role.value} (scope {role.scope}); you are "
                        f"{principal.role.value} with scopes "
                        f"{', '.join(sorted(principal.scopes)) or 'none'}")
    return principal


def require(role: Role) -> object:
    """A dependency that lets through callers whose role and scopes cover ``role``."""

    async def check(request: Request, bearer: BearerCredentials,
                    api_key: ApiKeyValue) -> Principal:
        return _allowed(await authenticate(request.app.state.ctx, bearer, api_key), role)

    return Depends(check)


async def caller_with_role(request: Request, role: Role) -> Principal:
    """For a plain Starlette endpoint: the same security schemes (called directly, so the
    headers are read exactly as for the dependencies), authentication, user rate limit and
    role check as ``require(role)``."""
    bearer, api_key = await _bearer(request), await _api_key(request)
    return _allowed(await authenticate(request.app.state.ctx, bearer, api_key), role)


Viewer = Annotated[Principal, require(Role.VIEWER)]
Trader = Annotated[Principal, require(Role.TRADER)]
Admin = Annotated[Principal, require(Role.ADMIN)]
AnyUser = Annotated[Principal, Depends(current_principal)]

"""The FastAPI application: routers, errors, security middleware, the websocket, and the
dashboard's built files when present."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

from aitrader import __version__
from aitrader.api.context import ApiContext
from aitrader.api.docs_offline import mount_offline_docs
from aitrader.api.errors import ErrorBody, ResourceNotFound, install_error_handlers
from aitrader.api.middleware import IpRateLimit, SecurityHeaders
from aitrader.api.routers import (
    accounts,
    auth,
    backtests,
    credentials,
    health,
    market_data,
    models,
    orders,
    risk,
    settings,
    strategies,
    users,
)
from aitrader.api.ws import EventHub
from aitrader.api.ws import router as ws_router

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text} for status, text in (
        (401, "not authenticated"), (403, "role or scope does not allow it"),
        (404, "not found"), (409, "conflicts with the current state"),
        (422, "invalid input"), (429, "rate limited"), (503, "engine or storage unavailable"))
}
_ROUTERS = (health, auth, users, accounts, orders, strategies, market_data, models, backtests,
            risk, credentials, settings)
# FastAPI tries included routers one after the other, a few microseconds per route passed, so
# the hottest ones go first (their paths overlap no other router's; `aitrader api openapi`
# sorts the paths, so the written schema does not change).
_MATCH_ORDER = (health, orders, *(m for m in _ROUTERS if m not in (health, orders)))


def create_app(ctx: ApiContext) -> FastAPI:
    """The app over a built context (the caller starts and stops the trading service)."""
    hub = EventHub()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        hub.bind(asyncio.get_running_loop())
        ctx.service.add_listener(hub.listener)
        try:
            yield
        finally:
            ctx.service.remove_listener(hub.listener)

    app = FastAPI(
        title="aitrader", version=__version__, lifespan=lifespan, docs_url=None,
        description="Trading engine API: accounts, orders, strategies, market data, models, "
                    "backtests, risk. Authenticate with a Bearer JWT from /api/auth/login or "
                    "an X-API-Key. Money is sent as decimal strings.",
    )
    app.state.ctx = ctx
    app.state.hub = hub
    install_error_handlers(app)
    for module in _MATCH_ORDER:
        app.include_router(module.router, responses=_ERRORS)
    # GET /api/orders, the hottest route, also as a plain Starlette route tried before all
    # routers; the FastAPI route above documents it (the tests check both answer alike)
    app.router.routes[:0] = orders.plain_routes()
    app.include_router(ws_router)
    mount_offline_docs(app)
    _mount_dashboard(app, ctx)
    app.add_middleware(CORSMiddleware, allow_origins=ctx.settings.origins(),
                       allow_credentials=True, allow_methods=["GET", "POST", "PUT", "PATCH",
                                                              "DELETE"],
                       allow_headers=["Authorization", "Content-Type", "Idempotency-Key",
                                      "X-API-Key"], max_age=600)
    app.add_middleware(SecurityHeaders, hsts=ctx.settings.tls_certfile is not None)
    app.add_middleware(IpRateLimit, limiter=ctx.ip_limiter)
    return app


def _mount_dashboard(app: FastAPI, ctx: ApiContext) -> None:
    dist = ctx.settings.frontend_dist
    index = dist / "index.html"
    if not index.is_file():
        @app.get("/", include_in_schema=False)
        def no_dashboard() -> HTMLResponse:
            return HTMLResponse("<!doctype html><title>aitrader</title><p>aitrader API is "
                                "running. The dashboard is not built (npm run build in "
                                "frontend/). API docs: <a href='/docs'>/docs</a></p>")
        return
    if (dist / "assets").is_dir():
        app.mount("/assets", StaticFiles(directory=dist / "assets"), name="assets")
    root = dist.resolve()

    @app.get("/{path:path}", include_in_schema=False)
    def dashboard(path: str) -> FileResponse:
        if path.startswith(("api/", "ws")):
            raise ResourceNotFound(f"no route {path}")
        candidate = (root / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(root):
            return FileResponse(candidate)
        return FileResponse(index)  # client-side routes of the single-page app

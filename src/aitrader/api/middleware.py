"""Pure ASGI middleware (cheaper than BaseHTTPMiddleware): security headers on every response,
and the per-IP rate limit before anything else runs."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aitrader.api.rate_limit import RateLimiter

_COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
_CSP_API = b"default-src 'none'; frame-ancestors 'none'"
_CSP_DOCS = (b"default-src 'self'; script-src 'self' 'unsafe-inline'; "
             b"style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'")
_CSP_APP = (b"default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
            b"style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")


class SecurityHeaders:
    """Adds the headers; HSTS too when served over TLS."""

    def __init__(self, app: ASGIApp, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        csp = (_CSP_API if path.startswith("/api") else
               _CSP_DOCS if path.startswith(("/docs", "/redoc")) else _CSP_APP)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(_COMMON)
                headers.append((b"content-security-policy", csp))
                if path.startswith("/api"):
                    headers.append((b"cache-control", b"no-store"))
                if self.hsts:
                    headers.append((b"strict-transport-security",
                                    b"max-age=31536000; includeSubDomains"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class IpRateLimit:
    """429 with Retry-After once a client IP exceeds its requests per minute."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        client: Any = scope.get("client")
        ip = client[0] if client else "unknown"
        retry = self.limiter.hit(f"ip:{ip}")
        if retry is None:
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        body = json.dumps({"code": "rate_limited", "detail": (
            f"rate limit of {self.limiter.limit} requests per minute per IP reached")}).encode()
        await send({"type": "http.response.start", "status": 429, "headers": [
            (b"content-type", b"application/json"), (b"retry-after", str(max(1, int(retry)))
                                                     .encode()),
            (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

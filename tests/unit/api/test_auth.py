"""Authentication and authorisation: every route refuses strangers, roles and scopes hold."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from api_harness import PASSWORD, Api, make_api
from fastapi.routing import APIRoute, APIWebSocketRoute

from aitrader.api.auth.tokens import ISSUER

# routes a stranger may call; everything else must answer 401 without credentials
PUBLIC = {("POST", "/api/auth/login"), ("POST", "/api/auth/refresh"), ("GET", "/healthz"),
          ("GET", "/"), ("GET", "/openapi.json"), ("GET", "/docs"), ("HEAD", "/docs"),
          ("GET", "/docs/oauth2-redirect"), ("GET", "/redoc"), ("HEAD", "/openapi.json"),
          ("HEAD", "/redoc"), ("HEAD", "/docs/oauth2-redirect")}
ORDER = {"account_id": "paper", "instrument_id": "BTC/USDT@SIM", "side": "BUY",
         "quantity": "0.01"}


def _concrete(path: str) -> str:
    return (path.replace("{symbol:path}", "BTCUSDT").replace("{account_id}", "paper")
            .replace("{key_id}", "1").replace("{user_id}", "1").replace("{credential_id}", "1")
            .replace("{client_order_id}", "x-1").replace("{strategy_id}", "sma-btc")
            .replace("{model_id}", "m1").replace("{run_id}", "r1"))


def _routes(routes: list[Any]) -> Iterator[Any]:
    """Every route, also inside included routers (FastAPI wraps those)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _routes(inner.routes)
        else:
            yield route


def test_every_route_of_the_app_refuses_an_anonymous_call(api: Api) -> None:
    checked = 0
    for route in _routes(api.client.app.routes):  # type: ignore[attr-defined]
        if isinstance(route, APIWebSocketRoute) or not isinstance(route, APIRoute):
            continue
        for method in route.methods:
            if (method, route.path) in PUBLIC:
                continue
            resp = api.client.request(method, _concrete(route.path))
            assert resp.status_code == 401, (method, route.path, resp.text)
            assert resp.json()["code"] == "unauthorized"
            checked += 1
    assert checked >= 30


def test_the_websocket_refuses_an_anonymous_client(api: Api) -> None:
    with pytest.raises(Exception), api.client.websocket_connect("/ws") as ws:  # noqa: B017
        ws.receive_json()


def test_a_viewer_reads_but_cannot_place_orders_or_press_the_kill_switch(api: Api) -> None:
    viewer = api.headers("viewer")
    assert api.client.get("/api/accounts", headers=viewer).status_code == 200
    resp = api.client.post("/api/orders", json=ORDER, headers=viewer)
    assert resp.status_code == 403
    assert "needs role trader" in resp.json()["detail"]
    assert api.client.post("/api/risk/kill-switch", json={}, headers=viewer).status_code == 403


def test_a_trader_trades_but_cannot_administer(api: Api) -> None:
    trader = api.headers("trader")
    assert api.client.post("/api/orders", json=ORDER, headers=trader).status_code == 201
    assert api.client.get("/api/users", headers=trader).status_code == 403
    assert api.client.delete("/api/risk/kill-switch", headers=trader).status_code == 403
    assert api.client.put("/api/risk/limits", json={"max_positions": 3},
                          headers=trader).status_code == 403


def test_an_expired_token_is_refused(api: Api) -> None:
    now = int(time.time())
    claims = {"iss": ISSUER, "sub": "1", "sid": api.tokens["admin"]["access_token"][:8],
              "typ": "access", "iat": now - 120, "exp": now - 60, "jti": "x", "role": "admin"}
    token = jwt.encode(claims, api.ctx.secrets.jwt_key, algorithm="HS256")
    resp = api.client.get("/api/accounts", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 401
    assert resp.json()["detail"] == "token expired"


def test_a_tampered_token_is_refused(api: Api) -> None:
    token = api.tokens["viewer"]["access_token"]
    header, payload, sig = token.split(".")
    forged = jwt.encode({**jwt.decode(token, options={"verify_signature": False}),
                         "role": "admin"}, "not-the-key", algorithm="HS256")
    swapped = f"{header}.{forged.split('.')[1]}.{sig}"
    for bad in (f"{header}.{payload}.{sig[::-1]}", forged, swapped):
        resp = api.client.get("/api/accounts", headers={"Authorization": f"Bearer {bad}"})
        assert resp.status_code == 401, bad
        assert resp.json()["detail"].startswith("invalid token")


def test_a_refresh_token_cannot_be_used_as_an_access_token(api: Api) -> None:
    token = api.tokens["admin"]["refresh_token"]
    resp = api.client.get("/api/accounts", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 401
    assert "expected a access token" in resp.json()["detail"]


def test_refresh_rotates_and_a_reused_refresh_token_ends_the_session(api: Api) -> None:
    first = api.tokens["trader"]["refresh_token"]
    resp = api.client.post("/api/auth/refresh", json={"refresh_token": first})
    assert resp.status_code == 200
    fresh = resp.json()
    assert api.client.get("/api/auth/me", headers={
        "Authorization": f"Bearer {fresh['access_token']}"}).json()["username"] == "trader"
    replay = api.client.post("/api/auth/refresh", json={"refresh_token": first})
    assert replay.status_code == 401
    # the replay ended the session: the rotated tokens stop working too
    again = api.client.post("/api/auth/refresh", json={"refresh_token": fresh["refresh_token"]})
    assert again.status_code == 401
    assert api.client.get("/api/auth/me", headers={
        "Authorization": f"Bearer {fresh['access_token']}"}).status_code == 401


def test_logout_ends_the_session_at_once(api: Api) -> None:
    headers = api.headers("viewer")
    assert api.client.post("/api/auth/logout", headers=headers).status_code == 204
    resp = api.client.get("/api/accounts", headers=headers)
    assert resp.status_code == 401
    assert resp.json()["detail"] == "session ended; log in again"


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(api: Api) -> None:
    a = api.client.post("/api/auth/login", json={"username": "admin", "password": "nope"})
    b = api.client.post("/api/auth/login", json={"username": "ghost", "password": PASSWORD})
    assert a.status_code == b.status_code == 401
    assert a.json() == b.json()


def test_a_revoked_api_key_stops_working(api: Api) -> None:
    created = api.client.post("/api/auth/api-keys", json={"name": "bot", "scopes": ["read",
                                                          "trade"]},
                              headers=api.headers("trader"))
    assert created.status_code == 201
    key = created.json()["key"]
    assert api.client.get("/api/accounts", headers={"X-API-Key": key}).status_code == 200
    assert api.client.post("/api/orders", json=ORDER,
                           headers={"Authorization": f"Bearer {key}"}).status_code == 201
    listed = api.client.get("/api/auth/api-keys", headers=api.headers("trader")).json()
    assert all("key" not in k and "key_hash" not in k for k in listed)
    revoked = api.client.delete(f"/api/auth/api-keys/{created.json()['id']}",
                                headers=api.headers("trader"))
    assert revoked.status_code == 200 and revoked.json()["revoked_ns"] is not None
    resp = api.client.get("/api/accounts", headers={"X-API-Key": key})
    assert resp.status_code == 401
    assert resp.json()["detail"] == "API key revoked"


def test_an_api_key_is_limited_to_its_scopes_and_its_owners_role(api: Api) -> None:
    read_only = api.client.post("/api/auth/api-keys", json={"name": "ro", "scopes": ["read"]},
                                headers=api.headers("trader")).json()["key"]
    resp = api.client.post("/api/orders", json=ORDER, headers={"X-API-Key": read_only})
    assert resp.status_code == 403
    too_much = api.client.post("/api/auth/api-keys", json={"name": "x", "scopes": ["admin"]},
                               headers=api.headers("trader"))
    assert too_much.status_code == 403
    forged = read_only[:-4] + "AAAA"
    assert api.client.get("/api/accounts", headers={"X-API-Key": forged}).status_code == 401


def test_a_disabled_user_loses_access(api: Api) -> None:
    me = api.client.get("/api/auth/me", headers=api.headers("viewer")).json()
    resp = api.client.patch(f"/api/users/{me['id']}", json={"active": False},
                            headers=api.headers("admin"))
    assert resp.status_code == 200 and resp.json()["active"] is False
    assert api.client.get("/api/accounts", headers=api.headers("viewer")).status_code == 401


def test_responses_carry_security_headers_and_cors_allows_only_configured_origins(
    api: Api,
) -> None:
    resp = api.client.get("/api/accounts", headers=api.headers("viewer"))
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert resp.headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in resp.headers["content-security-policy"]
    assert resp.headers["cache-control"] == "no-store"
    ok = api.client.options("/api/accounts", headers={
        "Origin": "http://dashboard.example", "Access-Control-Request-Method": "GET"})
    assert ok.headers.get("access-control-allow-origin") == "http://dashboard.example"
    bad = api.client.options("/api/accounts", headers={
        "Origin": "http://evil.example", "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in bad.headers


def test_login_attempts_and_requests_are_rate_limited(tmp_path: Path) -> None:
    for api in make_api(tmp_path, AITRADER_LOGIN_ATTEMPTS_PER_MIN=5,
                        AITRADER_RATE_LIMIT_USER_PER_MIN=8):
        codes = [api.client.post("/api/auth/login", json={"username": "admin",
                                                          "password": "wrong"}).status_code
                 for _ in range(6)]
        assert codes[-1] == 429
        headers = api.headers("viewer")
        codes = [api.client.get("/api/auth/me", headers=headers).status_code for _ in range(9)]
        assert codes[:8] == [200] * 8 and codes[8] == 429
        resp = api.client.get("/api/auth/me", headers=headers)
        assert int(resp.headers["retry-after"]) >= 1
        assert "per user" in resp.json()["detail"]

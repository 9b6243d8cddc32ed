"""The cache of verified access tokens saves the signature check on repeated requests, and never
lets through what a fresh check would refuse: expired, tampered, logged-out, disabled."""

from __future__ import annotations

import time

import jwt
import pytest
from api_harness import Api

from aitrader.api.auth.token_cache import VerifiedTokenCache
from aitrader.api.auth.tokens import ISSUER


class FakeClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_cached_token_is_forgotten_once_its_expiry_has_come() -> None:
    clock = FakeClock(1000.0)
    cache: VerifiedTokenCache[str] = VerifiedTokenCache(8, clock)
    cache.put("t", 1010, "claims")
    clock.now = 1009.9
    assert cache.get("t") == "claims"
    clock.now = 1010.0  # expired at exp itself, as PyJWT has it
    assert cache.get("t") is None
    assert len(cache) == 0


def test_the_cache_holds_at_most_its_capacity_dropping_the_least_recently_used() -> None:
    cache: VerifiedTokenCache[int] = VerifiedTokenCache(2, FakeClock(0.0))
    cache.put("a", 10, 1)
    cache.put("b", 10, 2)
    assert cache.get("a") == 1  # a is now the most recently used
    cache.put("c", 10, 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    assert len(cache) == 2


def test_a_cache_without_room_is_refused() -> None:
    with pytest.raises(ValueError, match="capacity must be >= 1, was 0"):
        VerifiedTokenCache(0)


def _get(api: Api, token: str) -> int:
    return api.client.get("/api/accounts", headers={"Authorization": f"Bearer {token}"}
                          ).status_code


def test_a_token_seen_before_is_refused_once_it_expires(api: Api) -> None:
    claims = jwt.decode(api.tokens["viewer"]["access_token"], options={"verify_signature": False})
    exp = int(time.time()) + 2
    token = jwt.encode({**claims, "exp": exp, "jti": "short"}, api.ctx.secrets.jwt_key,
                       algorithm="HS256")
    assert _get(api, token) == 200
    assert _get(api, token) == 200  # answered from the cache
    while time.time() < exp:
        time.sleep(0.05)
    resp = api.client.get("/api/accounts", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 401
    assert resp.json()["detail"] == "token expired"


def test_a_tampered_copy_of_a_cached_token_is_refused(api: Api) -> None:
    token = api.tokens["viewer"]["access_token"]
    assert _get(api, token) == 200
    header, payload, sig = token.split(".")
    for bad in (f"{header}.{payload}.{sig[:-2]}{'AA' if sig[-2:] != 'AA' else 'BB'}",
                f"{header}.{payload}x.{sig}", token + "."):
        assert _get(api, bad) == 401, bad
    assert _get(api, token) == 200


def test_a_logged_out_sessions_cached_token_is_refused_at_once(api: Api) -> None:
    token = api.tokens["trader"]["access_token"]
    assert _get(api, token) == 200
    assert _get(api, token) == 200
    logout = api.client.post("/api/auth/logout", headers={"Authorization": f"Bearer {token}"})
    assert logout.status_code == 204
    resp = api.client.get("/api/accounts", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 401
    assert resp.json()["detail"] == "session ended; log in again"


def test_a_disabled_users_cached_token_is_refused_at_once(api: Api) -> None:
    token = api.tokens["viewer"]["access_token"]
    assert _get(api, token) == 200
    user_id = jwt.decode(token, options={"verify_signature": False})["sub"]
    resp = api.client.patch(f"/api/users/{user_id}", json={"active": False},
                            headers=api.headers("admin"))
    assert resp.status_code == 200
    assert _get(api, token) == 401


def test_a_token_signed_with_another_key_is_refused_even_with_the_same_claims(api: Api) -> None:
    token = api.tokens["viewer"]["access_token"]
    assert _get(api, token) == 200
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["iss"] == ISSUER
    forged = jwt.encode(claims, "another-key-of-at-least-32-bytes!!", algorithm="HS256")
    assert forged != token
    assert _get(api, forged) == 401

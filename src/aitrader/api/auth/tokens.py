"""JWT access and refresh tokens (HS256, PyJWT). Access tokens are short-lived; a refresh token
names its session and rotates on every use."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import jwt

from aitrader.api.auth.token_cache import VerifiedTokenCache

ISSUER = "aitrader"
ALGORITHM = "HS256"


class TokenInvalid(Exception):
    """The token is malformed, tampered with, expired or of the wrong type."""


@dataclass(frozen=True)
class TokenClaims:
    """What a verified token says."""

    user_id: int
    session_id: str
    kind: str
    jti: str
    expires_s: int
    role: str | None = None


class TokenIssuer:
    """Signs and verifies tokens with one secret. Verified access tokens are remembered until
    they expire (HS256 verification costs ~0.1 ms, on every request otherwise)."""

    def __init__(self, secret: str, access_ttl_s: int, cache_size: int = 4096) -> None:
        self._secret = secret
        self.access_ttl_s = access_ttl_s
        self._verified: VerifiedTokenCache[TokenClaims] = VerifiedTokenCache(cache_size)

    def access(self, user_id: int, role: str, session_id: str) -> tuple[str, int]:
        """(token, expiry epoch s)."""
        return self._encode(user_id, session_id, "access", self.access_ttl_s, role=role)

    def refresh(self, user_id: int, session_id: str, ttl_s: int) -> tuple[str, str, int]:
        """(token, jti, expiry epoch s)."""
        jti = uuid.uuid4().hex
        token, exp = self._encode(user_id, session_id, "refresh", ttl_s, jti=jti)
        return token, jti, exp

    def _encode(self, user_id: int, session_id: str, kind: str, ttl_s: int,
                role: str | None = None, jti: str | None = None) -> tuple[str, int]:
        now = int(time.time())
        exp = now + max(1, ttl_s)
        claims: dict[str, Any] = {"iss": ISSUER, "sub": str(user_id), "sid": session_id,
                                  "typ": kind, "iat": now, "exp": exp,
                                  "jti": jti or uuid.uuid4().hex}
        if role is not None:
            claims["role"] = role
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM), exp

    def verify(self, token: str, kind: str) -> TokenClaims:
        """Check signature, issuer, expiry and type; TokenInvalid says which failed."""
        cached = self._verified.get(token) if kind == "access" else None
        if cached is not None:
            return cached
        verified = self._verify(token, kind)
        if kind == "access":
            self._verified.put(token, verified.expires_s, verified)
        return verified

    def _verify(self, token: str, kind: str) -> TokenClaims:
        try:
            claims = jwt.decode(token, self._secret, algorithms=[ALGORITHM], issuer=ISSUER,
                                options={"require": ["exp", "iat", "sub", "typ", "sid", "jti"]})
        except jwt.ExpiredSignatureError:
            raise TokenInvalid("token expired") from None
        except jwt.InvalidTokenError as exc:
            raise TokenInvalid(f"invalid token: {exc}") from None
        if claims.get("typ") != kind:
            raise TokenInvalid(f"expected a {kind} token, got a {claims.get('typ')} token")
        try:
            user_id = int(claims["sub"])
        except (TypeError, ValueError):
            raise TokenInvalid("invalid token: bad subject") from None
        return TokenClaims(user_id, str(claims["sid"]), kind, str(claims["jti"]),
                           int(claims["exp"]), claims.get("role"))

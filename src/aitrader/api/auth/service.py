"""Logins, sessions, tokens, API keys and users: the rules, on top of the repositories. Reads
on the request path are cached for a few seconds; changes made here clear the cache at once."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from aitrader.api.auth.passwords import PasswordHashing
from aitrader.api.auth.principal import Principal
from aitrader.api.auth.roles import SCOPES, Role
from aitrader.api.auth.tokens import TokenInvalid, TokenIssuer
from aitrader.api.errors import Forbidden, InvalidInput, Unauthorized
from aitrader.storage.auth_models import ApiKeyRow, UserRow
from aitrader.storage.auth_repository import (
    ApiKeyRepository,
    SessionRepository,
    Sessions,
    UserRepository,
)

KEY_PREFIX = "ak_"
_NS = 1_000_000_000


@dataclass(frozen=True)
class TokenPair:
    """What a login or refresh returns."""

    access_token: str
    refresh_token: str
    expires_at: int
    refresh_expires_at: int
    session_id: str


class NeedsIO(Exception):
    """The answer is not cached; ask again where blocking I/O is allowed."""


class _Ttl:
    """A tiny TTL cache (values are immutable snapshots)."""

    def __init__(self, ttl_s: float) -> None:
        self._ttl = ttl_s
        self._items: dict[Any, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            item = self._items.get(key)
        if item is None or time.monotonic() - item[0] > self._ttl:
            return None
        return item[1]

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            if len(self._items) > 50_000:
                self._items.clear()
            self._items[key] = (time.monotonic(), value)

    def drop(self, key: Any) -> None:
        with self._lock:
            self._items.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


@dataclass(frozen=True)
class _UserView:
    id: int
    username: str
    role: Role
    active: bool


class AuthService:
    """Authentication for the API."""

    def __init__(self, sessions: Sessions, tokens: TokenIssuer, idle_timeout_s: int,
                 session_max_s: int, hashing: PasswordHashing | None = None,
                 cache_ttl_s: float = 5.0) -> None:
        self.users = UserRepository(sessions)
        self.sessions = SessionRepository(sessions)
        self.keys = ApiKeyRepository(sessions)
        self.tokens = tokens
        self.hashing = hashing or PasswordHashing()
        self._idle_s = idle_timeout_s
        self._max_s = session_max_s
        self._user_cache = _Ttl(cache_ttl_s)
        self._session_cache = _Ttl(cache_ttl_s)
        self._key_cache = _Ttl(cache_ttl_s)

    # --- users --------------------------------------------------------------------------------
    def create_user(self, username: str, password: str, role: Role) -> UserRow:
        """A new user; the password is checked for length and hashed with argon2id."""
        if not username or len(username) > 64 or not username.replace("_", "").replace(
                "-", "").replace(".", "").replace("@", "").isalnum():
            raise InvalidInput(f"username must be 1-64 letters, digits or _-.@, was {username!r}")
        return self.users.create(username, self.hashing.hash(password), role.value)

    def update_user(self, user_id: int, role: Role | None = None, active: bool | None = None,
                    password: str | None = None) -> UserRow | None:
        """Change a user; disabling or a new password ends their sessions."""
        values: dict[str, Any] = {}
        if role is not None:
            values["role"] = role.value
        if active is not None:
            values["active"] = active
        if password is not None:
            values["password_hash"] = self.hashing.hash(password)
        row = self.users.update(user_id, **values)
        if row is not None and (active is False or password is not None):
            self.sessions.revoke_user(user_id)
            self._session_cache.clear()
        self._user_cache.drop(user_id)
        self._key_cache.clear()
        return row

    def _user(self, user_id: int, allow_io: bool = True) -> _UserView | None:
        view = self._user_cache.get(user_id)
        if view is None:
            if not allow_io:
                raise NeedsIO
            row = self.users.get(user_id)
            if row is None:
                return None
            view = _UserView(row.id, row.username, Role(row.role), row.active)
            self._user_cache.put(user_id, view)
        return view  # type: ignore[no-any-return]  # the cache holds _UserView

    # --- logins and sessions ------------------------------------------------------------------
    def login(self, username: str, password: str) -> TokenPair:
        """Check the password and open a session; one message for every failure."""
        row = self.users.by_name(username)
        ok = self.hashing.verify(None if row is None else row.password_hash, password)
        if row is None or not ok or not row.active:
            raise Unauthorized("wrong username or password, or the user is disabled")
        session_id = uuid.uuid4().hex
        expires_s = int(time.time()) + self._max_s
        refresh, jti, refresh_exp = self.tokens.refresh(row.id, session_id,
                                                        min(self._idle_s, self._max_s))
        self.sessions.create(session_id, row.id, jti, expires_s * _NS)
        access, exp = self.tokens.access(row.id, row.role, session_id)
        return TokenPair(access, refresh, exp, refresh_exp, session_id)

    def refresh(self, refresh_token: str) -> TokenPair:
        """Rotate: a refresh token works once; reusing an old one ends the session."""
        try:
            claims = self.tokens.verify(refresh_token, "refresh")
        except TokenInvalid as exc:
            raise Unauthorized(str(exc)) from None
        session = self.sessions.get(claims.session_id)
        now_s = int(time.time())
        if session is None or session.revoked_ns is not None or session.expires_ns <= now_s * _NS:
            raise Unauthorized("session ended; log in again")
        user = self._user(claims.user_id)
        if user is None or not user.active:
            raise Unauthorized("user disabled; log in again")
        ttl = min(self._idle_s, session.expires_ns // _NS - now_s)
        refresh, jti, refresh_exp = self.tokens.refresh(user.id, session.id, ttl)
        if not self.sessions.rotate(session.id, claims.jti, jti):
            self.sessions.revoke(session.id)  # a stolen refresh token was replayed
            self._session_cache.drop(session.id)
            raise Unauthorized("refresh token already used; the session was ended")
        access, exp = self.tokens.access(user.id, user.role.value, session.id)
        return TokenPair(access, refresh, exp, refresh_exp, session.id)

    def logout(self, session_id: str) -> None:
        """End a session now."""
        self.sessions.revoke(session_id)
        self._session_cache.drop(session_id)

    def _session_open(self, session_id: str, allow_io: bool = True) -> bool:
        state = self._session_cache.get(session_id)
        if state is None:
            if not allow_io:
                raise NeedsIO
            row = self.sessions.get(session_id)
            state = (row is not None and row.revoked_ns is None, 0 if row is None
                     else row.expires_ns)
            self._session_cache.put(session_id, state)
        open_, expires_ns = state
        return bool(open_) and expires_ns > time.time_ns()

    # --- per request --------------------------------------------------------------------------
    def authenticate(self, bearer: str | None, api_key: str | None,
                     allow_io: bool = True) -> Principal:
        """The caller of a request (Bearer JWT, or an API key as X-API-Key or Bearer). With
        ``allow_io`` False, NeedsIO is raised instead of reading the database (so the event
        loop can answer from the caches and hand only misses to a thread)."""
        if api_key is None and bearer is not None and bearer.startswith(KEY_PREFIX):
            api_key, bearer = bearer, None
        if api_key is not None:
            return self._by_api_key(api_key, allow_io)
        if bearer is None:
            raise Unauthorized("authentication required: send 'Authorization: Bearer <token>' "
                               "or 'X-API-Key: <key>'")
        try:
            claims = self.tokens.verify(bearer, "access")
        except TokenInvalid as exc:
            raise Unauthorized(str(exc)) from None
        user = self._user(claims.user_id, allow_io)
        if user is None or not user.active:
            raise Unauthorized("user unknown or disabled")
        if not self._session_open(claims.session_id, allow_io):
            raise Unauthorized("session ended; log in again")
        return Principal(user.id, user.username, user.role, user.role.scopes(), "token",
                         session_id=claims.session_id)

    # --- API keys -----------------------------------------------------------------------------
    def create_api_key(self, owner: Principal, name: str, scopes: list[str]) -> tuple[str,
                                                                                      ApiKeyRow]:
        """A new key (returned once, stored hashed); scopes beyond the owner's role refused."""
        unknown = sorted(set(scopes) - set(SCOPES))
        if unknown or not scopes:
            raise InvalidInput(f"scopes must be a non-empty subset of {', '.join(SCOPES)}, "
                               f"was {scopes}")
        beyond = sorted(set(scopes) - owner.role.scopes())
        if beyond:
            raise Forbidden(f"role {owner.role.value} cannot grant scopes {', '.join(beyond)}")
        prefix = secrets.token_hex(6)
        key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        row = self.keys.create(owner.user_id, name, prefix, _sha256(key), sorted(set(scopes)))
        return key, row

    def revoke_api_key(self, key_id: int) -> ApiKeyRow | None:
        """Revoke; the key stops working immediately in this process."""
        row = self.keys.revoke(key_id)
        if row is not None:
            self._key_cache.drop(row.prefix)
        return row

    def _by_api_key(self, key: str, allow_io: bool = True) -> Principal:
        parts = key.split("_")
        if len(parts) < 3 or not key.startswith(KEY_PREFIX):
            raise Unauthorized("invalid API key")
        prefix = parts[1]
        row = self._key_cache.get(prefix)
        if row is None:
            if not allow_io:
                raise NeedsIO
            db_row = self.keys.by_prefix(prefix)
            row = (None if db_row is None else
                   (db_row.id, db_row.user_id, db_row.key_hash, tuple(db_row.scopes),
                    db_row.revoked_ns))
            self._key_cache.put(prefix, row or ())
        if not row or not hmac.compare_digest(row[2], _sha256(key)):
            raise Unauthorized("invalid API key")
        key_id, user_id, _, scopes, revoked = row
        if revoked is not None:
            raise Unauthorized("API key revoked")
        user = self._user(user_id, allow_io)
        if user is None or not user.active:
            raise Unauthorized("the API key's user is disabled")
        return Principal(user.id, user.username, user.role,
                         frozenset(scopes) & user.role.scopes(), "api_key", api_key_id=key_id)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()

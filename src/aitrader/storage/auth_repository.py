"""Repositories of the API's own tables: users, sessions, API keys and idempotency keys."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from aitrader.core.errors import PersistenceError
from aitrader.storage.auth_models import ApiKeyRow, IdempotencyKeyRow, SessionRow, UserRow

Sessions = sessionmaker[Session]


class DuplicateName(PersistenceError):
    """A unique name (username, key, credential name) is taken."""


class UserRepository:
    """Users and their roles."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def create(self, username: str, password_hash: str, role: str) -> UserRow:
        """A new active user; DuplicateName when the username is taken."""
        row = UserRow(username=username, password_hash=password_hash, role=role, active=True,
                      created_ns=time.time_ns())
        try:
            with self._sessions.begin() as s:
                s.add(row)
        except IntegrityError:
            raise DuplicateName(f"username {username!r} is taken") from None
        return row

    def by_name(self, username: str) -> UserRow | None:
        """A user by name."""
        with self._sessions() as s:
            return s.scalar(select(UserRow).where(UserRow.username == username))

    def get(self, user_id: int) -> UserRow | None:
        """A user by id."""
        with self._sessions() as s:
            return s.get(UserRow, user_id)

    def all(self) -> list[UserRow]:
        """Every user, by id."""
        with self._sessions() as s:
            return list(s.scalars(select(UserRow).order_by(UserRow.id)))

    def count(self) -> int:
        """How many users exist."""
        with self._sessions() as s:
            return len(list(s.scalars(select(UserRow.id))))

    def update(self, user_id: int, **values: Any) -> UserRow | None:
        """Change role, active or password_hash; None when the user does not exist."""
        with self._sessions.begin() as s:
            row = s.get(UserRow, user_id)
            if row is None:
                return None
            for key, value in values.items():
                setattr(row, key, value)
            return row


class SessionRepository:
    """Login sessions: one refresh token id at a time (rotated on refresh)."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def create(self, session_id: str, user_id: int, jti: str, expires_ns: int) -> None:
        """A new session."""
        now = time.time_ns()
        with self._sessions.begin() as s:
            s.add(SessionRow(id=session_id, user_id=user_id, refresh_jti=jti, created_ns=now,
                             last_seen_ns=now, expires_ns=expires_ns, revoked_ns=None))

    def get(self, session_id: str) -> SessionRow | None:
        """A session by id."""
        with self._sessions() as s:
            return s.get(SessionRow, session_id)

    def rotate(self, session_id: str, old_jti: str, new_jti: str) -> bool:
        """Replace the refresh token id if ``old_jti`` is still current (a reused refresh token
        loses the race and gets False)."""
        with self._sessions.begin() as s:
            result = s.execute(update(SessionRow).where(
                SessionRow.id == session_id, SessionRow.refresh_jti == old_jti,
                SessionRow.revoked_ns.is_(None),
            ).values(refresh_jti=new_jti, last_seen_ns=time.time_ns()))
            return bool(result.rowcount)  # type: ignore[attr-defined]  # CursorResult

    def revoke(self, session_id: str) -> None:
        """End a session."""
        with self._sessions.begin() as s:
            s.execute(update(SessionRow).where(SessionRow.id == session_id,
                                               SessionRow.revoked_ns.is_(None))
                      .values(revoked_ns=time.time_ns()))

    def revoke_user(self, user_id: int) -> None:
        """End every session of a user."""
        with self._sessions.begin() as s:
            s.execute(update(SessionRow).where(SessionRow.user_id == user_id,
                                               SessionRow.revoked_ns.is_(None))
                      .values(revoked_ns=time.time_ns()))


class ApiKeyRepository:
    """API keys: prefix to find, SHA-256 to check, revoked_ns to end."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def create(self, user_id: int, name: str, prefix: str, key_hash: str,
               scopes: list[str]) -> ApiKeyRow:
        """Store a new key's hash."""
        row = ApiKeyRow(user_id=user_id, name=name, prefix=prefix, key_hash=key_hash,
                        scopes=scopes, created_ns=time.time_ns(), last_used_ns=None,
                        revoked_ns=None)
        with self._sessions.begin() as s:
            s.add(row)
        return row

    def by_prefix(self, prefix: str) -> ApiKeyRow | None:
        """The key with this prefix."""
        with self._sessions() as s:
            return s.scalar(select(ApiKeyRow).where(ApiKeyRow.prefix == prefix))

    def of_user(self, user_id: int | None) -> list[ApiKeyRow]:
        """A user's keys (every key when ``user_id`` is None)."""
        with self._sessions() as s:
            q = select(ApiKeyRow).order_by(ApiKeyRow.id)
            if user_id is not None:
                q = q.where(ApiKeyRow.user_id == user_id)
            return list(s.scalars(q))

    def get(self, key_id: int) -> ApiKeyRow | None:
        """A key by id."""
        with self._sessions() as s:
            return s.get(ApiKeyRow, key_id)

    def revoke(self, key_id: int) -> ApiKeyRow | None:
        """Mark a key revoked (idempotent); None when unknown."""
        with self._sessions.begin() as s:
            row = s.get(ApiKeyRow, key_id)
            if row is not None and row.revoked_ns is None:
                row.revoked_ns = time.time_ns()
            return row


class IdempotencyRepository:
    """Stored first responses of POSTs sent with an Idempotency-Key."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def get(self, user_id: int, key: str) -> IdempotencyKeyRow | None:
        """The stored response, or None."""
        with self._sessions() as s:
            return s.scalar(select(IdempotencyKeyRow).where(
                IdempotencyKeyRow.user_id == user_id, IdempotencyKeyRow.key == key))

    def put(self, user_id: int, key: str, request_hash: str, status_code: int,
            response: dict[str, Any]) -> IdempotencyKeyRow:
        """Store a response; when another request stored one first, return that one."""
        row = IdempotencyKeyRow(user_id=user_id, key=key, request_hash=request_hash,
                                status_code=status_code, response=response,
                                created_ns=time.time_ns())
        try:
            with self._sessions.begin() as s:
                s.add(row)
        except IntegrityError:
            first = self.get(user_id, key)
            if first is None:
                raise
            return first
        return row

    def purge_older_than(self, cutoff_ns: int) -> int:
        """Delete keys older than ``cutoff_ns``; returns how many."""
        from sqlalchemy import delete

        with self._sessions.begin() as s:
            result = s.execute(delete(IdempotencyKeyRow).where(
                IdempotencyKeyRow.created_ns < cutoff_ns))
            return int(result.rowcount)  # type: ignore[attr-defined]  # CursorResult

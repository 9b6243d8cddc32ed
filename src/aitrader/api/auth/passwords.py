"""Password hashing with argon2id (argon2-cffi's recommended parameters)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from aitrader.core.errors import ConfigError

MIN_LENGTH = 10


class PasswordHashing:
    """Hash and verify passwords; verifying an unknown user costs the same as a known one."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()
        self._dummy = self._hasher.hash("dummy password for unknown users")

    def hash(self, password: str) -> str:
        """An argon2id hash; ConfigError for a password that is too short."""
        check_strength(password)
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """True when ``password`` matches; a None hash (unknown user) still does the work."""
        try:
            return self._hasher.verify(stored_hash or self._dummy, password) and \
                stored_hash is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


def check_strength(password: str) -> None:
    """At least MIN_LENGTH characters, not all the same character."""
    if len(password) < MIN_LENGTH:
        raise ConfigError(f"password must have at least {MIN_LENGTH} characters, "
                          f"had {len(password)}")
    if len(set(password)) < 3:
        raise ConfigError("password must use at least 3 different characters")

"""Who is calling: a user, by token or API key, with the scopes in force for this request."""

from __future__ import annotations

from dataclasses import dataclass

from aitrader.api.auth.roles import Role


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller."""

    user_id: int
    username: str
    role: Role
    scopes: frozenset[str]
    via: str  # "token" or "api_key"
    session_id: str | None = None
    api_key_id: int | None = None

    def allows(self, needed: Role) -> bool:
        """True when both the role and the scopes cover ``needed``."""
        return self.role.level >= needed.level and needed.scope in self.scopes

    @property
    def is_admin(self) -> bool:
        """Role admin with the admin scope."""
        return self.allows(Role.ADMIN)

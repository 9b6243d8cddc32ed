"""Roles and the scopes they grant: viewer reads, trader also trades, admin also administers."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A user's role; each includes the rights of the ones below it."""

    VIEWER = "viewer"
    TRADER = "trader"
    ADMIN = "admin"

    @property
    def level(self) -> int:
        """0 viewer, 1 trader, 2 admin."""
        return _ORDER.index(self)

    @property
    def scope(self) -> str:
        """The API-key scope that stands for this role's rights."""
        return _SCOPE[self]

    def scopes(self) -> frozenset[str]:
        """Every scope this role may hold."""
        return frozenset(_SCOPE[r] for r in _ORDER[: self.level + 1])


_ORDER = (Role.VIEWER, Role.TRADER, Role.ADMIN)
_SCOPE = {Role.VIEWER: "read", Role.TRADER: "trade", Role.ADMIN: "admin"}
SCOPES = ("read", "trade", "admin")

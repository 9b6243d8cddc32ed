"""One error hierarchy for the whole system; adapters translate third-party errors into it."""

from __future__ import annotations


class AitraderError(Exception):
    """Base of every error aitrader raises on purpose."""


class ConfigError(AitraderError):
    """A configuration value is missing or not allowed."""


class DataError(AitraderError):
    """Market data (a file, a feed, a payload) breaks a rule."""


class StrategyError(AitraderError):
    """A strategy is misconfigured or raised inside a callback."""


class InvalidOrder(AitraderError):
    """An order (or a command on one) breaks a rule before it reaches any venue."""


class InvalidTransition(AitraderError):
    """An order event is not allowed from the order's current status."""


class VenueError(AitraderError):
    """A venue (exchange, broker, the simulator) failed or refused."""


class VenueUnavailable(VenueError):
    """The venue cannot be reached right now; retryable."""


class RateLimited(VenueError):
    """The venue asked us to slow down; retryable."""


class OrderRejected(VenueError):
    """The venue refused the order; final."""


class InsufficientFunds(OrderRejected):
    """The account cannot pay for the order; final."""


class OrderNotFound(VenueError):
    """The venue does not know the order (e.g. a cancel of an order already gone); final."""


class AuthenticationFailed(VenueError):
    """The venue refused our credentials; final until the keys change."""


class PersistenceError(AitraderError):
    """Storage refused a write or read."""

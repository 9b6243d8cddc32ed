"""ccxt exceptions → aitrader's error hierarchy, translated once at the venue boundary."""

from __future__ import annotations

import ccxt

from aitrader.core import errors

# most specific first: RateLimitExceeded is a NetworkError, InsufficientFunds an ExchangeError
_MAP: tuple[tuple[type[BaseException], type[errors.VenueError], str], ...] = (
    (ccxt.RateLimitExceeded, errors.RateLimited, "rate limited"),
    (ccxt.DDoSProtection, errors.RateLimited, "rate limited"),
    (ccxt.AuthenticationError, errors.AuthenticationFailed, "authentication failed"),
    (ccxt.InsufficientFunds, errors.InsufficientFunds, "insufficient funds"),
    (ccxt.OrderNotFound, errors.OrderNotFound, "order not found"),
    (ccxt.InvalidOrder, errors.OrderRejected, "invalid order"),
    (ccxt.BadSymbol, errors.OrderRejected, "invalid order"),
    (ccxt.BadRequest, errors.OrderRejected, "invalid order"),
    (ccxt.InvalidNonce, errors.VenueUnavailable, "exchange refused the nonce"),
    (ccxt.NetworkError, errors.VenueUnavailable, "exchange down or unreachable"),
    (ccxt.NotSupported, errors.VenueError, "not supported by the exchange"),
    (ccxt.ExchangeError, errors.VenueError, "exchange error"),
)


def translate(exc: BaseException, exchange: str, action: str) -> errors.VenueError:
    """The domain error for a ccxt exception: the kind, the exchange, what we were doing."""
    for ccxt_type, domain_type, kind in _MAP:
        if isinstance(exc, ccxt_type):
            return domain_type(f"{exchange}: {kind} while {action}: {_first_line(exc)}")
    return errors.VenueError(f"{exchange}: unexpected {type(exc).__name__} while {action}: "
                             f"{_first_line(exc)}")


def is_ambiguous(exc: BaseException) -> bool:
    """True when the request may have reached the exchange anyway (timeouts, dropped links)."""
    return isinstance(exc, ccxt.NetworkError) and not isinstance(
        exc, ccxt.RateLimitExceeded | ccxt.DDoSProtection | ccxt.InvalidNonce)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__

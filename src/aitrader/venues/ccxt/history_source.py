"""Historical bars from a crypto exchange through ccxt (implements the HistorySource port).

ccxt's own throttle (``enableRateLimit``) spaces the requests by the exchange's ``rateLimit``;
ccxt's exceptions are translated here, once: rate limits and DDoS protection → RateLimited,
network trouble, maintenance and overload (ccxt's OperationFailed) → VenueUnavailable (both
retryable), a bad symbol → DataError, anything else from the exchange → VenueError.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import ccxt

from aitrader.core.errors import DataError, RateLimited, VenueError, VenueUnavailable
from aitrader.core.ids import InstrumentId
from aitrader.core.market_data import Bar
from aitrader.data.timeframes import parse_timeframe

_NS_PER_MS = 1_000_000


def point_api_at(exchange: Any, base_url: str) -> None:
    """Send every ``urls['api']`` entry to ``base_url`` (a mirror or a local test server),
    keeping each entry's path."""
    base = base_url.rstrip("/")

    def move(value: Any) -> Any:
        if isinstance(value, str):
            parts = urlsplit(value)
            return base + parts.path if parts.scheme else value
        if isinstance(value, dict):
            return {k: move(v) for k, v in value.items()}
        return value

    exchange.urls["api"] = move(exchange.urls["api"])


def make_exchange(exchange_id: str, api_url: str | None = None,
                  markets: Sequence[Mapping[str, Any]] | None = None,
                  rate_limit_ms: int | None = None, timeout_ms: int = 30_000) -> Any:
    """A ccxt exchange with its rate limiter on; ``markets`` (ccxt's unified market
    structures) spare the markets request; ``api_url`` redirects the API."""
    cls = getattr(ccxt, exchange_id, None)
    if cls is None or not isinstance(cls, type):
        raise VenueError(f"unknown ccxt exchange {exchange_id!r}")
    config: dict[str, Any] = {"enableRateLimit": True, "timeout": timeout_ms}
    if rate_limit_ms is not None:
        config["rateLimit"] = rate_limit_ms
    exchange = cls(config)
    if api_url:
        point_api_at(exchange, api_url)
    if markets is not None:
        exchange.set_markets(list(markets))
    return exchange


class CcxtHistorySource:
    """``load_bars`` pages through ``fetch_ohlcv`` (``limit`` bars per request)."""

    def __init__(self, exchange: Any, limit: int = 1000) -> None:
        if limit < 1:
            raise VenueError(f"limit must be >= 1, was {limit}")
        self.exchange = exchange
        self.limit = limit
        self.requests = 0

    def load_bars(self, instrument_id: InstrumentId, timeframe: str, start_ns: int | None,
                  end_ns: int | None) -> Sequence[Bar]:
        """Bars with ``start_ns <= open time < end_ns`` (both bounds are required here)."""
        if start_ns is None or end_ns is None:
            raise DataError("a ccxt history request needs both a start and an end")
        tf_ns = parse_timeframe(timeframe)
        tf_ms = tf_ns // _NS_PER_MS
        since = math.ceil(start_ns / _NS_PER_MS)
        end_ms = math.ceil(end_ns / _NS_PER_MS)
        out: list[Bar] = []
        while since < end_ms:
            limit = min(self.limit, -(-(end_ms - since) // tf_ms))
            rows = [r for r in self._fetch(instrument_id.symbol, timeframe, since, limit)
                    if since <= int(r[0]) < end_ms]
            if not rows:
                break
            for r in rows:
                ts = int(r[0]) * _NS_PER_MS
                out.append(Bar(instrument_id, ts, ts + tf_ns, float(r[1]), float(r[2]),
                               float(r[3]), float(r[4]), float(r[5] or 0.0)))
            since = int(rows[-1][0]) + tf_ms
        return out

    def _fetch(self, symbol: str, timeframe: str, since: int, limit: int) -> list[list[Any]]:
        self.requests += 1
        try:
            rows: list[list[Any]] = self.exchange.fetch_ohlcv(symbol, timeframe, since=since,
                                                               limit=limit)
        except (ccxt.RateLimitExceeded, ccxt.DDoSProtection) as exc:
            raise RateLimited(f"{self.exchange.id}: rate limited: {exc}") from None
        except ccxt.OperationFailed as exc:  # network, maintenance, overload: retryable
            raise VenueUnavailable(f"{self.exchange.id}: unavailable: {exc}") from None
        except ccxt.BadSymbol as exc:
            raise DataError(f"{self.exchange.id}: unknown symbol {symbol}: {exc}") from None
        except ccxt.BaseError as exc:
            raise VenueError(f"{self.exchange.id}: fetch_ohlcv failed: {exc}") from None
        return rows

"""Recent bars per instrument for the API: in memory by default, in Redis when REDIS_URL is set
(so API workers in other processes read the same prices)."""

from __future__ import annotations

import json
import threading
from collections import deque
from typing import Any, Protocol


class BarCache(Protocol):
    """Where the engine thread writes each bar and the API reads recent ones."""

    def push_bar(self, symbol: str, bar: dict[str, Any]) -> None:
        """Append a bar of ``symbol`` (the oldest beyond the capacity is dropped)."""

    def recent(self, symbol: str, limit: int) -> list[dict[str, Any]]:
        """Up to ``limit`` latest bars, oldest first."""

    def symbols(self) -> list[str]:
        """Instruments with any cached bar."""


class InMemoryBarCache:
    """A bounded deque per instrument, guarded by a lock (written and read on other threads)."""

    def __init__(self, capacity: int = 5_000) -> None:
        self._capacity = capacity
        self._bars: dict[str, deque[dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def push_bar(self, symbol: str, bar: dict[str, Any]) -> None:
        """Append a bar."""
        with self._lock:
            self._bars.setdefault(symbol, deque(maxlen=self._capacity)).append(bar)

    def recent(self, symbol: str, limit: int) -> list[dict[str, Any]]:
        """Latest bars, oldest first."""
        with self._lock:
            bars = self._bars.get(symbol)
            return [] if not bars else list(bars)[-limit:]

    def symbols(self) -> list[str]:
        """Instruments with any bar."""
        with self._lock:
            return sorted(self._bars)


class RedisBarCache:
    """A capped Redis list per instrument (``aitrader:bars:<symbol>``), newest at the head."""

    def __init__(self, url: str, capacity: int = 5_000, prefix: str = "aitrader:bars:") -> None:
        import redis  # only when Redis is configured

        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._capacity = capacity
        self._prefix = prefix

    def push_bar(self, symbol: str, bar: dict[str, Any]) -> None:
        """LPUSH + LTRIM in one round trip."""
        key = self._prefix + symbol
        pipe = self._redis.pipeline(transaction=False)
        pipe.lpush(key, json.dumps(bar))
        pipe.ltrim(key, 0, self._capacity - 1)
        pipe.sadd(self._prefix + "index", symbol)
        pipe.execute()

    def recent(self, symbol: str, limit: int) -> list[dict[str, Any]]:
        """Latest bars, oldest first."""
        raw = self._redis.lrange(self._prefix + symbol, 0, max(0, limit - 1))
        return [json.loads(item) for item in reversed(raw)]

    def symbols(self) -> list[str]:
        """Instruments with any bar."""
        members = self._redis.smembers(self._prefix + "index")
        return sorted(m.decode() for m in members)  # type: ignore[union-attr]  # sync client

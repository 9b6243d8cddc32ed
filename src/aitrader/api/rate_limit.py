"""Fixed-window rate limits per key (client IP, user, login attempt), in this process."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    """At most ``limit`` hits per key in each ``window_s`` window; thread-safe."""

    def __init__(self, limit: int, window_s: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._window = window_s
        self._clock = clock
        self._counts: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> float | None:
        """Count a hit; None when allowed, else the seconds until the window resets."""
        now = self._clock()
        window = int(now // self._window)
        with self._lock:
            current, count = self._counts.get(key, (window, 0))
            if current != window:
                current, count = window, 0
                if len(self._counts) > 100_000:  # old windows of idle keys
                    self._counts = {k: v for k, v in self._counts.items() if v[0] == window}
            count += 1
            self._counts[key] = (current, count)
        if count > self.limit:
            return (window + 1) * self._window - now
        return None

    def reset(self, key: str) -> None:
        """Forget a key (e.g. after a successful login)."""
        with self._lock:
            self._counts.pop(key, None)

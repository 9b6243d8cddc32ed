"""Rate limits per key (client IP, user, login attempt), in this process: a sliding window
approximated from two fixed windows (the previous one weighted by how much of it still
overlaps), so a burst across a window boundary cannot double the limit."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    """At most about ``limit`` hits per key in any ``window_s``; thread-safe."""

    def __init__(self, limit: int, window_s: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._window = window_s
        self._clock = clock
        # key -> (window number, hits in it, hits in the window before)
        self._counts: dict[str, tuple[int, int, int]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> float | None:
        """Count a hit; None when allowed, else the seconds to wait."""
        now = self._clock()
        window = int(now // self._window)
        with self._lock:
            current, count, previous = self._counts.get(key, (window, 0, 0))
            if current != window:
                previous = count if current == window - 1 else 0
                current, count = window, 0
                if len(self._counts) > 100_000:  # forget idle keys
                    self._counts = {k: v for k, v in self._counts.items()
                                    if v[0] >= window - 1}
            count += 1
            self._counts[key] = (current, count, previous)
        overlap = 1.0 - (now / self._window - window)
        if count + previous * overlap > self.limit:
            return max(1.0, (window + 1) * self._window - now)
        return None

    def reset(self, key: str) -> None:
        """Forget a key (e.g. after a successful login)."""
        with self._lock:
            self._counts.pop(key, None)

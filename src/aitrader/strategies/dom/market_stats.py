"""Volatility and traded volume over a trailing window, for the live impact estimate."""

from __future__ import annotations

import math
from collections import deque
from itertools import pairwise

from aitrader.core.errors import StrategyError

NS = 1_000_000_000


class TrailingMarketStats:
    """sigma (bps per interval) and volume per interval over the last ``window_ns``.

    The mid is sampled once per ``interval_ns`` (the last mid seen when an interval ends, as
    in :func:`~aitrader.strategies.dom.impact.observe_impacts`); sigma is the sample standard
    deviation of the changes between consecutive samples, in bps. Volume per interval is the
    size traded in the window divided by the window's length in intervals (the time covered so
    far while the window fills). Only what was already seen is used.
    """

    def __init__(self, window_ns: int = 60 * NS, interval_ns: int = NS) -> None:
        if interval_ns <= 0 or window_ns < 2 * interval_ns:
            raise StrategyError(
                f"window_ns must be >= 2 x interval_ns > 0, were {window_ns} and {interval_ns}")
        self.window_ns, self.interval_ns = window_ns, interval_ns
        self._samples: deque[float] = deque(maxlen=window_ns // interval_ns + 1)
        self._trades: deque[tuple[int, float]] = deque()
        self._volume = 0.0
        self._mid: float | None = None
        self._next_sample: int | None = None
        self._first_ts: int | None = None

    def on_mid(self, ts_ns: int, mid: float) -> None:
        """A new mid price at ``ts_ns``."""
        self._advance(ts_ns)
        self._mid = mid

    def on_trade(self, ts_ns: int, size: float) -> None:
        """A trade of ``size`` printed at ``ts_ns``."""
        self._advance(ts_ns)
        self._trades.append((ts_ns, size))
        self._volume += size
        cutoff = ts_ns - self.window_ns
        while self._trades and self._trades[0][0] <= cutoff:
            self._volume -= self._trades.popleft()[1]

    def sigma_bps(self) -> float | None:
        """Std of the per-interval mid change in bps (None with fewer than 3 samples)."""
        s = self._samples
        if len(s) < 3:
            return None
        changes = [(b - a) / a * 1e4 for a, b in pairwise(s)]
        mean = sum(changes) / len(changes)
        return math.sqrt(sum((c - mean) ** 2 for c in changes) / (len(changes) - 1))

    def volume_per_interval(self, now_ns: int) -> float:
        """Traded size per interval over the window (0 before any time has passed)."""
        if self._first_ts is None:
            return 0.0
        covered = min(self.window_ns, now_ns - self._first_ts)
        return 0.0 if covered <= 0 else self._volume / max(covered / self.interval_ns, 1.0)

    def _advance(self, ts_ns: int) -> None:
        if self._first_ts is None:
            self._first_ts = ts_ns
            self._next_sample = ts_ns + self.interval_ns
            return
        nxt = self._next_sample
        if nxt is None:  # never: set together with _first_ts
            return
        while ts_ns >= nxt:
            if self._mid is not None:
                self._samples.append(self._mid)
            nxt += self.interval_ns
        self._next_sample = nxt

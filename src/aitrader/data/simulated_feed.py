"""An offline market: seeded random-walk bars, and a pacer that replays any bars in wall time."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Iterable, Iterator

from aitrader.core.ids import InstrumentId
from aitrader.core.market_data import Bar


class RandomWalkBars:
    """Geometric random-walk OHLCV bars (each bar built from ``steps`` sub-moves), reproducible
    from ``seed``. Prices are rounded to ``decimals`` like a real venue's tick grid."""

    def __init__(
        self,
        instrument_id: InstrumentId,
        start_price: float,
        timeframe_ns: int,
        start_ns: int,
        seed: int = 7,
        volatility_per_bar: float = 0.001,
        steps: int = 12,
        decimals: int = 2,
    ) -> None:
        if start_price <= 0 or timeframe_ns <= 0 or steps < 1:
            raise ValueError("start_price, timeframe_ns and steps must be positive")
        self.instrument_id = instrument_id
        self.timeframe_ns = timeframe_ns
        self._price = start_price
        self._ts = start_ns - start_ns % timeframe_ns
        self._rng = random.Random(seed)  # noqa: S311 - a simulation, not cryptography
        self._sigma = volatility_per_bar / math.sqrt(steps)
        self._steps = steps
        self._decimals = decimals

    def __iter__(self) -> Iterator[Bar]:
        return self

    def __next__(self) -> Bar:
        o = p = self._price
        hi = lo = o
        for _ in range(self._steps):
            p *= math.exp(self._rng.gauss(0.0, self._sigma))
            hi, lo = max(hi, p), min(lo, p)
        self._price = p
        d = self._decimals
        bar = Bar(
            self.instrument_id, self._ts, self._ts + self.timeframe_ns,
            round(o, d), round(hi, d), round(lo, d), round(p, d),
            round(self._rng.uniform(0.5, 5.0), 4),
        )
        self._ts += self.timeframe_ns
        return bar


def paced(
    bars: Iterable[Bar],
    seconds_per_bar: float,
    sleep: Callable[[float], None] = time.sleep,
    now: Callable[[], float] = time.monotonic,
) -> Iterator[Bar]:
    """Yield bars no faster than one per ``seconds_per_bar`` of wall time (0 = at once)."""
    next_at = now()
    for bar in bars:
        if seconds_per_bar > 0:
            delay = next_at - now()
            if delay > 0:
                sleep(delay)
            next_at = max(next_at, now()) + seconds_per_bar
        yield bar

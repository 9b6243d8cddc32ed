"""The offline market: reproducible, well-formed bars, paced in wall time when asked."""

from __future__ import annotations

from itertools import islice, pairwise

from aitrader.core.ids import InstrumentId
from aitrader.data.simulated_feed import RandomWalkBars, paced

BTC = InstrumentId("BTC/USDT", "SIM")
MIN = 60_000_000_000


def test_random_walk_bars_are_reproducible_from_the_seed() -> None:
    a = list(islice(RandomWalkBars(BTC, 30_000.0, MIN, 0, seed=3), 200))
    b = list(islice(RandomWalkBars(BTC, 30_000.0, MIN, 0, seed=3), 200))
    c = list(islice(RandomWalkBars(BTC, 30_000.0, MIN, 0, seed=4), 200))
    assert a == b
    assert a != c


def test_random_walk_bars_are_consistent_ohlc_on_a_minute_grid() -> None:
    bars = list(islice(RandomWalkBars(BTC, 30_000.0, MIN, 90 * 1_000_000_000 + 5), 500))
    assert bars[0].ts_event == 60_000_000_000  # aligned down to the timeframe
    for prev, bar in pairwise(bars):
        assert bar.ts_event == prev.ts_init == prev.ts_event + MIN
        assert bar.open == prev.close
    for bar in bars:
        assert bar.low <= min(bar.open, bar.close) <= max(bar.open, bar.close) <= bar.high
        assert bar.volume > 0


def test_paced_sleeps_between_bars() -> None:
    t = [0.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        t[0] += s

    bars = list(islice(RandomWalkBars(BTC, 100.0, MIN, 0), 4))
    out = list(paced(bars, 0.5, sleep=sleep, now=lambda: t[0]))
    assert out == bars
    assert slept == [0.5, 0.5, 0.5]

"""The event-driven SmaCross keeps its own SMA windows; its decisions must equal the vectorised
form (batch exact-sum SMA, bit-identical to StreamingSMA) on any series."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from aitrader.data.bar_arrays import BarArrays
from aitrader.runtime.backtest import BacktestRequest, run_backtest
from aitrader.strategies.examples.sma_cross import SmaCross, SmaCrossParams

MINUTE = 60_000_000_000


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=40), min_size=12, max_size=120),
    st.sampled_from([(2, 5), (3, 7), (1, 2)]),
    st.sampled_from([1.0, 0.1, 0.07]),
)
def test_event_decisions_equal_the_vectorised_signals(ticks, periods, step) -> None:
    close = np.asarray(ticks, dtype=np.float64) * step + 100.0  # many ties and crossings
    n = len(close)
    bars = BarArrays(np.arange(n, dtype=np.int64) * MINUTE, close, close, close, close,
                     np.ones(n), MINUTE)
    fast, slow = periods
    result = run_backtest(BacktestRequest(
        bars=bars, symbol="BTC/USDT", strategy="sma_cross",
        params={"fast": fast, "slow": slow, "quantity": "1"}, fee_rate=Decimal(0),
        starting_cash=Decimal(10_000_000), tick_size=Decimal("0.01")))
    signals = SmaCross.vectorized(close, SmaCrossParams(fast=fast, slow=slow))
    # long-only: an entry when flat, an exit when long; a decision on bar i fills at bar i + 1
    expected, entry = [], None
    for i in range(n - 1):
        if signals.entries[i] and entry is None:
            entry = (i + 1) * MINUTE
        elif signals.exits[i] and entry is not None:
            expected.append((entry, (i + 1) * MINUTE))
            entry = None
    assert [(t.entry_ts_ns, t.exit_ts_ns) for t in result.trades] == expected

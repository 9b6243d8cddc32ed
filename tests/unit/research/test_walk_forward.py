"""Walk-forward optimization reports only out-of-sample windows."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from aitrader.research.evaluator import Evaluator
from aitrader.research.objectives import Objective
from aitrader.research.param_space import parse_ranges
from aitrader.research.vector_backtest import run_vectorized
from aitrader.research.walk_forward import walk_forward, window_bounds
from aitrader.strategies.examples.sma_cross import SmaCrossParams


def test_rolling_windows_slide_and_anchored_windows_grow_from_the_start():
    assert window_bounds(100, 40, 20, anchored=False) == [
        (0, 40, 40, 60), (20, 60, 60, 80), (40, 80, 80, 100)]
    assert window_bounds(100, 40, 20, anchored=True) == [
        (0, 40, 40, 60), (0, 60, 60, 80), (0, 80, 80, 100)]
    with pytest.raises(ValueError, match=r"exceed the 50 bars"):
        window_bounds(50, 40, 20, anchored=False)


@pytest.mark.parametrize("anchored", [False, True], ids=["rolling", "anchored"])
def test_walk_forward_trades_only_in_test_windows_with_the_training_winner(walk_bars, anchored):
    ev = Evaluator(walk_bars, "sma_cross", fee_rate=Decimal("0.0005"))
    ranges = parse_ranges(SmaCrossParams, ["fast=3:12:3", "slow=20:60:20"])
    res = walk_forward(ev, ranges, {"quantity": "1"}, Objective.SHARPE, train_bars=8_000,
                       test_bars=4_000, anchored=anchored)
    assert len(res.windows) == 3
    first_test = res.windows[0].test_start_ns
    assert res.ts_ns[0] == first_test and len(res.ts_ns) == 12_000
    assert all(t.entry_ts_ns >= first_test for t in res.trades)
    for w in res.windows:
        assert w.train_end_ns < w.test_start_ns
        inside = [t for t in res.trades if w.test_start_ns <= t.entry_ts_ns <= w.test_end_ns]
        assert len(inside) == w.oos_stats.trades
    assert res.stats.trades == len(res.trades)
    # the stitched curve compounds the windows: its end equals the product of their returns
    growth = np.prod([1 + w.oos_stats.total_return for w in res.windows])
    assert res.equity[-1] / res.equity[0] == pytest.approx(growth, rel=1e-9)


def test_a_test_window_sees_its_history_as_warm_up_but_starts_flat(walk_bars):
    req = Evaluator(walk_bars, "sma_cross").request({"fast": 5, "slow": 40, "quantity": "1"})
    full = run_vectorized(req)
    tail = run_vectorized(req, warmup=10_000)
    start = int(walk_bars.ts_ns[10_000])
    later = [t for t in full.trades if t.entry_ts_ns > start + 60 * 60_000_000_000]
    # once the first full-history trade after the cut is reached both runs agree exactly
    assert later and later[-1] == tail.trades[-1]
    assert tail.ts_ns[0] == start and tail.equity[0] == float(req.starting_cash)

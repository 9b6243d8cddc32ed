"""Walk-forward optimization: search on each training window, trade the winner on the next
unseen window, and report only those out-of-sample windows, stitched into one equity curve."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from aitrader.portfolio.closed_trade import ClosedTrade
from aitrader.portfolio.statistics import PerformanceStats, compute_stats
from aitrader.research.evaluator import Evaluator
from aitrader.research.objective import Objective
from aitrader.research.param_space import ParamRange
from aitrader.research.search import SearchResult, grid_search, tpe_search
from aitrader.research.vector_backtest import run_vectorized


@dataclass(frozen=True)
class WalkWindow:
    """One step: where it trained and tested, what won in-sample and how it did out of it."""

    train_start_ns: int
    train_end_ns: int
    test_start_ns: int
    test_end_ns: int
    params: dict[str, Any]
    in_sample_value: float
    oos_stats: PerformanceStats

    def as_dict(self) -> dict[str, Any]:
        """Plain dict for JSON."""
        return {"train_start_ns": self.train_start_ns, "train_end_ns": self.train_end_ns,
                "test_start_ns": self.test_start_ns, "test_end_ns": self.test_end_ns,
                "params": self.params, "in_sample_value": self.in_sample_value,
                "oos": self.oos_stats.as_dict()}


@dataclass
class WalkForwardResult:
    """Out-of-sample windows only, and their stitched (compounded) equity."""

    anchored: bool
    objective: Objective
    windows: list[WalkWindow]
    ts_ns: npt.NDArray[np.int64]
    equity: npt.NDArray[np.float64]
    trades: list[ClosedTrade]
    stats: PerformanceStats

    @property
    def in_sample_mean(self) -> float:
        """Mean in-sample objective of the winners (to compare with out-of-sample)."""
        return float(np.mean([w.in_sample_value for w in self.windows]))


def window_bounds(n: int, train_bars: int, test_bars: int, anchored: bool
                  ) -> list[tuple[int, int, int, int]]:
    """(train_start, train_end, test_start, test_end) row ranges of each step."""
    if train_bars < 2 or test_bars < 1:
        raise ValueError(f"train_bars must be >= 2 and test_bars >= 1, were {train_bars} and "
                         f"{test_bars}")
    if train_bars + test_bars > n:
        raise ValueError(f"train_bars + test_bars ({train_bars + test_bars}) exceed the {n} "
                         f"bars")
    out = []
    start = train_bars
    while start + test_bars <= n:
        out.append((0 if anchored else start - train_bars, start, start, start + test_bars))
        start += test_bars
    return out


def walk_forward(ev: Evaluator, ranges: list[ParamRange], fixed: dict[str, Any],
                 objective: Objective, train_bars: int, test_bars: int, anchored: bool = False,
                 method: str = "grid", trials: int = 50, dd_cap: float = 0.2,
                 workers: int = 2) -> WalkForwardResult:
    """Optimize on each training window, run the winner on the following test window.

    The test run sees the training window as indicator history (warm-up) but starts flat and
    trades only inside the test window.
    """
    bars = ev.bars
    windows: list[WalkWindow] = []
    ts_parts, eq_parts, held_parts = [], [], []
    trades: list[ClosedTrade] = []
    fees = Decimal(0)
    scale = 1.0
    for tr0, tr1, te0, te1 in window_bounds(len(bars), train_bars, test_bars, anchored):
        train = ev.with_bars(bars.slice(tr0, tr1))
        found: SearchResult = (grid_search(train, ranges, fixed, objective, dd_cap, workers)
                               if method == "grid" else
                               tpe_search(train, ranges, fixed, objective, trials, dd_cap,
                                          workers))
        best = found.best
        if best.score is None:
            raise ValueError(f"no parameter set was valid on the training window {tr0}:{tr1}")
        res = run_vectorized(ev.request(best.params, bars.slice(tr0, te1)),
                             warmup=te0 - tr0)
        windows.append(WalkWindow(int(bars.ts_ns[tr0]), int(bars.ts_ns[tr1 - 1]),
                                  int(bars.ts_ns[te0]), int(bars.ts_ns[te1 - 1]),
                                  best.params, best.value, res.stats))
        ts_parts.append(res.ts_ns)
        eq_parts.append(res.equity / res.equity[0] * scale * float(ev.starting_cash))
        scale = float(eq_parts[-1][-1]) / float(ev.starting_cash)
        held = np.zeros(len(res.ts_ns), dtype=np.bool_)
        for t in res.trades:
            held[np.searchsorted(res.ts_ns, t.entry_ts_ns):
                 np.searchsorted(res.ts_ns, t.exit_ts_ns)] = True
        held_parts.append(held)
        trades.extend(res.trades)
        fees += Decimal(repr(res.stats.fees))
    ts = np.concatenate(ts_parts)
    equity = np.concatenate(eq_parts)
    stats = compute_stats(ts, equity, np.concatenate(held_parts), trades, fees,
                          ev.periods_per_year)
    return WalkForwardResult(anchored, objective, windows, ts, equity, trades, stats)

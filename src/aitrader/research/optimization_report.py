"""One call from a finished search to its report: the best set's full run, the overfitting
diagnostics over every valid trial and, when asked, a walk-forward validation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aitrader.research.evaluator import Evaluator
from aitrader.research.overfitting import OverfitReport, diagnose, returns_from_equity
from aitrader.research.report import ReportData, write_report
from aitrader.research.search import SearchResult
from aitrader.research.vector_backtest import run_vectorized
from aitrader.research.walk_forward import WalkForwardResult, walk_forward

_DAY_NS = 86_400 * 1_000_000_000
_HOUR_NS = 3_600 * 1_000_000_000


@dataclass(frozen=True)
class WalkForwardSpec:
    """Train/test window lengths in bars, anchored or rolling."""

    train_bars: int
    test_bars: int
    anchored: bool = False


def diagnose_search(ev: Evaluator, search: SearchResult, n_splits: int = 10
                    ) -> tuple[OverfitReport | None, str]:
    """DSR/PBO over the valid trials on daily returns (hourly when there are too few days);
    None with the reason when the data or the trials are too few."""
    valid = search.valid()
    if len(valid) < 2:
        return None, "overfitting diagnostics need at least 2 valid trials"
    span = int(ev.bars.ts_ns[-1]) - int(ev.bars.ts_ns[0])
    period = _DAY_NS if span // _DAY_NS >= 4 * n_splits else _HOUR_NS
    equity = ev.period_equity([t.params for t in valid], period)
    if len(equity) - 1 < 2 * n_splits:
        return None, (f"overfitting diagnostics need at least {2 * n_splits + 1} periods, "
                      f"had {len(equity)}")
    unit = "daily" if period == _DAY_NS else "hourly"
    return diagnose(returns_from_equity(equity), n_splits), f"diagnostics on {unit} returns"


def report_search(ev: Evaluator, search: SearchResult, out: Path,
                  walk: WalkForwardSpec | None = None, dd_cap: float = 0.2,
                  workers: int = 2) -> tuple[Path, Path]:
    """Write ``report.html`` and ``report.json`` for a search into ``out``."""
    best = search.best
    res = run_vectorized(ev.request(best.params))
    overfit, note = diagnose_search(ev, search)
    wf: WalkForwardResult | None = None
    if walk is not None:
        wf = walk_forward(ev, search.ranges, search.fixed, search.objective, walk.train_bars,
                          walk.test_bars, walk.anchored, search.method,
                          max(10, len(search.trials) // 4), dd_cap, workers)
    notes = [note, "The performance above is the best set on the whole period (in sample); "
                   "only the walk-forward section is out of sample."]
    params: dict[str, Any] = dict(best.params)
    title = f"{ev.strategy} optimization ({search.objective.value}, {search.method})"
    data = ReportData(title, ev.strategy, params, ev.bars, res.ts_ns, res.equity, res.trades,
                      res.stats, search, overfit, wf, notes)
    return write_report(data, out)


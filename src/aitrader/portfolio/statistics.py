"""Performance statistics of an equity curve and a trade list (numpy only)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from aitrader.portfolio.closed_trade import ClosedTrade
from aitrader.portfolio.curve_kernels import last_of_each_day
from aitrader.portfolio.curve_kernels import max_drawdown as drawdown_kernel

_DAY_NS = 86_400 * 1_000_000_000
_YEAR_NS = 365.25 * _DAY_NS


@dataclass(frozen=True)
class PerformanceStats:
    """Headline figures of a run. Ratios use daily (UTC) returns, annualised with ``periods``."""

    start_equity: float
    end_equity: float
    total_return: float
    cagr: float
    sharpe: float
    sortino: float
    calmar: float
    max_drawdown: float
    trades: int
    win_rate: float
    profit_factor: float
    exposure: float
    net_pnl: float
    fees: float

    def as_dict(self) -> dict[str, float]:
        """Plain dict for JSON."""
        return asdict(self)


def daily_closes(ts_ns: npt.NDArray[np.int64], equity: npt.NDArray[np.float64]
                 ) -> npt.NDArray[np.float64]:
    """Equity at the last sample of each UTC day."""
    idx = last_of_each_day(np.asarray(ts_ns, dtype=np.int64), _DAY_NS)
    return np.asarray(np.asarray(equity)[idx], dtype=np.float64)


def max_drawdown(equity: npt.NDArray[np.float64]) -> float:
    """Largest peak-to-trough fall as a positive fraction of the peak."""
    return float(drawdown_kernel(np.asarray(equity, dtype=np.float64)))


def sharpe_sortino(daily: npt.NDArray[np.float64], periods_per_year: int) -> tuple[float, float]:
    """Annualised Sharpe and Sortino ratios of the returns between daily equity closes."""
    rets = np.diff(daily) / daily[:-1] if len(daily) > 1 else np.empty(0)
    ann = math.sqrt(periods_per_year)
    sd = float(rets.std(ddof=1)) if len(rets) > 1 else 0.0
    sharpe = float(rets.mean()) / sd * ann if sd > 0 else 0.0
    downside = rets[rets < 0]
    dstd = float(np.sqrt((downside**2).sum() / len(rets))) if len(rets) > 1 else 0.0
    sortino = float(rets.mean() / dstd * ann) if dstd > 0 else 0.0
    return sharpe, sortino


def compute_stats(
    ts_ns: npt.NDArray[np.int64],
    equity: npt.NDArray[np.float64],
    in_market: npt.NDArray[np.bool_],
    trades: Sequence[ClosedTrade],
    fees: Decimal,
    periods_per_year: int = 365,
) -> PerformanceStats:
    """Stats from a per-bar equity curve, a per-bar in-market flag and the closed trades."""
    if len(equity) == 0:
        raise ValueError("an equity curve needs at least one point")
    start, end = float(equity[0]), float(equity[-1])
    total = end / start - 1.0 if start else 0.0
    years = max((int(ts_ns[-1]) - int(ts_ns[0])) / _YEAR_NS, 1e-12)
    cagr = (end / start) ** (1.0 / years) - 1.0 if start > 0 and end > 0 else -1.0
    daily = daily_closes(ts_ns, equity)
    sharpe, sortino = sharpe_sortino(daily, periods_per_year)
    mdd = max_drawdown(equity)
    calmar = cagr / mdd if mdd > 0 else 0.0
    nets = [float(t.net_pnl) for t in trades]
    wins = [x for x in nets if x > 0]
    losses = [-x for x in nets if x < 0]
    win_rate = len(wins) / len(nets) if nets else 0.0
    profit_factor = sum(wins) / sum(losses) if losses else math.inf if wins else 0.0
    exposure = float(in_market.mean()) if len(in_market) else 0.0
    return PerformanceStats(
        start, end, total, cagr, sharpe, sortino, calmar, mdd, len(nets), win_rate,
        profit_factor, exposure, end - start, float(fees),
    )

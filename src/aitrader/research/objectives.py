"""Objective functions of a parameter search, computed from the compiled run's metrics the same
way ``portfolio.statistics.compute_stats`` computes them from a full equity curve."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from aitrader.portfolio.statistics import sharpe_sortino
from aitrader.research import sim_kernel as k
from aitrader.research.objective import Objective as Objective  # re-export: its old home


@dataclass(frozen=True)
class RunScore:
    """Headline figures of one compiled run (daily returns, annualised)."""

    trades: int
    total_return: float
    cagr: float
    sharpe: float
    sortino: float
    calmar: float
    max_drawdown: float
    profit_factor: float
    win_rate: float

    def value(self, objective: Objective, max_drawdown_cap: float = 0.2) -> float:
        """The objective's value; with a drawdown cap, runs over the cap rank below all others."""
        if objective is Objective.RETURN_DD_CAP:
            if self.max_drawdown > max_drawdown_cap:
                return -1.0 - self.max_drawdown
            return self.total_return
        raw = float(getattr(self, objective.value))
        return raw if math.isfinite(raw) else 1e9


def score_run(metrics: npt.NDArray[np.float64], daily: npt.NDArray[np.float64], cash0: float,
              years: float, periods_per_year: int = 365) -> RunScore:
    """RunScore from a metrics row (``sim_kernel.M_*``) and the daily equity closes."""
    days = daily[: int(metrics[k.M_DAYS])]
    end = float(metrics[k.M_END])
    total = end / cash0 - 1.0 if cash0 else 0.0
    cagr = (end / cash0) ** (1.0 / max(years, 1e-12)) - 1.0 if cash0 > 0 and end > 0 else -1.0
    sharpe, sortino = sharpe_sortino(days, periods_per_year)  # the event engine's own formula
    mdd = float(metrics[k.M_MAXDD])
    trades = int(metrics[k.M_TRADES])
    win, loss = float(metrics[k.M_WIN]), float(metrics[k.M_LOSS])
    pf = win / loss if loss > 0 else (math.inf if win > 0 else 0.0)
    return RunScore(trades, total, cagr, sharpe, sortino, cagr / mdd if mdd > 0 else 0.0, mdd,
                    pf, float(metrics[k.M_WINS]) / trades if trades else 0.0)

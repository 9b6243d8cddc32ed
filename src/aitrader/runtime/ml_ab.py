"""A/B composition: champion and challenger backtested on the same bars, then compared."""

from __future__ import annotations

from typing import Any

from aitrader.core.ports import Predictor
from aitrader.data.bar_arrays import BarArrays
from aitrader.ml.ab_test import ABReport, compare_returns
from aitrader.runtime.ml_wiring import per_bar_returns, run_ml_backtest


def run_ab_backtest(bars: BarArrays, champion: Predictor, challenger: Predictor, *,
                    champion_name: str = "champion", challenger_name: str = "challenger",
                    params: dict[str, Any] | None = None, period_bars: int = 60,
                    alpha: float = 0.05, **request: Any) -> ABReport:
    """Two parallel backtests with identical data, fees and parameters; a paired test of their
    per-period returns."""
    a = run_ml_backtest(bars, champion, params, **request)
    b = run_ml_backtest(bars, challenger, params, **request)
    return compare_returns(per_bar_returns(a), per_bar_returns(b), champion_name=champion_name,
                           challenger_name=challenger_name, period_bars=period_bars,
                           alpha=alpha)

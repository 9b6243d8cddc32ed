"""The parallel SMA grid kernel scores each pair exactly like a single vectorized run."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aitrader.research.evaluator import Evaluator
from aitrader.research.vector_backtest import run_vectorized


@pytest.mark.parametrize("extra", [{}, {"stop_loss_pct": 0.003, "take_profit_pct": 0.006}],
                         ids=["plain", "brackets"])
def test_grid_kernel_trade_counts_and_returns_equal_single_vectorized_runs(walk_bars, extra):
    ev = Evaluator(walk_bars, "sma_cross", slippage_bps=Decimal(2))
    sets = [{"fast": f, "slow": s, "quantity": "0.5", **extra}
            for f, s in [(3, 10), (5, 21), (10, 30), (20, 100)]]
    batch = ev.score_many(sets)
    for params, score in zip(sets, batch, strict=True):
        single = run_vectorized(ev.request(params))
        assert score is not None
        assert score.trades == single.stats.trades
        assert score.total_return == pytest.approx(single.stats.total_return, rel=1e-9)
        assert score.max_drawdown == pytest.approx(single.stats.max_drawdown, rel=1e-9)
        assert score.sharpe == pytest.approx(single.stats.sharpe, rel=1e-9)


def test_parameter_sets_the_strategy_refuses_score_none(walk_bars):
    ev = Evaluator(walk_bars, "sma_cross")
    assert ev.score_many([{"fast": 30, "slow": 10}, {"fast": 5, "slow": 10}])[0] is None

"""Grid and TPE searches over sma_cross's declared parameters, on generated bars."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from aitrader.cli.main import app
from aitrader.research.evaluator import Evaluator
from aitrader.research.objectives import Objective
from aitrader.research.param_space import declared_bounds, parse_ranges
from aitrader.research.search import grid_search, tpe_search
from aitrader.strategies.examples.sma_cross import SmaCrossParams


def test_declared_bounds_come_from_the_pydantic_fields():
    bounds = declared_bounds(SmaCrossParams)
    assert (bounds["fast"].low, bounds["fast"].high, bounds["fast"].kind) == (1, 10_000, "int")
    assert bounds["allow_short"].kind == "bool"
    assert "quantity" not in bounds  # no upper bound declared


def test_a_range_outside_the_declared_bounds_is_refused_with_the_bounds():
    with pytest.raises(ValueError, match=r"outside the declared bounds 1.0:10000.0"):
        parse_ranges(SmaCrossParams, ["fast=0:20"])
    with pytest.raises(ValueError, match="declared parameter"):
        parse_ranges(SmaCrossParams, ["nope=1:2"])


@pytest.mark.parametrize("objective", list(Objective))
def test_grid_search_ranks_every_point_by_the_objective(walk_bars, objective):
    ev = Evaluator(walk_bars, "sma_cross")
    ranges = parse_ranges(SmaCrossParams, ["fast=5:20:5", "slow=10:40:10"])
    result = grid_search(ev, ranges, {"quantity": "1"}, objective)
    assert len(result.trials) == 16
    assert len(result.valid()) == 12  # fast >= slow is refused: (10,10) (15,10) (20,10) (20,20)
    values = [t.value for t in result.valid()]
    assert values == sorted(values, reverse=True)
    assert result.trials[-1].value == float("-inf")


def test_return_with_a_drawdown_cap_ranks_runs_over_the_cap_last(walk_bars):
    ev = Evaluator(walk_bars, "sma_cross")
    ranges = parse_ranges(SmaCrossParams, ["fast=2:6:2", "slow=8:12:4"])
    result = grid_search(ev, ranges, {"quantity": "1"}, Objective.RETURN_DD_CAP, dd_cap=0.01)
    capped = [t for t in result.valid() if t.score and t.score.max_drawdown > 0.01]
    fine = [t for t in result.valid() if t.score and t.score.max_drawdown <= 0.01]
    assert capped and all(f.value > c.value for f in fine for c in capped)


def test_tpe_search_on_two_processes_runs_every_trial_within_the_ranges(walk_bars):
    ev = Evaluator(walk_bars.slice(0, 5_000), "sma_cross")
    ranges = parse_ranges(SmaCrossParams, ["fast=2:20", "slow=21:80"])
    result = tpe_search(ev, ranges, {"quantity": "1"}, Objective.SHARPE, n_trials=12,
                        workers=2, seed=3)
    assert len(result.trials) == 12
    assert all(2 <= t.params["fast"] <= 20 and 21 <= t.params["slow"] <= 80
               for t in result.trials)
    best = result.best
    assert best.score is not None
    assert best.value == max(t.value for t in result.trials)
    assert best.value == pytest.approx(ev.score(best.params).sharpe)  # type: ignore[union-attr]


def test_optimize_command_prints_the_best_sets_and_writes_the_trials(walk_bars, tmp_path):
    b = walk_bars.slice(0, 4_000)
    frame = pd.DataFrame({"timestamp": b.ts_ns // 1_000_000, "open": b.open, "high": b.high,
                          "low": b.low, "close": b.close, "volume": b.volume})
    data = tmp_path / "bars.csv"
    frame.to_csv(data, index=False)
    out = tmp_path / "opt"
    res = CliRunner().invoke(app, [
        "optimize", "sma_cross", "--data", str(data), "--method", "grid",
        "--range", "fast=3:9:3", "--range", "slow=20:30:10", "--param", "quantity=1",
        "--objective", "sortino", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "grid: 6 trials (6 valid)" in res.output
    saved = json.loads((out / "trials.json").read_text())
    assert saved["objective"] == "sortino" and len(saved["trials"]) == 6
    assert np.isfinite(saved["trials"][0]["value"])


def test_optimize_without_ranges_names_the_declared_bounds(tmp_path):
    data = tmp_path / "x.csv"
    data.write_text("timestamp,open,high,low,close,volume\n")
    res = CliRunner().invoke(app, ["optimize", "sma_cross", "--data", str(data)])
    assert res.exit_code == 2
    assert "--range" in res.output and "fast=1:10000" in res.output

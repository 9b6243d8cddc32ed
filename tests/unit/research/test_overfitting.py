"""Deflated Sharpe and PBO flag luck on random walks and pass a planted edge."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from aitrader.research.evaluator import Evaluator
from aitrader.research.overfitting import (
    deflated_sharpe,
    diagnose,
    expected_max_sharpe,
    pbo_cscv,
    returns_from_equity,
)

HOUR_NS = 3_600 * 1_000_000_000


def _random_pairs(n: int, seed: int = 7) -> list[dict]:
    rng = np.random.default_rng(seed)
    return [{"fast": int(f), "slow": int(f + d), "quantity": "1"}
            for f, d in zip(rng.integers(2, 60, n), rng.integers(5, 200, n), strict=True)]


def test_expected_max_sharpe_matches_the_mean_maximum_of_normal_draws():
    rng = np.random.default_rng(0)
    simulated = rng.standard_normal((4_000, 1_000)).max(axis=1).mean()
    assert expected_max_sharpe(1.0, 1_000) == pytest.approx(simulated, rel=0.01)


def test_pure_noise_trials_have_a_low_deflated_sharpe_and_a_high_pbo():
    noise = np.random.default_rng(1).normal(0, 0.01, (1_200, 200))
    dsr, _ = deflated_sharpe(noise, int(np.argmax(noise.mean(0) / noise.std(0))))
    pbo, logits = pbo_cscv(noise, n_splits=10)
    assert dsr < 0.5
    assert pbo > 0.25  # expected 0.5 with a wide spread: the splits are not independent
    assert len(logits) == 252  # C(10, 5)


def test_one_planted_edge_among_noise_trials_is_recognised():
    rng = np.random.default_rng(2)
    rets = rng.normal(0, 0.01, (1_200, 200))
    rets[:, 17] += 0.003  # a Sharpe of 0.3 per period
    report = diagnose(rets, n_splits=10)
    assert report.deflated_sharpe > 0.99 and report.pbo < 0.05
    assert not report.likely_luck and report.verdict.startswith("Not explained by luck")


def test_many_random_sma_strategies_on_a_random_walk_are_flagged_as_likely_luck(make_walk):
    ev = Evaluator(make_walk(60_000, seed=11), "sma_cross", fee_rate=Decimal(0))
    equity = ev.period_equity(_random_pairs(150), HOUR_NS)
    report = diagnose(returns_from_equity(equity), n_splits=10)
    assert report.likely_luck
    assert report.verdict.startswith("LIKELY LUCK")
    assert report.deflated_sharpe < 0.95


def test_sma_strategies_on_prices_with_planted_momentum_are_not_flagged(make_momentum):
    ev = Evaluator(make_momentum(60_000, phi=0.2, seed=5), "sma_cross", fee_rate=Decimal(0))
    equity = ev.period_equity(_random_pairs(150), HOUR_NS)
    report = diagnose(returns_from_equity(equity), n_splits=10)
    assert not report.likely_luck, report.verdict
    assert report.deflated_sharpe >= 0.95 and report.pbo <= 0.1


def test_cscv_refuses_an_odd_number_of_splits_and_too_few_periods():
    with pytest.raises(ValueError, match="even number >= 2, was 5"):
        pbo_cscv(np.zeros((100, 3)), n_splits=5)
    with pytest.raises(ValueError, match="at least 24 periods for 12 splits, had 10"):
        pbo_cscv(np.zeros((10, 3)))

"""A/B gating with a paired test; PSI drift; retraining lands in staging, never production."""

from __future__ import annotations

import numpy as np
import pytest

from aitrader.ml.ab_test import compare_returns, period_sums
from aitrader.ml.drift import feature_drift, psi
from aitrader.ml.errors import ModelError
from aitrader.ml.retraining import decide_retrain
from aitrader.ml.train_config import RetrainSpec

DAY = 86_400 * 10**9


def test_a_clearly_better_challenger_passes_the_gate() -> None:
    rng = np.random.default_rng(1)
    champ = rng.normal(0, 0.001, 2000)
    chall = champ + 0.0003 + rng.normal(0, 0.0002, 2000)
    report = compare_returns(champ, chall, period_bars=20)
    assert report.periods == 100
    assert report.p_value < 0.001 and report.ci_low > 0
    assert report.promotion_allowed and "challenger better" in report.reason


def test_noise_passes_the_gate_no_more_often_than_alpha() -> None:
    passed = 0
    for seed in range(100):
        rng = np.random.default_rng(seed)
        report = compare_returns(rng.normal(0, 0.001, 2000), rng.normal(0, 0.001, 2000),
                                 period_bars=20, n_boot=300)
        passed += report.promotion_allowed
        if not report.promotion_allowed:
            assert "not significant" in report.reason
    assert passed <= 10  # alpha = 0.05, one-sided
    champ = np.random.default_rng(0).normal(0, 0.001, 2000)
    same = compare_returns(champ, champ.copy(), period_bars=20)
    assert same.p_value == 1.0 and not same.promotion_allowed


def test_the_test_needs_the_same_bars_and_enough_periods() -> None:
    with pytest.raises(ModelError, match="same bars"):
        compare_returns(np.zeros(100), np.zeros(99))
    with pytest.raises(ModelError, match="at least 10 periods"):
        compare_returns(np.zeros(100), np.zeros(100), period_bars=20)
    assert period_sums(np.arange(7.0), 3).tolist() == [3.0, 12.0]


def test_psi_is_near_zero_for_the_same_distribution_and_large_for_a_shift() -> None:
    rng = np.random.default_rng(3)
    ref = rng.normal(0, 1, 5000)
    assert psi(ref, rng.normal(0, 1, 5000)) < 0.01
    assert psi(ref, rng.normal(1.0, 1, 5000)) > 0.25
    report = feature_drift(np.column_stack([ref, ref]),
                           np.column_stack([rng.normal(0, 1, 5000), rng.normal(0, 3, 5000)]),
                           ["stable", "wider"], threshold=0.25)
    assert report.drifted == ["wider"]


def test_retraining_is_due_on_schedule_or_on_drift() -> None:
    spec = RetrainSpec(every_days=7, psi_threshold=0.2)
    assert decide_retrain(spec, None, 10 * DAY, None).retrain
    assert not decide_retrain(spec, 5 * DAY, 10 * DAY, None).retrain
    due = decide_retrain(spec, 2 * DAY, 10 * DAY, None)
    assert due.retrain and "scheduled" in due.reasons[0]
    rng = np.random.default_rng(4)
    drift = feature_drift(rng.normal(0, 1, (500, 1)), rng.normal(2, 1, (500, 1)), ["ret_1"],
                          threshold=0.2)
    early = decide_retrain(spec, 9 * DAY, 10 * DAY, drift)
    assert early.retrain and "drift" in early.reasons[0] and "ret_1" in early.reasons[0]

"""When to retrain: on schedule, or early when features drift; the result is always staging."""

from __future__ import annotations

from dataclasses import dataclass, field

from aitrader.ml.drift import DriftReport
from aitrader.ml.train_config import RetrainSpec

_DAY_NS = 86_400 * 10**9


@dataclass(frozen=True)
class RetrainDecision:
    """Whether to retrain now, and why."""

    retrain: bool
    reasons: list[str] = field(default_factory=list)


def decide_retrain(spec: RetrainSpec, last_trained_ns: int | None, now_ns: int,
                   drift: DriftReport | None) -> RetrainDecision:
    """Due when ``every_days`` passed since the last training, or when any PSI > threshold."""
    reasons: list[str] = []
    if last_trained_ns is None:
        reasons.append("no model trained yet")
    elif now_ns - last_trained_ns >= spec.every_days * _DAY_NS:
        age = (now_ns - last_trained_ns) / _DAY_NS
        reasons.append(f"scheduled: last training {age:.1f} days ago >= every {spec.every_days}")
    if drift is not None and drift.drifted:
        worst = sorted(drift.drifted, key=lambda n: -drift.psi[n])
        reasons.append(f"drift: PSI > {drift.threshold} on {worst} (max {drift.max_psi:.3f})")
    return RetrainDecision(bool(reasons), reasons)

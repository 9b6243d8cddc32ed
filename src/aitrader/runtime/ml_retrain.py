"""Scheduled retraining: check drift against the production model, retrain on the recent window
when due, register the new version in staging. Production is never replaced here."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from aitrader.data.bar_arrays import BarArrays
from aitrader.features.bar_columns import bar_columns
from aitrader.features.feature_set import FeatureSet
from aitrader.ml.drift import DriftReport, feature_drift
from aitrader.ml.errors import RegistryError
from aitrader.ml.registry import ModelRegistry, ModelVersion
from aitrader.ml.retraining import RetrainDecision, decide_retrain
from aitrader.ml.train_config import TrainConfig
from aitrader.runtime.ml_wiring import TrainRun, train_from_config

_DAY_NS = 86_400 * 10**9


@dataclass
class RetrainOutcome:
    """What one scheduled check did."""

    decision: RetrainDecision
    drift: DriftReport | None
    new_version: ModelVersion | None
    production: ModelVersion | None
    run: TrainRun | None


def _current(registry: ModelRegistry, name: str) -> ModelVersion | None:
    for stage in ("production", None):  # the production version, else the newest
        try:
            return registry.get(name, stage=stage)
        except RegistryError:
            continue
    return None


def retrain_once(cfg: TrainConfig, registry: ModelRegistry, bars: BarArrays, now_ns: int,
                 out_dir: Path | None = None) -> RetrainOutcome:
    """One scheduled check over ``bars`` (all history up to now)."""
    current = _current(registry, cfg.name)
    recent = bars.between(int(now_ns - cfg.retrain.window_days * _DAY_NS), now_ns)
    drift = None
    if current is not None and current.data_end_ns is not None:
        fs = FeatureSet(cfg.features)
        ref = bars.between(current.data_start_ns, current.data_end_ns)
        new = bars.between(current.data_end_ns, now_ns)
        if len(ref) > fs.warmup + 10 and len(new) > fs.warmup + 10:
            x_ref = fs.compute(bar_columns(ref))[fs.warmup:]
            x_new = fs.compute(bar_columns(new))[fs.warmup:]
            drift = feature_drift(x_ref, x_new, fs.names, cfg.retrain.psi_threshold)
    last = None if current is None else current.data_end_ns
    decision = decide_retrain(cfg.retrain, last, now_ns, drift)
    production = None
    with contextlib.suppress(RegistryError):
        production = registry.get(cfg.name, stage="production")
    if not decision.retrain:
        return RetrainOutcome(decision, drift, None, production, None)
    run = train_from_config(cfg, registry, out_dir, bars=recent)
    new_version = next(v for v in run.registered if v.name == cfg.name)
    return RetrainOutcome(decision, drift, new_version, production, run)

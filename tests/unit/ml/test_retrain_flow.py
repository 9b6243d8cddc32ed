"""Scheduled retraining through the registry: a new staging version, production untouched."""

from __future__ import annotations

import numpy as np

from aitrader.ml.train_config import TrainConfig
from aitrader.runtime.ml_retrain import retrain_once
from aitrader.runtime.ml_wiring import open_model_registry, train_from_config


def test_a_due_retrain_adds_a_staging_version_and_keeps_production(tmp_path, ar_bars,
                                                                  make_config_dict) -> None:
    raw = make_config_dict(tmp_path, models=[{"algorithm": "logistic_regression"}])
    raw["retrain"] = {"every_days": 0.0001, "window_days": 1, "psi_threshold": 0.25}
    cfg = TrainConfig.model_validate(raw)
    reg = open_model_registry(f"sqlite:///{tmp_path / 'r.db'}", tmp_path / "store")
    first_half = ar_bars.slice(0, 900)
    run = train_from_config(cfg, reg, tmp_path / "first", bars=first_half)
    prod = reg.promote(cfg.name, run.registered[0].version, "production")
    now = int(ar_bars.ts_ns[-1] + ar_bars.timeframe_ns)
    out = retrain_once(cfg, reg, ar_bars, now, tmp_path / "second")
    assert out.decision.retrain and any("scheduled" in r for r in out.decision.reasons)
    assert out.drift is not None and set(out.drift.psi) == set(run.result.feature_names)
    assert out.new_version is not None and out.new_version.stage == "staging"
    assert out.new_version.version > prod.version
    assert reg.get(cfg.name, stage="production").version == prod.version
    assert np.isfinite(out.drift.max_psi)

"""The scheduled retraining job (Celery beat's `retrain-models`, hourly): each configured model
is checked; a due one gets a staging version, and a broken config does not stop the others."""

from __future__ import annotations

import pandas as pd
import yaml

from aitrader.runtime.env_settings import EnvSettings
from aitrader.runtime.ml_wiring import open_model_registry
from aitrader.tasks.jobs import retrain_models


def test_the_hourly_job_retrains_a_due_model_into_staging_and_reports_a_broken_config(
        tmp_path, ar_bars, make_config_dict) -> None:
    data = tmp_path / "bars.csv"
    pd.DataFrame({"timestamp": ar_bars.ts_ns // 1_000_000, "open": ar_bars.open,
                  "high": ar_bars.high, "low": ar_bars.low, "close": ar_bars.close,
                  "volume": ar_bars.volume}).to_csv(data, index=False)
    raw = make_config_dict(tmp_path, models=[{"algorithm": "logistic_regression"}])
    raw["data"]["path"] = str(data)
    raw["retrain"] = {"every_days": 0.0001, "window_days": 1, "psi_threshold": 0.25}
    good = tmp_path / "good.yml"
    good.write_text(yaml.safe_dump(raw))
    broken = tmp_path / "broken.yml"
    broken.write_text("name: [not, a, name]\n")
    env = EnvSettings.model_validate({"DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}",
                                      "AITRADER_DATA_DIR": str(tmp_path)})

    lines = retrain_models(env, f"{broken},{good}")

    assert lines[0].startswith(f"{broken}: error:")
    assert lines[1] == f"{good}: unit_model v1 in staging"
    registry = open_model_registry(env.database_url, tmp_path / "models")
    assert [(v.version, v.stage) for v in registry.list("unit_model")] == [(1, "staging")]
    assert retrain_models(env, "") == []

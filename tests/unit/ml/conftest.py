"""Generated bars with a learnable signal, a small training config and a fitted model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from aitrader.data.bar_arrays import BarArrays
from aitrader.ml.model_metadata import ModelMetadata
from aitrader.ml.train_config import TrainConfig

MINUTE_NS = 60_000_000_000


def autocorrelated_bars(n: int = 1000, seed: int = 7, phi: float = 0.35) -> BarArrays:
    """AR(1) returns (a momentum a model can find), 1-minute bars from 2024-01-01."""
    rng = np.random.default_rng(seed)
    eps = rng.normal(0, 0.002, n)
    r = np.empty(n)
    r[0] = eps[0]
    for i in range(1, n):
        r[i] = phi * r[i - 1] + eps[i]
    close = 100 * np.exp(np.cumsum(r))
    open_ = np.concatenate([[100.0], close[:-1]])
    wick = np.abs(rng.normal(0, 0.0005, n)) * close
    ts = 1_704_067_200_000_000_000 + np.arange(n, dtype=np.int64) * MINUTE_NS
    return BarArrays(ts, open_, np.maximum(open_, close) + wick, np.minimum(open_, close) - wick,
                     close, rng.uniform(1, 10, n), MINUTE_NS)


@pytest.fixture(scope="session")
def ar_bars() -> BarArrays:
    """1,000 bars with momentum."""
    return autocorrelated_bars()


def config_dict(tmp: Path, **over: Any) -> dict[str, Any]:
    """A small walk-forward config on logistic regression and LightGBM."""
    base: dict[str, Any] = {
        "name": "unit_model",
        "data": {"path": str(tmp / "unused.parquet"), "symbol": "BTC/USDT"},
        "features": {"features": [{"kind": "returns", "horizons": [1, 2, 5]},
                                  {"kind": "volatility", "windows": [10]},
                                  {"kind": "indicator", "name": "rsi", "periods": [7]}]},
        "target": {"kind": "direction", "horizon": 1},
        "cv": {"method": "walk_forward", "n_splits": 3, "embargo_bars": 2},
        "models": [{"algorithm": "logistic_regression"},
                   {"algorithm": "lightgbm", "params": {"n_estimators": 30}}],
        "fee_rate": 0.0,
        "output_dir": str(tmp / "runs"),
    }
    base.update(over)
    return base


@pytest.fixture
def make_config_dict():
    """``config_dict`` as a fixture (test modules cannot import conftest reliably)."""
    return config_dict


@pytest.fixture
def train_config(tmp_path: Path) -> TrainConfig:
    """The small config."""
    return TrainConfig.model_validate(config_dict(tmp_path))


@pytest.fixture(scope="session")
def fitted_lr() -> tuple[Any, ModelMetadata, np.ndarray]:
    """A logistic regression on 4 features, its metadata and the training rows."""
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 4))
    y = (x[:, 0] + rng.normal(size=400) > 0).astype(int)
    meta = ModelMetadata(name="lr", format="sklearn", feature_names=["a", "b", "c", "d"],
                         classes=[0, 1])
    return LogisticRegression().fit(x, y), meta, x

"""The training configuration (`aitrader ml train --config FILE`): data, features, target, CV,
candidate models, fees, retraining schedule."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from aitrader.core.errors import ConfigError
from aitrader.features.spec import FeatureSetSpec
from aitrader.features.splits import SplitSpec
from aitrader.features.targets import TargetSpec

Algorithm = Literal["logistic_regression", "random_forest", "lightgbm", "torch_mlp"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DataSpec(_Frozen):
    """Where the bars come from."""

    path: Path
    symbol: str = "BTC/USDT"
    timeframe: str | None = Field(None, description="resample to this timeframe, e.g. 15m")
    start: str | None = None
    end: str | None = None
    external_path: Path | None = Field(None, description="time-indexed file for ext_ features")
    external_ts_column: str = "ts"


class ModelSpec(_Frozen):
    """One candidate model."""

    algorithm: Algorithm
    params: dict[str, Any] = Field(default_factory=dict)


class RetrainSpec(_Frozen):
    """Scheduled retraining: how often, on how much recent data, and the drift trigger."""

    every_days: float = Field(7.0, gt=0)
    window_days: float = Field(90.0, gt=0, description="train on this many most recent days")
    psi_threshold: float = Field(0.25, gt=0, description="retrain early when any PSI exceeds it")


class TrainConfig(_Frozen):
    """Everything one training run needs; the same file gives the same model."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$")
    data: DataSpec
    features: FeatureSetSpec
    target: TargetSpec = TargetSpec()
    cv: SplitSpec = SplitSpec()
    models: list[ModelSpec] = Field(min_length=1)
    select_metric: Literal["log_loss", "accuracy", "f1", "net_return"] = "log_loss"
    fee_rate: float = Field(0.001, ge=0, lt=0.1, description="per side, fraction of notional")
    allow_short: bool = False
    leakage_check: bool = True
    seed: int = 0
    output_dir: Path = Field(Path("runs/ml"), description="relative to the working directory")
    retrain: RetrainSpec = RetrainSpec()

    @classmethod
    def from_file(cls, path: Path) -> TrainConfig:
        """Load YAML; relative data paths are relative to the file. Errors name file and key."""
        if not path.is_file():
            raise ConfigError(f"training config {path} does not exist")
        try:
            raw = yaml.safe_load(path.read_text()) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid YAML: {exc}") from None
        try:
            cfg = cls.model_validate(raw)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                                 for e in exc.errors())
            raise ConfigError(f"{path}: {problems}") from None
        base = path.resolve().parent
        data = cfg.data
        fixed = {"path": _rel(base, data.path)}
        if data.external_path is not None:
            fixed["external_path"] = _rel(base, data.external_path)
        return cfg.model_copy(update={"data": data.model_copy(update=fixed)})


def _rel(base: Path, p: Path) -> Path:
    return p if p.is_absolute() else (base / p).resolve()

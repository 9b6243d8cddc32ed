"""ML composition: the model registry on the database, training from a config file, and the
ML strategy bound to a Predictor for backtests (the only place these pieces meet)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from aitrader.core.ports import Predictor
from aitrader.data.bar_arrays import BarArrays
from aitrader.data.resample import resample
from aitrader.data.timeframes import parse_timeframe
from aitrader.features.external_series import ExternalSeries
from aitrader.features.feature_set import FeatureSet
from aitrader.ml.artifacts import write_artifacts
from aitrader.ml.registry import ModelRegistry, ModelVersion
from aitrader.ml.train_config import TrainConfig
from aitrader.ml.trainer import TrainingResult, train
from aitrader.ml.training_report import write_report
from aitrader.runtime.backtest import BacktestRequest, BacktestResult, run_backtest
from aitrader.runtime.backtest_files import load_backtest_bars
from aitrader.storage.db import session_factory
from aitrader.storage.migrate import upgrade_to_head
from aitrader.storage.ml_models import SqlModelRecordStore
from aitrader.strategies.ml.ml_classifier import MLClassifierStrategy
from aitrader.strategies.registry import StrategyRegistry

DEFAULT_STORE_DIR = Path("var/models")


def open_model_registry(database_url: str, store_dir: Path = DEFAULT_STORE_DIR) -> ModelRegistry:
    """The registry on ``database_url`` (schema migrated) with files under ``store_dir``."""
    engine = upgrade_to_head(database_url)
    return ModelRegistry(SqlModelRecordStore(session_factory(engine)), store_dir)


def load_training_bars(cfg: TrainConfig) -> tuple[BarArrays, dict[str, npt.NDArray[Any]]]:
    """Bars of the config's file and range (resampled if asked) and external columns."""
    bars = load_backtest_bars(cfg.data.path, None, cfg.data.start, cfg.data.end)
    if cfg.data.timeframe:
        tf = parse_timeframe(cfg.data.timeframe)
        if tf != bars.timeframe_ns:
            bars = resample(bars, tf)
    extra: dict[str, npt.NDArray[Any]] = {}
    if cfg.data.external_path is not None:
        series = ExternalSeries.from_file(cfg.data.external_path, cfg.data.external_ts_column)
        extra.update(series.asof(bars.ts_ns + bars.timeframe_ns))
    return bars, extra


@dataclass
class TrainRun:
    """A finished training run."""

    result: TrainingResult
    out_dir: Path
    report_path: Path
    artifacts: dict[str, Any]
    registered: list[ModelVersion]


def train_from_config(cfg: TrainConfig, registry: ModelRegistry | None = None,
                      out_dir: Path | None = None, bars: BarArrays | None = None) -> TrainRun:
    """Train, write the model files and report, and register them (staging) if asked."""
    extra: dict[str, npt.NDArray[Any]] = {}
    if bars is None:
        bars, extra = load_training_bars(cfg)
    result = train(cfg, bars, extra)
    out = out_dir or cfg.output_dir / cfg.name
    artifacts = write_artifacts(result, out)
    registered: list[ModelVersion] = []
    if registry is not None:
        # the files were written by this process a moment ago: a trusted local path
        registered.append(registry.register_file(Path(artifacts["native"]), trusted=True,
                                                 source=f"trained from {cfg.name}"))
        if artifacts.get("onnx"):
            onnx_name = cfg.name + "-onnx"
            meta = result.metadata.model_copy(update={"name": onnx_name, "format": "onnx"})
            registered.append(registry.register_file(Path(artifacts["onnx"]), meta,
                                                     trusted=False, source=f"ONNX of {cfg.name}"))
        artifacts["registered"] = [f"{v.name} v{v.version} ({v.stage})" for v in registered]
    report = write_report(result, out, artifacts)
    return TrainRun(result, out, report, artifacts, registered)


def feature_set_of(predictor: Predictor) -> FeatureSet:
    """The FeatureSet a predictor's metadata declares."""
    meta = getattr(predictor, "metadata", None)
    spec = getattr(meta, "feature_set", None)
    if spec is None:
        raise ValueError("the model's metadata has no feature_set; it cannot trade live")
    return FeatureSet(spec)


def run_ml_backtest(bars: BarArrays, predictor: Predictor, params: dict[str, Any] | None = None,
                    symbol: str = "BTC/USDT", **request: Any) -> BacktestResult:
    """Backtest the ML classifier strategy with ``predictor`` on ``bars`` through the engine."""
    bound = MLClassifierStrategy.bind(predictor, feature_set_of(predictor))
    req = BacktestRequest(bars=bars, symbol=symbol, strategy=bound.name,
                          params=dict(params or {}),
                          registry=StrategyRegistry([bound]), **request)
    return run_backtest(req)


def per_bar_returns(result: BacktestResult) -> npt.NDArray[np.float64]:
    """Simple returns of the equity curve, one per bar."""
    eq = np.asarray(result.equity, dtype=np.float64)
    out: npt.NDArray[np.float64] = np.diff(eq) / eq[:-1]
    return out

"""Training: features → leakage check → target → purged walk-forward/k-fold CV → final fit.

Only out-of-sample numbers are reported: every fold's metrics come from rows the model did not
train on, with overlapping label windows purged. The final model is refitted on all rows for
deployment; its in-sample fit is never reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from aitrader.core.errors import DataError
from aitrader.data.bar_arrays import BarArrays
from aitrader.features.bar_columns import bar_columns
from aitrader.features.feature_set import CustomFeature, FeatureSet
from aitrader.features.leakage import require_no_lookahead
from aitrader.features.splits import Fold, assert_no_overlap, make_folds
from aitrader.features.targets import build_target
from aitrader.ml.fold_metrics import classification_metrics, signal_returns, trading_metrics
from aitrader.ml.model_metadata import ModelMetadata
from aitrader.ml.model_zoo import build_estimator
from aitrader.ml.train_config import ModelSpec, TrainConfig

F64 = npt.NDArray[np.float64]
_YEAR_NS = 365 * 24 * 3600 * 10**9
_LOWER_IS_BETTER = {"log_loss"}


@dataclass
class ModelEvaluation:
    """One candidate's out-of-sample record."""

    algorithm: str
    folds: list[dict[str, float]]
    mean: dict[str, float]
    oos_returns: F64 = field(repr=False)


@dataclass
class TrainingResult:
    """What a run produced; ``model`` is the refitted best candidate."""

    config: TrainConfig
    feature_names: list[str]
    classes: list[int]
    evaluations: list[ModelEvaluation]
    best: str
    model: Any
    metadata: ModelMetadata
    n_samples: int
    fold_ranges: list[dict[str, int]]
    x_check: F64 = field(repr=False)


def prepare_samples(cfg: TrainConfig, bars: BarArrays,
                    extra: Mapping[str, npt.NDArray[Any]] | None = None,
                    custom: Mapping[str, CustomFeature] | None = None,
                    ) -> tuple[FeatureSet, F64, F64, npt.NDArray[np.int64], Any]:
    """Feature matrix, labels and bar indices of the usable rows (plus the target)."""
    fs = FeatureSet(cfg.features, custom)
    cols = bar_columns(bars, extra)
    if cfg.leakage_check:
        require_no_lookahead(fs, cols)
    x_all = fs.compute(cols)
    target = build_target(cfg.target, bars.close, bars.high, bars.low)
    ok = np.all(np.isfinite(x_all), axis=1) & np.isfinite(target.labels)
    rows = np.flatnonzero(ok)
    if len(rows) < 50:
        raise DataError(f"only {len(rows)} usable rows after warm-up and labelling; need >= 50 "
                        "(use more data or shorter windows)")
    return fs, x_all[rows], target.labels[rows], rows.astype(np.int64), target


def train(cfg: TrainConfig, bars: BarArrays, extra: Mapping[str, npt.NDArray[Any]] | None = None,
          custom: Mapping[str, CustomFeature] | None = None) -> TrainingResult:
    """Cross-validate every candidate, pick the best by ``select_metric``, refit it on all rows."""
    fs, x, y, rows, target = prepare_samples(cfg, bars, extra, custom)
    start = rows - (fs.warmup - 1)
    end = target.end_idx[rows]
    folds = make_folds(cfg.cv, start, end)
    for fold in folds:
        assert_no_overlap(fold, start, end)
    next_ret = np.zeros(len(bars))
    next_ret[:-1] = bars.close[1:] / bars.close[:-1] - 1
    periods = _YEAR_NS / bars.timeframe_ns
    classes = list(target.classes)
    tradable = cfg.target.kind in ("direction", "triple_barrier")
    evals = [_evaluate(spec, cfg, x, y, rows, folds, classes, next_ret if tradable else None,
                       periods) for spec in cfg.models]
    sign = 1 if cfg.select_metric in _LOWER_IS_BETTER else -1
    best = min(evals, key=lambda e: sign * e.mean.get(cfg.select_metric, np.inf * sign))
    spec = next(s for s in cfg.models if s.algorithm == best.algorithm)
    model = build_estimator(spec, cfg.seed).fit(x, y.astype(np.int64))
    meta = ModelMetadata(
        name=cfg.name, format="sklearn", feature_names=fs.names, classes=classes,
        feature_set=cfg.features, target=cfg.target, symbol=cfg.data.symbol,
        timeframe=cfg.data.timeframe, data_start_ns=int(bars.ts_ns[rows[0]]),
        data_end_ns=int(bars.ts_ns[rows[-1]] + bars.timeframe_ns), metrics=best.mean,
        algorithm=best.algorithm,
    )
    ranges = [{"train_rows": len(f.train), "test_rows": len(f.test),
               "test_start_ns": int(bars.ts_ns[rows[f.test[0]]]),
               "test_end_ns": int(bars.ts_ns[rows[f.test[-1]]])} for f in folds]
    return TrainingResult(cfg, fs.names, classes, evals, best.algorithm, model, meta, len(rows),
                          ranges, x[folds[-1].test])


def _evaluate(spec: ModelSpec, cfg: TrainConfig, x: F64, y: F64, rows: npt.NDArray[np.int64],
              folds: list[Fold], classes: list[int], next_ret: F64 | None,
              periods: float) -> ModelEvaluation:
    per_fold: list[dict[str, float]] = []
    oos: list[F64] = []
    for i, fold in enumerate(folds):
        model = build_estimator(spec, cfg.seed).fit(x[fold.train], y[fold.train].astype(np.int64))
        proba = _aligned_proba(model, x[fold.test], classes)
        m = classification_metrics(y[fold.test], proba, classes)
        if next_ret is not None:
            r = signal_returns(proba[:, 1], next_ret[rows[fold.test]], cfg.fee_rate,
                               cfg.allow_short)
            m.update(trading_metrics(r, periods))
            oos.append(r)
        per_fold.append({"fold": float(i), **m})
    keys = [k for k in per_fold[0] if k != "fold"]
    mean = {k: float(np.mean([f[k] for f in per_fold])) for k in keys}
    if oos:
        mean["net_return"] = float(np.prod(1 + np.concatenate(oos)) - 1)
    return ModelEvaluation(spec.algorithm, per_fold, mean,
                           np.concatenate(oos) if oos else np.array([]))


def _aligned_proba(model: Any, x: F64, classes: list[int]) -> F64:
    """Probabilities in ``classes`` order (a fold may miss a class in training)."""
    raw = np.asarray(model.predict_proba(x), dtype=np.float64)
    out = np.zeros((len(x), len(classes)))
    for j, c in enumerate(int(c) for c in model.classes_):
        out[:, classes.index(c)] = raw[:, j]
    return out

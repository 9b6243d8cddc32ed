"""Training: out-of-sample metrics per fold, a JSON + HTML report, leaks stopped, ONNX parity."""

from __future__ import annotations

import json

import numpy as np
import pytest

from aitrader.core.errors import ConfigError
from aitrader.features.leakage import LeakageError
from aitrader.ml.artifacts import write_artifacts
from aitrader.ml.model_loader import load_predictor
from aitrader.ml.train_config import TrainConfig
from aitrader.ml.trainer import train
from aitrader.ml.training_report import write_report


def test_training_reports_out_of_sample_metrics_for_every_fold(train_config, ar_bars) -> None:
    result = train(train_config, ar_bars)
    assert [e.algorithm for e in result.evaluations] == ["logistic_regression", "lightgbm"]
    for ev in result.evaluations:
        assert len(ev.folds) == 3
        for fold in ev.folds:
            assert {"accuracy", "log_loss", "f1", "net_return", "sharpe"} <= set(fold)
    lr = result.evaluations[0]
    assert lr.mean["accuracy"] > 0.55  # AR(1) momentum is learnable out of sample
    for fr in result.fold_ranges:  # walk-forward: tests come after their training rows
        assert fr["test_rows"] > 0 and fr["train_rows"] > 0
    assert result.metadata.feature_names == result.feature_names
    assert result.metadata.data_start_ns is not None


def test_the_report_is_written_as_json_and_html(tmp_path, train_config, ar_bars) -> None:
    result = train(train_config, ar_bars)
    artifacts = write_artifacts(result, tmp_path / "out")
    path = write_report(result, tmp_path / "out", artifacts)
    report = json.loads(path.read_text())
    assert report["note"].startswith("all metrics are out-of-sample")
    assert report["selected"] == result.best
    assert len(report["models"][0]["folds"]) == 3
    html = (tmp_path / "out" / "report.html").read_text()
    assert "out-of-sample" in html and "logistic_regression" in html
    assert artifacts["onnx_max_abs_diff"] < 1e-6


def test_exported_onnx_agrees_with_the_native_model(tmp_path, train_config, ar_bars) -> None:
    for algorithm in ("logistic_regression", "lightgbm", "random_forest"):
        cfg = train_config.model_copy(update={"models": [
            train_config.models[0].model_copy(update={"algorithm": algorithm, "params": (
                {"n_estimators": 20} if algorithm != "logistic_regression" else {})})]})
        result = train(cfg, ar_bars)
        artifacts = write_artifacts(result, tmp_path / algorithm)
        assert artifacts["onnx_max_abs_diff"] < 1e-6, algorithm
        native = load_predictor(artifacts["native"], trusted=True)
        onnx = load_predictor(artifacts["onnx"], trusted=False)
        np.testing.assert_allclose(onnx.predict_proba_batch(result.x_check),
                                   native.predict_proba_batch(result.x_check), atol=1e-6)


def test_a_leaking_feature_stops_training(train_config, ar_bars) -> None:
    def tomorrow(cols):
        c = cols["close"]
        return np.concatenate([c[1:] / c[:-1] - 1, [np.nan]])

    raw = train_config.model_dump()
    raw["features"]["features"].append({"kind": "custom", "name": "tomorrow"})
    cfg = TrainConfig.model_validate(raw)
    with pytest.raises(LeakageError, match=r"\['tomorrow'\]"):
        train(cfg, ar_bars, custom={"tomorrow": tomorrow})


def test_a_bad_config_names_the_file_and_key(tmp_path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text("name: x\ndata: {path: a.parquet}\nfeatures: {features: []}\n"
                    "models: [{algorithm: xgboost}]\n")
    with pytest.raises(ConfigError, match=r"bad\.yml: .*features\.features.*models\.0\.algorithm"):
        TrainConfig.from_file(path)


def test_fees_lower_the_trading_result(train_config, ar_bars) -> None:
    lr_only = train_config.model_copy(update={"models": train_config.models[:1]})
    free = train(lr_only, ar_bars).evaluations[0].mean["net_return"]
    costly = train(lr_only.model_copy(update={"fee_rate": 0.001}), ar_bars)
    assert costly.evaluations[0].mean["net_return"] < free


def test_a_small_torch_mlp_trains_and_is_saved_as_torchscript(tmp_path, train_config,
                                                              ar_bars) -> None:
    pytest.importorskip("torch")
    cfg = train_config.model_copy(update={"models": [
        train_config.models[0].model_copy(update={"algorithm": "torch_mlp",
                                                  "params": {"hidden": 8, "epochs": 15}})]})
    result = train(cfg, ar_bars)
    assert result.best == "torch_mlp" and len(result.evaluations[0].folds) == 3
    artifacts = write_artifacts(result, tmp_path / "mlp")
    pred = load_predictor(artifacts["native"], trusted=True)
    assert pred.metadata.format == "torchscript"
    np.testing.assert_allclose(pred.predict_proba_batch(result.x_check),
                               result.model.predict_proba(result.x_check), atol=1e-6)

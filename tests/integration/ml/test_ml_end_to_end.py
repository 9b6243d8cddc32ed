"""Real BTCUSDT candles: train → register → export ONNX → backtest the ML strategy with both
runtimes → ONNX and native predictions agree to 1e-6 and the backtests are identical."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from aitrader.features.bar_columns import bar_columns
from aitrader.features.feature_set import FeatureSet
from aitrader.ml.train_config import TrainConfig
from aitrader.runtime.ml_ab import run_ab_backtest
from aitrader.runtime.ml_wiring import (
    load_training_bars,
    open_model_registry,
    run_ml_backtest,
    train_from_config,
)

pytestmark = pytest.mark.realdata


def _config(shared_data, tmp_path, algorithm: str) -> TrainConfig:
    """30 days of 15m bars, triple-barrier labels, purged walk-forward."""
    return TrainConfig.model_validate({
        "name": f"btc_e2e_{algorithm}",
        "data": {"path": str(shared_data / "crypto/binance_spot_1m/BTCUSDT"
                             / "BTCUSDT_1m_2024.parquet"),
                 "symbol": "BTC/USDT", "timeframe": "15m",
                 "start": "2024-01-01", "end": "2024-01-31"},
        "features": {"name": "e2e", "features": [
            {"kind": "returns", "horizons": [1, 4, 16]},
            {"kind": "volatility", "windows": [16, 64]},
            {"kind": "indicator", "name": "sma_ratio", "periods": [20]},
            {"kind": "indicator", "name": "rsi", "periods": [14]},
            {"kind": "bar_shape"}, {"kind": "calendar"}]},
        "target": {"kind": "triple_barrier", "horizon": 4, "barrier_mult": 2.0,
                   "vol_window": 64},
        "cv": {"method": "walk_forward", "n_splits": 4, "embargo_bars": 4},
        "models": [{"algorithm": algorithm, "params": {"n_estimators": 60}
                    if algorithm != "logistic_regression" else {}}],
        "fee_rate": 0.001,
        "output_dir": str(tmp_path / "runs"),
    })


def test_train_register_export_and_backtest_on_real_candles(shared_data, tmp_path) -> None:
    cfg = _config(shared_data, tmp_path, "lightgbm")
    bars, _extra = load_training_bars(cfg)
    assert len(bars) == 30 * 96  # 30 days of 15-minute bars, resampled from 1m
    registry = open_model_registry(f"sqlite:///{tmp_path / 'reg.db'}", tmp_path / "store")
    run = train_from_config(cfg, registry)

    # out-of-sample report, one row per fold
    evaluation = run.result.evaluations[0]
    assert len(evaluation.folds) == 4 and 0.3 < evaluation.mean["accuracy"] < 0.7
    native_v, onnx_v = run.registered
    assert (native_v.format, onnx_v.format) == ("sklearn", "onnx")
    assert native_v.stage == onnx_v.stage == "staging"
    assert native_v.data_start_ns is not None and native_v.data_end_ns is not None

    native = registry.load(native_v.name)
    onnx = registry.load(onnx_v.name)
    fs = FeatureSet(cfg.features)
    x = fs.compute(bar_columns(bars))
    x = x[np.all(np.isfinite(x), axis=1)]
    diff = np.abs(native.predict_proba_batch(x) - onnx.predict_proba_batch(x)).max()
    assert diff <= 1e-6, f"ONNX vs native max |Δp| = {diff}"

    params = {"long_threshold": 0.52, "short_threshold": 0.48, "max_quantity": "0.5"}
    last_days = bars.slice(len(bars) - 5 * 96, len(bars))  # native sklearn is ms per row
    bt_native = run_ml_backtest(last_days, native, params)
    bt_onnx = run_ml_backtest(last_days, onnx, params)
    assert bt_native.fills > 0
    # the same decisions at the same bars; sizes may differ in the last lot from |Δp| <= 1e-6
    assert [(t.entry_ts_ns, t.exit_ts_ns, t.side) for t in bt_native.trades] == [
        (t.entry_ts_ns, t.exit_ts_ns, t.side) for t in bt_onnx.trades]
    for a, b in zip(bt_native.trades, bt_onnx.trades, strict=True):
        assert abs(a.quantity - b.quantity) <= Decimal("1e-6") * a.quantity
    # champion/challenger in parallel backtests on the same bars: equal models, no promotion
    two_weeks = bars.slice(len(bars) - 14 * 96, len(bars))
    ab = run_ab_backtest(two_weeks, onnx, registry.load(onnx_v.name), params=params,
                         period_bars=96)
    assert ab.periods == 13 and ab.mean_difference == 0 and not ab.promotion_allowed

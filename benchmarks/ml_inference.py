"""Single-decision latency of the live ML path: features from the live window + ONNX predict.

Trains a LightGBM and a logistic regression on BTCUSDT 15-minute bars (2024-01-01 → 04-01,
resampled from the 1m file), exports both to ONNX, then replays the following bars one at a
time as the strategy does: push the closed bar, compute the feature row, predict. Each decision
is timed with perf_counter_ns. Peers in the same run: the same models through their native
scikit-learn/LightGBM predict_proba, and each stage alone.

    .venv/bin/python benchmarks/ml_inference.py --decisions 3000
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnxruntime
import sklearn
import yaml

from aitrader.features.feature_set import FeatureSet
from aitrader.features.live_window import LiveFeatureWindow
from aitrader.features.spec import FeatureSetSpec
from aitrader.ml.artifacts import write_artifacts
from aitrader.ml.model_loader import load_predictor
from aitrader.ml.train_config import TrainConfig
from aitrader.ml.trainer import train
from aitrader.runtime.ml_wiring import load_training_bars

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "config" / "ml" / "btc_15m_direction.yml"
LEAN = {"name": "lean", "features": [{"kind": "returns", "horizons": [1, 4, 16]},
                                      {"kind": "volatility", "windows": [16]},
                                      {"kind": "indicator", "name": "rsi", "periods": [14]}]}


def percentiles(ns: list[int]) -> tuple[float, float, float, float]:
    """p50, p99, p99.9 and max in microseconds."""
    a = np.asarray(ns, dtype=np.float64) / 1000
    return (float(np.percentile(a, 50)), float(np.percentile(a, 99)),
            float(np.percentile(a, 99.9)), float(a.max()))


def replay(bars, fs: FeatureSet, predict: Callable | None, start: int, n: int
           ) -> tuple[list[int], list[int]]:
    """Wall and on-CPU time of push + features (+ predict) for ``n`` consecutive bars."""
    window = LiveFeatureWindow(fs)
    tf = bars.timeframe_ns
    for i in range(start - fs.warmup, start):
        window.push(int(bars.ts_ns[i]) + tf, bars.open[i], bars.high[i], bars.low[i],
                    bars.close[i], bars.volume[i])
    wall, cpu = [], []
    clock, cpu_clock = time.perf_counter_ns, time.thread_time_ns
    for i in range(start, start + n):
        t0, c0 = clock(), cpu_clock()
        window.push(int(bars.ts_ns[i]) + tf, bars.open[i], bars.high[i], bars.low[i],
                    bars.close[i], bars.volume[i])
        row = window.latest()
        if predict is not None:
            predict(row)
        cpu.append(cpu_clock() - c0)
        wall.append(clock() - t0)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--decisions", type=int, default=3000)
    args = ap.parse_args()
    raw = yaml.safe_load(CONFIG.read_text())
    raw["data"]["path"] = str((CONFIG.parent / raw["data"]["path"]).resolve())
    raw["data"]["end"] = "2024-05-01"
    rows = []
    for fs_name, fs_spec in (("config (18 features)", raw["features"]), ("lean (5)", LEAN)):
        for algorithm in ("lightgbm", "logistic_regression"):
            cfg = TrainConfig.model_validate({
                **raw, "features": fs_spec, "models": [{"algorithm": algorithm}],
                "cv": {"method": "walk_forward", "n_splits": 2}})
            bars, _ = load_training_bars(cfg)
            split = len(bars) - args.decisions - 1
            result = train(cfg, bars.slice(0, split))
            with tempfile.TemporaryDirectory() as tmp:
                art = write_artifacts(result, Path(tmp))
                onnx = load_predictor(art["onnx"], trusted=False)
                native = load_predictor(art["native"], trusted=True)
            fs = FeatureSet(FeatureSetSpec.model_validate(fs_spec))
            n = args.decisions
            cases = {
                "features + ONNX predict (live path)": onnx.predict_proba,
                "features + native predict_proba": native.predict_proba,
                "features only": None,
            }
            for label, fn in cases.items():
                wall, cpu = replay(bars, fs, fn, split, n if fn is not native.predict_proba
                                   else min(n, 1000))
                rows.append((fs_name, algorithm, label, *percentiles(wall), *percentiles(cpu)))
            x = np.random.default_rng(0).normal(size=len(fs.names)) * 1e-3
            wall, cpu = [], []
            for _ in range(n):
                t0, c0 = time.perf_counter_ns(), time.thread_time_ns()
                onnx.predict_proba(x)
                cpu.append(time.thread_time_ns() - c0)
                wall.append(time.perf_counter_ns() - t0)
            rows.append((fs_name, algorithm, "ONNX predict only", *percentiles(wall),
                         *percentiles(cpu)))
    print(f"Measured {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, Python "
          f"{platform.python_version()}, onnxruntime {onnxruntime.__version__}, scikit-learn "
          f"{sklearn.__version__}; {args.decisions} decisions per row (native: 1000); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("\n| feature set | model | path | wall p50 µs | wall p99 µs | wall max µs "
          "| CPU p50 µs | CPU p99 µs |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for fs_name, alg, label, p50, p99, _p999, mx, c50, c99, _c999, _cmx in rows:
        print(f"| {fs_name} | {alg} | {label} | {p50:.0f} | {p99:.0f} | {mx:.0f} | {c50:.0f} "
              f"| {c99:.0f} |")


if __name__ == "__main__":
    main()

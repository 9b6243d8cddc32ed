"""Write a tiny real ONNX model for the dashboard's Playwright run: a logistic regression on
generated data, exported with its aitrader metadata embedded, plus that metadata as JSON.

    .venv/bin/python tests/e2e/make_model.py OUT_DIR   → OUT_DIR/direction.onnx (+ .meta.json)
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from aitrader.ml.model_metadata import ModelMetadata, write_sidecar
from aitrader.ml.onnx_export import save_onnx, to_onnx


def main(out_dir: Path) -> Path:
    """Fit, export and write the model; returns the .onnx path."""
    rng = np.random.default_rng(5)
    x = rng.normal(size=(300, 3))
    y = (x[:, 0] + rng.normal(scale=0.5, size=300) > 0).astype(int)
    model = LogisticRegression().fit(x, y)
    meta = ModelMetadata(name="direction", format="onnx",
                         feature_names=["ret_1", "ret_2", "vol_10"], classes=[0, 1],
                         metrics={"auc": 0.612, "accuracy": 0.55},
                         data_start_ns=1_704_067_200_000_000_000,
                         data_end_ns=1_704_153_600_000_000_000,
                         algorithm="logistic_regression")
    out_dir.mkdir(parents=True, exist_ok=True)
    path = save_onnx(to_onnx(model, 3, meta), out_dir / "direction.onnx")
    write_sidecar(path, meta)
    return path


if __name__ == "__main__":
    sys.stdout.write(f"{main(Path(sys.argv[1]))}\n")

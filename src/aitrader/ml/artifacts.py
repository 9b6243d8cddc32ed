"""Files of a trained model: native (joblib or TorchScript) with a metadata sidecar, ONNX export
with its parity against the native predictions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import joblib

from aitrader.ml.errors import ModelError
from aitrader.ml.model_loader import load_predictor
from aitrader.ml.model_metadata import ModelMetadata, write_sidecar
from aitrader.ml.onnx_export import max_abs_difference, save_onnx, to_onnx
from aitrader.ml.runtimes import SklearnPredictor
from aitrader.ml.trainer import TrainingResult


def write_artifacts(result: TrainingResult, out_dir: Path) -> dict[str, Any]:
    """Write the model files; returns their paths and the ONNX parity (max |Δp|)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    meta = result.metadata
    if result.best == "torch_mlp":
        pt = result.model.save_torchscript(out_dir / "model.pt")
        tmeta = meta.model_copy(update={"format": "torchscript"})
        write_sidecar(pt, tmeta)
        return {"native": str(pt), "onnx": None, "onnx_max_abs_diff": None}
    native = out_dir / "model.joblib"
    joblib.dump(result.model, native)
    write_sidecar(native, meta)
    info: dict[str, Any] = {"native": str(native)}
    try:
        onnx_path, diff = export_onnx(result.model, meta, result.x_check, out_dir / "model.onnx")
        info.update({"onnx": str(onnx_path), "onnx_max_abs_diff": diff})
    except ModelError as exc:
        info.update({"onnx": None, "onnx_error": str(exc)})
    return info


def export_onnx(model: Any, meta: ModelMetadata, x_check: Any, path: Path) -> tuple[Path, float]:
    """Export to ONNX and compare with the native model on ``x_check``."""
    proto = to_onnx(model, len(meta.feature_names), meta)
    save_onnx(proto, path)
    onnx_pred = load_predictor(path, trusted=False)
    native = SklearnPredictor(model, meta)
    diff = max_abs_difference(native.predict_proba_batch(x_check),
                              onnx_pred.predict_proba_batch(x_check))
    return path, diff

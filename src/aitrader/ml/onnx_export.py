"""Export trained scikit-learn and LightGBM classifiers to ONNX, metadata embedded, parity checked.

scikit-learn graphs take float64 input where the converters support it (linear models,
scalers), so ONNX and native agree to ~1e-12; tree ensembles run in float32 as scikit-learn
itself does. LightGBM converts through onnxmltools (float32 input).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from aitrader.ml.errors import ModelError
from aitrader.ml.model_metadata import ONNX_METADATA_KEY, ModelMetadata

F64 = npt.NDArray[np.float64]
TARGET_OPSET = {"": 17, "ai.onnx.ml": 3}


def _is_lightgbm(model: Any) -> bool:
    return type(model).__module__.startswith("lightgbm")


def _contains_lightgbm(model: Any) -> bool:
    steps = getattr(model, "steps", None)
    if steps:
        return any(_is_lightgbm(step) for _name, step in steps)
    return _is_lightgbm(model)


def to_onnx(model: Any, n_features: int, meta: ModelMetadata) -> Any:
    """An ONNX ModelProto of ``model`` with ``meta`` (format=onnx) in its metadata_props."""
    if _contains_lightgbm(model):
        proto = _lightgbm_to_onnx(model, n_features)
    else:
        proto = _sklearn_to_onnx(model, n_features)
    entry = proto.metadata_props.add()
    entry.key = ONNX_METADATA_KEY
    entry.value = meta.model_copy(update={"format": "onnx"}).to_json()
    return proto


def _sklearn_to_onnx(model: Any, n_features: int) -> Any:
    from skl2onnx import to_onnx as skl_to_onnx
    from skl2onnx.common.exceptions import MissingShapeCalculator

    options = {id(model): {"zipmap": False}}
    errors: list[str] = []
    for dtype in (np.float64, np.float32):
        try:
            return skl_to_onnx(model, np.zeros((1, n_features), dtype=dtype),
                               options=options, target_opset=TARGET_OPSET)
        except (RuntimeError, MissingShapeCalculator, NotImplementedError, TypeError) as exc:
            errors.append(f"{np.dtype(dtype).name}: {exc}")
    raise ModelError(f"cannot export {type(model).__name__} to ONNX: {'; '.join(errors)}")


def _lightgbm_to_onnx(model: Any, n_features: int) -> Any:
    import lightgbm
    from onnxmltools.convert.lightgbm.operator_converters.LightGbm import convert_lightgbm

    from aitrader.ml.float32_input import register_onnx_converter

    register_onnx_converter()
    from skl2onnx import convert_sklearn, update_registered_converter
    from skl2onnx.common.data_types import FloatTensorType
    from skl2onnx.common.shape_calculator import calculate_linear_classifier_output_shapes

    update_registered_converter(
        lightgbm.LGBMClassifier, "LightGbmLGBMClassifier",
        calculate_linear_classifier_output_shapes, convert_lightgbm,
        options={"nocl": [True, False], "zipmap": [True, False, "columns"]},
    )
    est = model.steps[-1][1] if getattr(model, "steps", None) else model
    options = {id(est): {"zipmap": False}}
    return convert_sklearn(model, initial_types=[("input", FloatTensorType([None, n_features]))],
                           options=options, target_opset=TARGET_OPSET)


def save_onnx(proto: Any, path: Path) -> Path:
    """Write the ModelProto atomically."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(proto.SerializeToString())
    tmp.replace(path)
    return path


def max_abs_difference(native: F64, onnx_probs: F64) -> float:
    """Largest absolute difference of two probability matrices."""
    return float(np.max(np.abs(np.asarray(native) - np.asarray(onnx_probs))))

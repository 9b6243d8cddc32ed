"""Predictor implementations: scikit-learn/LightGBM objects, ONNX sessions, TorchScript modules.

Each maps one feature row (in ``feature_names`` order) to probabilities in ``classes`` order,
and a matrix of rows at once for training reports and parity checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from aitrader.ml.errors import FeatureMismatchError, ModelFormatError
from aitrader.ml.model_metadata import ModelMetadata

F64 = npt.NDArray[np.float64]


class _Base:
    def __init__(self, meta: ModelMetadata) -> None:
        self.metadata = meta
        self.feature_names: Sequence[str] = list(meta.feature_names)
        self.classes: Sequence[int] = list(meta.classes)
        self._n = len(meta.feature_names)

    def _matrix(self, rows: Any) -> F64:
        x = np.asarray(rows, dtype=np.float64)
        if x.ndim == 1:
            x = x.reshape(1, -1)
        if x.shape[1] != self._n:
            raise FeatureMismatchError(f"model {self.metadata.name} expects {self._n} features "
                                       f"{list(self.feature_names)}, got {x.shape[1]}")
        return x

    def predict_proba(self, features: Sequence[float]) -> Sequence[float]:
        """Probabilities of one row, in ``classes`` order."""
        return self.predict_proba_batch(features)[0].tolist()  # type: ignore[no-any-return]

    def predict_proba_batch(self, rows: Any) -> F64:  # pragma: no cover - overridden
        """Probabilities of each row, shape (rows, classes)."""
        raise NotImplementedError


class SklearnPredictor(_Base):
    """A fitted scikit-learn-compatible classifier (``predict_proba`` + ``classes_``)."""

    def __init__(self, model: Any, meta: ModelMetadata) -> None:
        super().__init__(meta)
        if not hasattr(model, "predict_proba"):
            raise ModelFormatError(f"model {meta.name}: {type(model).__name__} has no "
                                   "predict_proba; a classifier is required")
        self.model = model
        model_classes = [int(c) for c in getattr(model, "classes_", meta.classes)]
        if sorted(model_classes) != sorted(self.classes):
            raise FeatureMismatchError(f"model {meta.name}: classes {model_classes} differ from "
                                       f"the metadata's {list(self.classes)}")
        self._order = [model_classes.index(c) for c in self.classes]
        n_in = getattr(model, "n_features_in_", None)
        if n_in is not None and int(n_in) != self._n:
            raise FeatureMismatchError(f"model {meta.name} was fitted on {n_in} features, the "
                                       f"metadata lists {self._n}")

    def predict_proba_batch(self, rows: Any) -> F64:
        """Probabilities of each row."""
        proba = np.asarray(self.model.predict_proba(self._matrix(rows)), dtype=np.float64)
        return proba[:, self._order]


class OnnxPredictor(_Base):
    """An onnxruntime session; the probability output is found by shape (or a ZipMap)."""

    def __init__(self, session: Any, meta: ModelMetadata) -> None:
        super().__init__(meta)
        self.session = session
        inputs = session.get_inputs()
        if len(inputs) != 1:
            raise ModelFormatError(f"model {meta.name}: ONNX graph must have one input, has "
                                   f"{len(inputs)}")
        self._input = inputs[0].name
        shape = inputs[0].shape
        if len(shape) == 2 and isinstance(shape[1], int) and shape[1] != self._n:
            raise FeatureMismatchError(f"model {meta.name}: ONNX input takes {shape[1]} "
                                       f"features, the metadata lists {self._n}")
        self._dtype = np.float64 if "double" in inputs[0].type else np.float32
        outputs = session.get_outputs()
        probs = [o for o in outputs if "prob" in o.name.lower()] or outputs[-1:]
        self._output = probs[0].name

    def predict_proba_batch(self, rows: Any) -> F64:
        """Probabilities of each row."""
        x = self._matrix(rows).astype(self._dtype, copy=False)
        out = self.session.run([self._output], {self._input: x})[0]
        if isinstance(out, list):  # ZipMap: a list of {class: probability}
            return np.array([[row[c] for c in self.classes] for row in out], dtype=np.float64)
        return np.asarray(out, dtype=np.float64)


class TorchScriptPredictor(_Base):
    """A TorchScript module returning class logits or probabilities (``softmax`` applied when
    rows do not sum to 1)."""

    def __init__(self, module: Any, meta: ModelMetadata) -> None:
        super().__init__(meta)
        import torch

        self._torch = torch
        self.module = module.eval()

    def predict_proba_batch(self, rows: Any) -> F64:
        """Probabilities of each row."""
        torch = self._torch
        with torch.no_grad():
            out = self.module(torch.from_numpy(self._matrix(rows).astype(np.float32)))
            if not torch.allclose(out.sum(dim=1), torch.ones(out.shape[0]), atol=1e-4):
                out = torch.softmax(out, dim=1)
        proba = np.asarray(out.double().numpy(), dtype=np.float64)
        normalised: F64 = proba / proba.sum(axis=1, keepdims=True)  # float32 softmax
        return normalised

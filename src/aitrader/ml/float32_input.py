"""Round features to float32 before a model that ONNX can only run in float32 (LightGBM).

Trained and run natively behind this step, the model sees exactly the numbers its float32 ONNX
graph sees, so a value can no longer fall on different sides of a split in the two runtimes.
In the ONNX graph the step is a Cast (the input is float32 already).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, TransformerMixin

F64 = npt.NDArray[np.float64]


class Float32Input(TransformerMixin, BaseEstimator):  # type: ignore[misc]  # sklearn is untyped
    """x → float64(float32(x))."""

    def fit(self, x: Any, y: Any = None) -> Float32Input:
        """Nothing to learn."""
        self.n_features_in_ = np.asarray(x).shape[1]
        return self

    def transform(self, x: Any) -> F64:
        """Round each value to the nearest float32."""
        return np.asarray(x, dtype=np.float32).astype(np.float64)


def register_onnx_converter() -> None:
    """Teach skl2onnx that Float32Input is a Cast to float."""
    from skl2onnx import update_registered_converter
    from skl2onnx.common.data_types import FloatTensorType

    def shape(operator: Any) -> None:
        n = operator.inputs[0].get_first_dimension()
        operator.outputs[0].type = FloatTensorType([n, operator.inputs[0].get_second_dimension()])

    def convert(scope: Any, operator: Any, container: Any) -> None:
        container.add_node("Cast", [operator.inputs[0].full_name],
                           [operator.outputs[0].full_name], to=1,  # 1 = FLOAT
                           name=scope.get_unique_operator_name("Float32Input"))

    update_registered_converter(Float32Input, "AitraderFloat32Input", shape, convert)

"""Candidate estimators by name: scikit-learn, LightGBM and (optional) a small torch MLP."""

from __future__ import annotations

from typing import Any

from aitrader.core.errors import ConfigError
from aitrader.ml.train_config import ModelSpec


def torch_available() -> bool:
    """True when the optional torch extra is installed."""
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def build_estimator(spec: ModelSpec, seed: int) -> Any:
    """A fresh, unfitted estimator for ``spec`` (single-threaded: the machine is shared)."""
    p = dict(spec.params)
    try:
        if spec.algorithm == "logistic_regression":
            from sklearn.linear_model import LogisticRegression
            from sklearn.pipeline import make_pipeline
            from sklearn.preprocessing import StandardScaler

            p.setdefault("max_iter", 500)
            return make_pipeline(StandardScaler(), LogisticRegression(random_state=seed, **p))
        if spec.algorithm == "random_forest":
            from sklearn.ensemble import RandomForestClassifier

            p.setdefault("n_estimators", 100)
            p.setdefault("min_samples_leaf", 20)
            return RandomForestClassifier(random_state=seed, n_jobs=1, **p)
        if spec.algorithm == "lightgbm":
            from lightgbm import LGBMClassifier
            from sklearn.pipeline import make_pipeline

            from aitrader.ml.float32_input import Float32Input

            p.setdefault("n_estimators", 100)
            p.setdefault("learning_rate", 0.05)
            p.setdefault("num_leaves", 15)
            # float32 inputs: the ONNX graph of a LightGBM model runs in float32 only
            return make_pipeline(Float32Input(),
                                 LGBMClassifier(random_state=seed, n_jobs=1, verbose=-1, **p))
        if not torch_available():
            raise ConfigError("model torch_mlp needs the 'torch' extra "
                              "(pip install 'aitrader[torch]')")
        from aitrader.ml.torch_mlp import TorchMLPClassifier

        return TorchMLPClassifier(seed=seed, **p)
    except TypeError as exc:
        raise ConfigError(f"model {spec.algorithm}: bad params {spec.params}: {exc}") from None

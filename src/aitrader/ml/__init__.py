"""ML lifecycle adapters: model runtimes (.pkl/.joblib → scikit-learn, .onnx → onnxruntime,
.pt → TorchScript) behind the Predictor port, safe loading, ONNX export, training with purged
walk-forward CV, the model registry (over a record store port), A/B tests, drift and retraining.

May import: core, indicators, data, features, portfolio, strategies, risk, engine, and the ML
libraries (scikit-learn, LightGBM, onnxruntime, skl2onnx, onnxmltools, joblib; torch optional).
"""

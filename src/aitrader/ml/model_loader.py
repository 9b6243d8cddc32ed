"""Safe model loading: the file is sniffed, checked and only then deserialised.

Rules (also in the README):
* ONNX files load from anywhere: onnxruntime runs a graph of operators, never Python code.
* pickle/joblib (scikit-learn, LightGBM) and TorchScript files can execute arbitrary code while
  loading, so they are refused unless ``trusted=True`` — callers pass that only for a trusted
  local path (the CLI, on the operator's own files) or an authenticated admin's upload.
* The extension must match the content; truncated or corrupt files, metadata that does not fit
  the model, and a model expecting other features than the caller's are refused by name.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aitrader.ml.errors import FeatureMismatchError, ModelFormatError, UntrustedModelError
from aitrader.ml.model_metadata import (
    ONNX_METADATA_KEY,
    ModelFormat,
    ModelMetadata,
    read_sidecar,
)
from aitrader.ml.model_sniffer import Kind, check_extension, check_pickle_complete, sniff
from aitrader.ml.runtimes import OnnxPredictor, SklearnPredictor, TorchScriptPredictor

AnyPredictor = SklearnPredictor | OnnxPredictor | TorchScriptPredictor
_FORMAT_OF: dict[Kind, ModelFormat] = {
    "pickle": "sklearn", "compressed_pickle": "sklearn", "onnx": "onnx",
    "torchscript": "torchscript",
}
NEEDS_TRUST: frozenset[Kind] = frozenset({"pickle", "compressed_pickle", "torchscript"})


def inspect_file(path: Path) -> ModelFormat:
    """The model format of ``path`` from its content and extension (nothing is loaded)."""
    kind = sniff(path)
    check_extension(path, kind)
    return _FORMAT_OF[kind]


def load_predictor(path: Path | str, metadata: ModelMetadata | None = None, *, trusted: bool,
                   expected_features: Sequence[str] | None = None) -> AnyPredictor:
    """A Predictor for the file; metadata from the argument, the ONNX graph or the sidecar."""
    p = Path(path)
    kind = sniff(p)
    check_extension(p, kind)
    if kind in NEEDS_TRUST and not trusted:
        raise UntrustedModelError(
            f"{p}: refusing to load a {kind.replace('_', ' ')} file from an untrusted source — "
            "loading it can run arbitrary code. Pickle/joblib/TorchScript models are accepted "
            "only from an authenticated admin or a trusted local path; upload ONNX instead")
    fmt = _FORMAT_OF[kind]
    if kind == "onnx":
        model, embedded = _read_onnx(p)
        meta = metadata or embedded or read_sidecar(p)
    else:
        meta = metadata or read_sidecar(p)
        model = None
    if meta is None:
        raise ModelFormatError(f"{p}: no metadata (feature names, classes); pass it or put "
                               f"{p.name}.meta.json next to the file")
    if meta.format != fmt:
        raise ModelFormatError(f"{p}: metadata says format {meta.format!r}, the file is {fmt!r}")
    if expected_features is not None and list(expected_features) != list(meta.feature_names):
        raise FeatureMismatchError(_feature_diff(p, meta.feature_names, expected_features))
    if kind == "onnx":
        return OnnxPredictor(_session(model), meta)
    if kind == "torchscript":
        return TorchScriptPredictor(_read_torchscript(p), meta)
    if kind == "pickle":
        check_pickle_complete(p)
    return SklearnPredictor(_read_pickle(p), meta)


def _feature_diff(p: Path, have: Sequence[str], want: Sequence[str]) -> str:
    missing = [f for f in want if f not in have]
    extra = [f for f in have if f not in want]
    detail = f"missing {missing}, unexpected {extra}" if missing or extra else "different order"
    return (f"{p}: the model expects features {list(have)}, the caller provides {list(want)} "
            f"({detail})")


def _read_pickle(p: Path) -> Any:
    import joblib

    try:
        return joblib.load(p)
    except (EOFError, ValueError, OSError, IndexError, KeyError) as exc:
        raise ModelFormatError(f"{p}: truncated or corrupt pickle ({type(exc).__name__}: "
                               f"{exc})") from None


def _read_onnx(p: Path) -> tuple[Any, ModelMetadata | None]:
    import onnx
    from google.protobuf.message import DecodeError

    try:
        model = onnx.load_model(str(p))
        onnx.checker.check_model(model)
    except (DecodeError, onnx.checker.ValidationError, RuntimeError, ValueError) as exc:
        raise ModelFormatError(f"{p}: truncated or corrupt ONNX model ({exc})") from None
    props = {prop.key: prop.value for prop in model.metadata_props}
    text = props.get(ONNX_METADATA_KEY)
    return model, (ModelMetadata.from_json(text, str(p)) if text else None)


def _session(model: Any) -> Any:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1  # one decision at a time: threads cost more than they save
    opts.inter_op_num_threads = 1
    return ort.InferenceSession(model.SerializeToString(), opts,
                                providers=["CPUExecutionProvider"])


def _read_torchscript(p: Path) -> Any:
    try:
        import torch
    except ImportError:
        raise ModelFormatError(f"{p}: TorchScript models need the 'torch' extra "
                               "(pip install 'aitrader[torch]')") from None
    try:
        with warnings.catch_warnings():  # TorchScript is deprecated upstream; still our .pt format
            warnings.simplefilter("ignore", DeprecationWarning)
            return torch.jit.load(str(p), map_location="cpu")  # type: ignore[no-untyped-call]  # untyped
    except RuntimeError as exc:
        raise ModelFormatError(f"{p}: truncated or corrupt TorchScript archive ({exc})") from None

"""Model files: each format loads behind the Predictor port; bad files get a clear refusal."""

from __future__ import annotations

import pickle

import joblib
import numpy as np
import pytest

from aitrader.ml.errors import FeatureMismatchError, ModelFormatError, UntrustedModelError
from aitrader.ml.model_loader import load_predictor
from aitrader.ml.model_metadata import write_sidecar
from aitrader.ml.onnx_export import save_onnx, to_onnx


def _joblib(tmp_path, fitted_lr, name="m.joblib"):
    model, meta, _x = fitted_lr
    path = tmp_path / name
    joblib.dump(model, path)
    write_sidecar(path, meta)
    return path


def test_a_trusted_joblib_file_predicts_like_the_model(tmp_path, fitted_lr) -> None:
    model, _meta, x = fitted_lr
    pred = load_predictor(_joblib(tmp_path, fitted_lr), trusted=True)
    assert list(pred.classes) == [0, 1] and list(pred.feature_names) == ["a", "b", "c", "d"]
    np.testing.assert_allclose(pred.predict_proba(x[0].tolist()), model.predict_proba(x[:1])[0])


def test_a_pickle_from_an_untrusted_source_is_refused_before_it_is_opened(tmp_path,
                                                                          fitted_lr) -> None:
    class Exploit:
        def __reduce__(self):
            return (open, (str(tmp_path / "pwned"), "w"))

    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps(Exploit()))
    write_sidecar(path, fitted_lr[1])
    with pytest.raises(UntrustedModelError, match=r"arbitrary code.*authenticated admin"):
        load_predictor(path, trusted=False)
    assert not (tmp_path / "pwned").exists()
    with pytest.raises(UntrustedModelError):
        load_predictor(_joblib(tmp_path, fitted_lr), trusted=False)


def test_a_file_whose_content_does_not_match_its_extension_is_refused(tmp_path,
                                                                       fitted_lr) -> None:
    src = _joblib(tmp_path, fitted_lr)
    fake = tmp_path / "model.onnx"
    fake.write_bytes(src.read_bytes())
    with pytest.raises(ModelFormatError, match=r"extension \.onnx needs onnx content, but the "
                                                "file is pickle"):
        load_predictor(fake, fitted_lr[1], trusted=True)
    junk = tmp_path / "model.pkl"
    junk.write_bytes(b"hello, not a model")
    with pytest.raises(ModelFormatError, match=r"unknown model format"):
        load_predictor(junk, fitted_lr[1], trusted=True)
    odd = tmp_path / "model.h5"
    odd.write_bytes(src.read_bytes())
    with pytest.raises(ModelFormatError, match=r"unsupported model extension '\.h5'"):
        load_predictor(odd, fitted_lr[1], trusted=True)


def test_truncated_files_are_refused_as_truncated(tmp_path, fitted_lr) -> None:
    model, meta, _x = fitted_lr
    src = _joblib(tmp_path, fitted_lr)
    cut = tmp_path / "cut.joblib"
    cut.write_bytes(src.read_bytes()[:-40])
    with pytest.raises(ModelFormatError, match="truncated pickle"):
        load_predictor(cut, meta, trusted=True)
    onnx_path = save_onnx(to_onnx(model, 4, meta), tmp_path / "m.onnx")
    cut_onnx = tmp_path / "cut.onnx"
    cut_onnx.write_bytes(onnx_path.read_bytes()[:200])
    with pytest.raises(ModelFormatError, match="truncated or corrupt ONNX"):
        load_predictor(cut_onnx, trusted=False)


def test_a_model_expecting_other_features_is_refused(tmp_path, fitted_lr) -> None:
    path = _joblib(tmp_path, fitted_lr)
    with pytest.raises(FeatureMismatchError, match=r"missing \['e'\], unexpected \['d'\]"):
        load_predictor(path, trusted=True, expected_features=["a", "b", "c", "e"])
    pred = load_predictor(path, trusted=True)
    with pytest.raises(FeatureMismatchError, match="expects 4 features"):
        pred.predict_proba([1.0, 2.0])
    meta5 = fitted_lr[1].model_copy(update={"feature_names": ["a", "b", "c", "d", "e"]})
    with pytest.raises(FeatureMismatchError, match="fitted on 4 features, the metadata lists 5"):
        load_predictor(path, meta5, trusted=True)


def test_onnx_loads_from_an_untrusted_source_with_its_embedded_metadata(tmp_path,
                                                                       fitted_lr) -> None:
    model, meta, x = fitted_lr
    path = save_onnx(to_onnx(model, 4, meta), tmp_path / "m.onnx")
    pred = load_predictor(path, trusted=False)
    assert pred.metadata.format == "onnx" and list(pred.feature_names) == meta.feature_names
    np.testing.assert_allclose(pred.predict_proba_batch(x), model.predict_proba(x), atol=1e-12)


def test_a_model_without_metadata_is_refused(tmp_path, fitted_lr) -> None:
    path = tmp_path / "bare.joblib"
    joblib.dump(fitted_lr[0], path)
    with pytest.raises(ModelFormatError, match="no metadata"):
        load_predictor(path, trusted=True)


def test_torchscript_loads_and_plain_torch_pickles_are_refused(tmp_path) -> None:
    torch = pytest.importorskip("torch")
    from aitrader.ml.torch_mlp import TorchMLPClassifier

    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 3))
    y = (x[:, 0] > 0).astype(int)
    clf = TorchMLPClassifier(hidden=8, epochs=20).fit(x, y)
    meta = {"name": "mlp", "format": "torchscript", "feature_names": ["a", "b", "c"],
            "classes": [0, 1]}
    from aitrader.ml.model_metadata import ModelMetadata

    path = clf.save_torchscript(tmp_path / "mlp.pt")
    pred = load_predictor(path, ModelMetadata.model_validate(meta), trusted=True)
    np.testing.assert_allclose(pred.predict_proba_batch(x), clf.predict_proba(x), atol=1e-6)
    with pytest.raises(UntrustedModelError):
        load_predictor(path, ModelMetadata.model_validate(meta), trusted=False)
    plain = tmp_path / "plain.pt"
    torch.save({"w": torch.zeros(2)}, plain)
    with pytest.raises(ModelFormatError, match=r"torch\.save\(\) pickle archive, not TorchScript"):
        load_predictor(plain, ModelMetadata.model_validate(meta), trusted=True)
    cut = tmp_path / "cut.pt"
    cut.write_bytes(path.read_bytes()[:300])
    with pytest.raises(ModelFormatError, match="truncated or corrupt"):
        load_predictor(cut, ModelMetadata.model_validate(meta), trusted=True)

"""The registry: versions, hashes, stages (one production), safe registration, files in a store."""

from __future__ import annotations

import pickle

import joblib
import numpy as np
import pytest

from aitrader.ml.errors import ModelFormatError, RegistryError, UntrustedModelError
from aitrader.ml.model_metadata import write_sidecar
from aitrader.ml.onnx_export import save_onnx, to_onnx
from aitrader.runtime.ml_wiring import open_model_registry


@pytest.fixture
def registry(tmp_path):
    return open_model_registry(f"sqlite:///{tmp_path / 'reg.db'}", tmp_path / "store")


def _file(tmp_path, fitted_lr, c: float = 1.0, name: str = "m.joblib"):
    from sklearn.linear_model import LogisticRegression

    _model, meta, x = fitted_lr
    model = LogisticRegression(C=c).fit(x, (x[:, 0] > 0).astype(int))
    path = tmp_path / name
    joblib.dump(model, path)
    write_sidecar(path, meta.model_copy(update={"metrics": {"accuracy": 0.6}}))
    return path


def test_registering_copies_the_file_hashes_it_and_starts_in_staging(registry, tmp_path,
                                                                      fitted_lr) -> None:
    v1 = registry.register_file(_file(tmp_path, fitted_lr), trusted=True)
    assert (v1.name, v1.version, v1.stage, v1.format) == ("lr", 1, "staging", "sklearn")
    assert len(v1.content_sha256) == 64 and v1.metrics == {"accuracy": 0.6}
    stored = registry.store_dir / v1.file_path
    assert stored.is_file()
    v2 = registry.register_file(_file(tmp_path, fitted_lr, c=0.1, name="m2.joblib"),
                                trusted=True)
    assert v2.version == 2
    again = registry.register_file(_file(tmp_path, fitted_lr), trusted=True)
    assert again.version == 1  # same content, same version
    assert [v.version for v in registry.list("lr")] == [1, 2]
    pred = registry.load("lr", 2)
    assert len(pred.predict_proba([0.1, 0.2, 0.3, 0.4])) == 2


def test_promoting_to_production_archives_the_previous_production(registry, tmp_path,
                                                                  fitted_lr) -> None:
    registry.register_file(_file(tmp_path, fitted_lr), trusted=True)
    registry.register_file(_file(tmp_path, fitted_lr, c=0.1, name="m2.joblib"), trusted=True)
    registry.promote("lr", 1, "production")
    registry.promote("lr", 2, "production")
    assert [v.stage for v in registry.list("lr")] == ["archived", "production"]
    assert registry.get("lr", stage="production").version == 2
    with pytest.raises(RegistryError, match="in production"):
        registry.delete("lr", 2)
    registry.delete("lr", 1)
    assert [v.version for v in registry.list("lr")] == [2]
    with pytest.raises(RegistryError, match="no version 1"):
        registry.get("lr", 1)


def test_an_untrusted_pickle_never_enters_the_store(registry, tmp_path, fitted_lr) -> None:
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps({"not": "a model"}))
    write_sidecar(path, fitted_lr[1])
    with pytest.raises(UntrustedModelError):
        registry.register_file(path, trusted=False)
    assert registry.list() == []
    assert not registry.store_dir.exists() or not any(registry.store_dir.rglob("*.pkl"))


def test_an_untrusted_onnx_upload_is_accepted(registry, tmp_path, fitted_lr) -> None:
    model, meta, x = fitted_lr
    path = save_onnx(to_onnx(model, 4, meta.model_copy(update={"name": "lr-onnx"})),
                     tmp_path / "m.onnx")
    v = registry.register_file(path, trusted=False, source="upload by alice")
    assert v.format == "onnx" and v.source == "upload by alice"
    np.testing.assert_allclose(registry.load("lr-onnx").predict_proba_batch(x),
                               model.predict_proba(x), atol=1e-12)


def test_a_stored_file_changed_after_registration_is_refused(registry, tmp_path,
                                                             fitted_lr) -> None:
    v = registry.register_file(_file(tmp_path, fitted_lr), trusted=True)
    stored = registry.store_dir / v.file_path
    stored.write_bytes(stored.read_bytes() + b"x")
    with pytest.raises(ModelFormatError, match="content hash differs"):
        registry.load("lr", 1)


def test_export_copies_the_file_and_its_metadata(registry, tmp_path, fitted_lr) -> None:
    registry.register_file(_file(tmp_path, fitted_lr), trusted=True)
    out = registry.export("lr", 1, tmp_path / "exported")
    assert out.name == "lr-v1.joblib" and (out.parent / "lr-v1.joblib.meta.json").exists()

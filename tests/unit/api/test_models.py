"""Models through the API are versions of the ML registry: uploads are validated as models,
listed with their metrics, promoted and deleted by an admin."""

from __future__ import annotations

import io
import json
import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from api_harness import Api

from aitrader.ml.model_metadata import ModelMetadata
from aitrader.ml.onnx_export import to_onnx

BIN = "application/octet-stream"
FEATURES = ["ret_1", "ret_2", "vol_10"]


@pytest.fixture(scope="module")
def onnx_bytes() -> bytes:
    """A logistic regression on tiny generated data, as ONNX with its metadata embedded."""
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(1)
    x = rng.normal(size=(200, 3))
    y = (x[:, 0] + rng.normal(scale=0.5, size=200) > 0).astype(int)
    model = LogisticRegression().fit(x, y)
    meta = ModelMetadata(name="direction", format="onnx", feature_names=FEATURES,
                         classes=[0, 1], metrics={"accuracy": 0.71, "log_loss": 0.55},
                         data_start_ns=1_704_067_200_000_000_000,
                         data_end_ns=1_704_153_600_000_000_000,
                         algorithm="logistic_regression")
    data: bytes = to_onnx(model, 3, meta).SerializeToString()
    return data


def _upload(api: Api, role: str, filename: str, content: bytes, name: str = "direction",
            meta: dict[str, Any] | None = None) -> Any:
    return api.client.post("/api/models/upload", headers=api.headers(role),
                           data={"name": name, "meta": json.dumps(meta or {})},
                           files={"file": (filename, io.BytesIO(content), BIN)})


def test_an_onnx_upload_is_registered_and_listed_with_its_metrics(api: Api,
                                                                   onnx_bytes: bytes) -> None:
    resp = _upload(api, "trader", "direction.onnx", onnx_bytes)
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert (body["id"], body["version"], body["format"], body["stage"]) == \
        ("direction@1", 1, "onnx", "staging")
    assert body["metrics"] == {"accuracy": 0.71, "log_loss": 0.55}
    assert body["feature_names"] == FEATURES and body["size_bytes"] == len(onnx_bytes)
    assert body["data_start_ns"] == 1_704_067_200_000_000_000 and len(body["sha256"]) == 64
    second = _upload(api, "trader", "direction.onnx", onnx_bytes, name="direction-b",
                     meta={"metrics": {"accuracy": 0.9}})
    assert second.status_code == 201 and second.json()["metrics"] == {"accuracy": 0.9}
    listed = api.client.get("/api/models", headers=api.headers("viewer")).json()
    assert [(m["name"], m["version"]) for m in listed] == [("direction", 1), ("direction-b", 1)]
    assert api.ctx.model_registry.load("direction").metadata.feature_names == FEATURES
    got = api.client.get("/api/models/direction@1/download", headers=api.headers("viewer"))
    assert got.status_code == 200 and got.content == onnx_bytes


def test_garbage_bytes_named_onnx_are_refused_with_a_clear_message(api: Api) -> None:
    resp = _upload(api, "trader", "direction.onnx", b"e2e model bytes")
    assert resp.status_code == 422, resp.text
    assert resp.json()["code"] == "invalid_model"
    assert "direction.onnx: unknown model format" in resp.json()["detail"]
    assert "upload-" not in resp.json()["detail"]  # no temporary server path
    assert api.client.get("/api/models", headers=api.headers("viewer")).json() == []
    assert [p.name for p in api.ctx.model_registry.store_dir.iterdir()] == []


def test_a_truncated_onnx_file_is_refused(api: Api, onnx_bytes: bytes) -> None:
    resp = _upload(api, "trader", "direction.onnx", onnx_bytes[: len(onnx_bytes) // 2])
    assert resp.status_code == 422, resp.text
    assert resp.json()["code"] == "invalid_model" and "truncated" in resp.json()["detail"]
    assert api.client.get("/api/models", headers=api.headers("viewer")).json() == []


def test_metadata_that_does_not_fit_the_file_is_refused(api: Api, onnx_bytes: bytes) -> None:
    bad = _upload(api, "trader", "direction.onnx", onnx_bytes,
                  meta={"feature_names": FEATURES, "classes": [0]})
    assert bad.status_code == 422 and "classes" in bad.json()["detail"]
    unknown = _upload(api, "trader", "direction.onnx", onnx_bytes, meta={"colour": "red"})
    assert unknown.status_code == 422 and "colour" in unknown.json()["detail"]
    fewer = _upload(api, "trader", "direction.onnx", onnx_bytes,
                    meta={"feature_names": ["ret_1"], "classes": [0, 1]})
    assert fewer.status_code == 422 and fewer.json()["code"] == "feature_mismatch"
    assert "3 features" in fewer.json()["detail"]
    assert api.client.get("/api/models", headers=api.headers("viewer")).json() == []


def test_a_pickle_needs_an_admin(api: Api) -> None:
    from sklearn.linear_model import LogisticRegression

    x = np.random.default_rng(2).normal(size=(50, 2))
    content = pickle.dumps(LogisticRegression().fit(x, (x[:, 0] > 0).astype(int)))
    meta = {"feature_names": ["a", "b"], "classes": [0, 1], "metrics": {"accuracy": 0.8}}
    refused = _upload(api, "trader", "lr.pkl", content, name="lr", meta=meta)
    assert refused.status_code == 403, refused.text
    assert "arbitrary code" in refused.json()["detail"]
    accepted = _upload(api, "admin", "lr.pkl", content, name="lr", meta=meta)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["format"] == "sklearn"


def test_promote_and_delete_need_an_admin_and_follow_the_registry_rules(
        api: Api, onnx_bytes: bytes) -> None:
    admin, trader = api.headers("admin"), api.headers("trader")
    assert _upload(api, "trader", "direction.onnx", onnx_bytes).status_code == 201
    prod = {"stage": "production"}
    assert api.client.post("/api/models/direction@1/promote", json=prod,
                           headers=trader).status_code == 403
    promoted = api.client.post("/api/models/direction@1/promote", json=prod, headers=admin)
    assert promoted.status_code == 200 and promoted.json()["stage"] == "production"
    bad = api.client.post("/api/models/direction@1/promote", json={"stage": "live"},
                          headers=admin)
    assert bad.status_code == 422
    assert api.client.post("/api/models/direction@9/promote", json=prod,
                           headers=admin).status_code == 404
    assert api.client.delete("/api/models/direction@1", headers=trader).status_code == 403
    in_production = api.client.delete("/api/models/direction@1", headers=admin)
    assert in_production.status_code == 409 and "production" in in_production.json()["detail"]
    assert api.client.delete("/api/models/direction@1?force=true",
                             headers=admin).status_code == 204
    assert api.client.delete("/api/models/direction@1", headers=admin).status_code == 404
    assert api.client.get("/api/models", headers=trader).json() == []
    assert not (api.ctx.model_registry.store_dir / "direction" / "v1").exists()


def test_a_model_id_that_is_not_name_at_version_is_refused(api: Api) -> None:
    resp = api.client.delete("/api/models/nope", headers=api.headers("admin"))
    assert resp.status_code == 422


def test_the_store_is_where_the_cli_looks(api: Api) -> None:
    assert api.ctx.model_registry.store_dir == Path(api.ctx.data_dir) / "models"

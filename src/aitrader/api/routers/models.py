"""Model files through the ML registry: upload (validated as a model; pickle-based formats only
by an admin), list versions with metrics, promote, export, delete.

An upload is written to a temporary file under the model store and handed to
``ModelRegistry.register_file``, which sniffs the format from the bytes, refuses truncated files,
metadata that does not fit and untrusted pickles; the temporary file is always removed.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, Response, UploadFile
from fastapi.responses import FileResponse
from pydantic import ValidationError

from aitrader.api.deps import Admin, Ctx, Trader, Viewer
from aitrader.api.errors import InvalidInput, PayloadTooLarge, ResourceNotFound
from aitrader.api.schemas.models import ModelPublic, PromoteRequest
from aitrader.ml.errors import ModelError
from aitrader.ml.model_loader import inspect_file, load_predictor
from aitrader.ml.model_metadata import ModelMetadata
from aitrader.ml.registry import ModelRegistry, ModelVersion

router = APIRouter(prefix="/api/models", tags=["models"])
_CHUNK = 1 << 20
_ID = r"^[A-Za-z0-9_.\-]{1,128}@[0-9]{1,9}$"
ModelId = Annotated[str, Path(pattern=_ID, description="name@version, e.g. direction@2")]


def public(reg: ModelRegistry, v: ModelVersion) -> ModelPublic:
    """The API view of a version."""
    stored = reg.store_dir / v.file_path
    size = stored.stat().st_size if stored.is_file() else 0
    return ModelPublic(
        id=f"{v.name}@{v.version}", name=v.name, version=v.version,
        filename=f"{v.name}-v{v.version}{stored.suffix}", format=v.format, stage=v.stage,
        size_bytes=size, sha256=v.content_sha256, metrics=v.metrics,
        data_start_ns=v.data_start_ns, data_end_ns=v.data_end_ns,
        feature_names=list(v.metadata.feature_names), classes=list(v.metadata.classes),
        algorithm=v.metadata.algorithm, source=v.source,
        meta=v.metadata.model_dump(mode="json"), created_ns=v.created_ns)


def _find(reg: ModelRegistry, model_id: str) -> ModelVersion:
    name, _, version = model_id.rpartition("@")
    for v in reg.list(name):
        if v.version == int(version):
            return v
    raise ResourceNotFound(f"unknown model {model_id}")


def _metadata(path: FsPath, name: str, given: dict[str, Any], trusted: bool) -> ModelMetadata:
    """The upload's metadata: the fields given in ``meta`` over the file's own (embedded ONNX
    metadata), with the form's ``name``; the format always comes from the bytes."""
    fmt = inspect_file(path)
    base: dict[str, Any] = {}
    if "feature_names" not in given or "classes" not in given:
        base = load_predictor(path, None, trusted=trusted).metadata.model_dump(mode="json")
    try:
        return ModelMetadata.model_validate({**base, **given, "name": name, "format": fmt})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                             for e in exc.errors())
        raise InvalidInput(f"model metadata is invalid: {problems}") from None


@router.post("/upload", response_model=ModelPublic, status_code=201)
async def upload_model(
    me: Trader, ctx: Ctx,
    file: Annotated[UploadFile, File(description="the model file (.onnx; .pkl/.joblib/.pt "
                                                 "by an admin)")],
    name: Annotated[str, Form(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.\-]+$")],
    meta: Annotated[str, Form(max_length=20_000, description="JSON object of model metadata "
                                                            "(feature_names, classes, metrics…)"
                              )] = "{}",
) -> ModelPublic:
    """Validate the file as a model and register it as a new version (stage staging)."""
    filename = FsPath(file.filename or "").name
    if not filename or any(ord(c) < 32 for c in filename) or filename.startswith("."):
        raise InvalidInput(f"model file name must be printable, was {filename!r}")
    try:
        given: Any = json.loads(meta)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"meta must be a JSON object: {exc}") from None
    if not isinstance(given, dict):
        raise InvalidInput(f"meta must be a JSON object, was a {type(given).__name__}")
    reg: ModelRegistry = ctx.model_registry
    reg.store_dir.mkdir(parents=True, exist_ok=True)
    limit = ctx.settings.max_upload_mb * _CHUNK
    with tempfile.TemporaryDirectory(prefix=".upload-", dir=reg.store_dir) as tmp:
        target = FsPath(tmp) / filename
        size = 0
        with target.open("wb") as out:
            while chunk := await file.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise PayloadTooLarge(f"model file exceeds {ctx.settings.max_upload_mb} MB")
                out.write(chunk)
        if size == 0:
            raise InvalidInput("model file is empty")
        try:
            metadata = _metadata(target, name, given, me.is_admin)
            version = reg.register_file(target, metadata, trusted=me.is_admin,
                                        source=f"upload of {filename} by {me.username}")
        except ModelError as exc:
            # name the uploaded file, never the server's temporary path
            raise type(exc)(re.sub(re.escape(tmp) + r"/?", "", str(exc))) from None
    return public(reg, version)


@router.get("", response_model=list[ModelPublic])
def list_models(_: Viewer, ctx: Ctx) -> list[ModelPublic]:
    """Every registered version, by name then version."""
    reg: ModelRegistry = ctx.model_registry
    return [public(reg, v) for v in reg.list()]


@router.post("/{model_id}/promote", response_model=ModelPublic)
def promote_model(model_id: ModelId, body: PromoteRequest, _: Admin, ctx: Ctx) -> ModelPublic:
    """Move a version to a stage; promoting to production archives the previous production."""
    reg: ModelRegistry = ctx.model_registry
    v = _find(reg, model_id)
    return public(reg, reg.promote(v.name, v.version, body.stage))


@router.get("/{model_id}/download")
def download_model(model_id: ModelId, _: Viewer, ctx: Ctx) -> FileResponse:
    """The stored file (hash-checked first)."""
    reg: ModelRegistry = ctx.model_registry
    v = _find(reg, model_id)
    path = reg.path_of(v)
    return FileResponse(path, media_type="application/octet-stream",
                        filename=f"{v.name}-v{v.version}{path.suffix}")


@router.delete("/{model_id}", status_code=204)
def delete_model(model_id: ModelId, _: Admin, ctx: Ctx,
                 force: Annotated[bool, Query(description="also a production version")] = False
                 ) -> Response:
    """Remove a version and its files (a production version only with ``force``)."""
    reg: ModelRegistry = ctx.model_registry
    v = _find(reg, model_id)
    reg.delete(v.name, v.version, force=force)
    return Response(status_code=204)

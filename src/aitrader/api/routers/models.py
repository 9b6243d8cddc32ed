"""Model files: upload (pickle-based formats only by an admin), list, delete.

Seam: the files and metadata live in the API's own table until the ML registry lands; then this
router should hand uploads to the registry instead."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Response, UploadFile

from aitrader.api.deps import Ctx, Trader, Viewer
from aitrader.api.errors import Forbidden, InvalidInput, PayloadTooLarge, ResourceNotFound
from aitrader.api.schemas.models import ModelPublic
from aitrader.storage.auth_models import ModelArtifactRow

router = APIRouter(prefix="/api/models", tags=["models"])
FORMATS = {".onnx": "onnx", ".pkl": "pickle", ".pickle": "pickle", ".joblib": "joblib",
           ".pt": "torch", ".pth": "torch", ".json": "json", ".txt": "text", ".ubj": "xgboost"}
# formats that run arbitrary code when loaded (pickle inside)
PICKLE_BASED = frozenset({"pickle", "joblib", "torch"})
_CHUNK = 1 << 20


@router.post("/upload", response_model=ModelPublic, status_code=201)
async def upload_model(
    me: Trader, ctx: Ctx,
    file: Annotated[UploadFile, File(description="the model file")],
    name: Annotated[str, Form(min_length=1, max_length=128, pattern=r"^[^\x00-\x1f\x7f]+$")],
    meta: Annotated[str, Form(max_length=20_000, description="JSON object")] = "{}",
) -> ModelPublic:
    """Store a model file and its metadata."""
    filename = FsPath(file.filename or "").name
    if not filename or any(ord(c) < 32 for c in filename):
        raise InvalidInput(f"model file name must be printable, was {filename!r}")
    fmt = FORMATS.get(FsPath(filename).suffix.lower())
    if fmt is None:
        raise InvalidInput(f"model file must end in one of {', '.join(sorted(FORMATS))}, "
                           f"was {filename!r}")
    if fmt in PICKLE_BASED and not me.is_admin:
        raise Forbidden(f"{fmt} files run code when loaded; only an admin may upload them "
                        "(export to ONNX instead)")
    try:
        meta_obj: Any = json.loads(meta)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"meta must be a JSON object: {exc}") from None
    if not isinstance(meta_obj, dict):
        raise InvalidInput(f"meta must be a JSON object, was a {type(meta_obj).__name__}")
    model_id = uuid.uuid4().hex
    folder = ctx.data_dir / "models" / model_id
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / filename
    limit = ctx.settings.max_upload_mb * _CHUNK
    digest, size = hashlib.sha256(), 0
    try:
        with target.open("wb") as out:
            while chunk := await file.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise PayloadTooLarge(f"model file exceeds {ctx.settings.max_upload_mb} MB")
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise InvalidInput("model file is empty")
    except BaseException:
        target.unlink(missing_ok=True)
        folder.rmdir()
        raise
    row = ctx.models.add(ModelArtifactRow(
        id=model_id, name=name, filename=filename, format=fmt, size_bytes=size,
        sha256=digest.hexdigest(), path=str(target), meta=meta_obj, uploaded_by=me.user_id,
        created_ns=time.time_ns()))
    return ModelPublic.model_validate(row, from_attributes=True)


@router.get("", response_model=list[ModelPublic])
def list_models(_: Viewer, ctx: Ctx) -> list[ModelPublic]:
    """Uploaded models, newest first."""
    return [ModelPublic.model_validate(r, from_attributes=True) for r in ctx.models.all()]


@router.delete("/{model_id}", status_code=204)
def delete_model(model_id: Annotated[str, Path(min_length=1, max_length=32)], _: Trader,
                 ctx: Ctx) -> Response:
    """Remove the file and its metadata."""
    row = ctx.models.get(model_id)
    if row is None:
        raise ResourceNotFound(f"unknown model {model_id}")
    path = FsPath(row.path)
    path.unlink(missing_ok=True)
    if path.parent.exists() and not any(path.parent.iterdir()):
        path.parent.rmdir()
    ctx.models.delete(model_id)
    return Response(status_code=204)

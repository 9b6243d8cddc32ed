"""Model versions of the ML registry, as the API shows them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel


class ModelPublic(BaseModel):
    """One registered model version (``id`` is ``name@version``)."""

    id: str
    name: str
    version: int
    filename: str
    format: str
    stage: str
    size_bytes: int
    sha256: str
    metrics: dict[str, Any]
    data_start_ns: int | None
    data_end_ns: int | None
    feature_names: list[str]
    classes: list[int]
    algorithm: str
    source: str
    meta: dict[str, Any]
    created_ns: int


class PromoteRequest(BaseModel):
    """The stage to move a version to."""

    stage: Literal["staging", "production", "archived"]

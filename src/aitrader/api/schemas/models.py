"""Uploaded model files."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ModelPublic(BaseModel):
    """An uploaded model file."""

    id: str
    name: str
    filename: str
    format: str
    size_bytes: int
    sha256: str
    meta: dict[str, Any]
    uploaded_by: int
    created_ns: int

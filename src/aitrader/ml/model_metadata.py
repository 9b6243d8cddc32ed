"""What a model file carries or is given: its features, target, classes and provenance."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from aitrader.features.spec import FeatureSetSpec
from aitrader.features.targets import TargetSpec
from aitrader.ml.errors import ModelFormatError

ModelFormat = Literal["sklearn", "onnx", "torchscript"]
SIDECAR_SUFFIX = ".meta.json"
ONNX_METADATA_KEY = "aitrader_metadata"


class ModelMetadata(BaseModel):
    """Metadata of one model file; ``feature_names`` is the model's input order."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.\-]+$")
    format: ModelFormat
    feature_names: list[str] = Field(min_length=1)
    classes: list[int] = Field(min_length=2)
    feature_set: FeatureSetSpec | None = None
    target: TargetSpec | None = None
    symbol: str | None = None
    timeframe: str | None = None
    data_start_ns: int | None = None
    data_end_ns: int | None = None
    metrics: dict[str, float] = Field(default_factory=dict)
    algorithm: str = ""
    description: str = ""

    def to_json(self) -> str:
        """Canonical JSON text."""
        return self.model_dump_json()

    @classmethod
    def from_json(cls, text: str, source: str) -> ModelMetadata:
        """Parse and validate; ModelFormatError names the source and the bad keys."""
        try:
            return cls.model_validate(json.loads(text))
        except (ValueError, ValidationError) as exc:
            raise ModelFormatError(f"{source}: invalid model metadata: {exc}") from None


def sidecar_path(model_path: Path) -> Path:
    """``model.joblib`` → ``model.joblib.meta.json``."""
    return model_path.with_name(model_path.name + SIDECAR_SUFFIX)


def write_sidecar(model_path: Path, meta: ModelMetadata) -> Path:
    """Write the metadata next to the model file."""
    path = sidecar_path(model_path)
    path.write_text(meta.to_json())
    return path


def read_sidecar(model_path: Path) -> ModelMetadata | None:
    """The metadata next to the model file, or None."""
    path = sidecar_path(model_path)
    if not path.exists():
        return None
    return ModelMetadata.from_json(path.read_text(), str(path))

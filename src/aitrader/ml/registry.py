"""The model registry: versions with content hashes, metadata, data range, metrics and a stage
(staging → production → archived), rows in the database, files in a model store directory.

``register_file`` is the one entry point for new models (CLI import, training, REST upload):
it validates the file with the safe loader first, so an untrusted pickle never gets in.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from aitrader.ml.errors import ModelFormatError, RegistryError
from aitrader.ml.model_loader import AnyPredictor, load_predictor
from aitrader.ml.model_metadata import ModelMetadata, write_sidecar

Stage = Literal["staging", "production", "archived"]
STAGES: tuple[Stage, ...] = ("staging", "production", "archived")


class ModelRecordStore(Protocol):
    """Where version rows live (``storage.ml_models.SqlModelRecordStore``)."""

    def next_version(self, name: str) -> int:
        """The version number a new registration of ``name`` gets."""
        ...

    def add(self, record: dict[str, Any]) -> dict[str, Any]:
        """Insert a row."""
        ...

    def list(self, name: str | None = None) -> list[dict[str, Any]]:
        """Rows by name, version."""
        ...

    def get(self, name: str, version: int) -> dict[str, Any] | None:
        """One row or None."""
        ...

    def set_stages(self, name: str, changes: dict[int, str]) -> None:
        """Change stages atomically."""
        ...

    def delete(self, name: str, version: int) -> None:
        """Remove a row."""
        ...


@dataclass(frozen=True)
class ModelVersion:
    """One registered version."""

    name: str
    version: int
    format: str
    content_sha256: str
    file_path: str
    stage: str
    metadata: ModelMetadata
    metrics: dict[str, Any]
    data_start_ns: int | None
    data_end_ns: int | None
    source: str
    created_ns: int


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _version(row: dict[str, Any]) -> ModelVersion:
    meta = ModelMetadata.model_validate(row["model_metadata"])
    return ModelVersion(row["name"], row["version"], row["format"], row["content_sha256"],
                        row["file_path"], row["stage"], meta, row["metrics"],
                        row["data_start_ns"], row["data_end_ns"], row["source"],
                        row["created_ns"])


class ModelRegistry:
    """Model versions over a record store and a store directory; never global."""

    def __init__(self, store: ModelRecordStore, store_dir: Path) -> None:
        self._store = store
        self.store_dir = store_dir

    def register_file(self, path: Path | str, metadata: ModelMetadata | None = None, *,
                      trusted: bool, source: str = "", stage: Stage = "staging") -> ModelVersion:
        """Validate and copy a model file into the store as a new version (stage staging).

        ``trusted`` must be True only for an authenticated admin or a trusted local path:
        pickle/joblib/TorchScript files are refused otherwise (UntrustedModelError). The same
        content registered again under the same name returns the existing version.
        """
        src = Path(path)
        predictor = load_predictor(src, metadata, trusted=trusted)
        meta = predictor.metadata
        if stage == "production":
            raise RegistryError("a new version starts in staging; promote it to production")
        digest = sha256_of(src)
        for existing in self.list(meta.name):
            if existing.content_sha256 == digest:
                return existing
        version = self._store.next_version(meta.name)
        rel = Path(meta.name) / f"v{version}" / f"model{src.suffix.lower()}"
        dest = self.store_dir / rel
        if dest.parent.exists():
            shutil.rmtree(dest.parent)
        dest.parent.mkdir(parents=True)
        try:
            tmp = dest.with_name(f".{dest.name}.tmp")
            shutil.copyfile(src, tmp)
            tmp.replace(dest)
            write_sidecar(dest, meta)
            row = self._store.add({
                "name": meta.name, "version": version, "format": meta.format,
                "content_sha256": digest, "file_path": str(rel), "stage": stage,
                "model_metadata": meta.model_dump(mode="json"), "metrics": dict(meta.metrics),
                "data_start_ns": meta.data_start_ns, "data_end_ns": meta.data_end_ns,
                "source": source or str(src),
            })
        except BaseException:
            shutil.rmtree(dest.parent, ignore_errors=True)  # nothing half-written
            raise
        return _version(row)

    def list(self, name: str | None = None) -> list[ModelVersion]:
        """All versions (of one model)."""
        return [_version(r) for r in self._store.list(name)]

    def get(self, name: str, version: int | None = None, stage: Stage | None = None
            ) -> ModelVersion:
        """A version by number, or the newest one in ``stage``, or the newest one."""
        if version is not None:
            row = self._store.get(name, version)
            if row is None:
                raise RegistryError(f"model {name} has no version {version}")
            return _version(row)
        found = [v for v in self.list(name) if stage is None or v.stage == stage]
        if not found:
            where = f" in stage {stage}" if stage else ""
            raise RegistryError(f"model {name} has no version{where}")
        return found[-1]

    def promote(self, name: str, version: int, stage: Stage) -> ModelVersion:
        """Move a version to ``stage``; promoting to production archives the previous one."""
        if stage not in STAGES:
            raise RegistryError(f"stage must be one of {STAGES}, was {stage!r}")
        target = self.get(name, version)
        changes: dict[int, str] = {version: stage}
        if stage == "production":
            changes.update({v.version: "archived" for v in self.list(name)
                            if v.stage == "production" and v.version != version})
        self._store.set_stages(name, changes)
        return self.get(name, target.version)

    def delete(self, name: str, version: int, *, force: bool = False) -> None:
        """Remove a version and its files; production versions only with ``force``."""
        v = self.get(name, version)
        if v.stage == "production" and not force:
            raise RegistryError(f"model {name} v{version} is in production; archive it first "
                                "or pass force")
        self._store.delete(name, version)
        shutil.rmtree((self.store_dir / v.file_path).parent, ignore_errors=True)

    def path_of(self, v: ModelVersion) -> Path:
        """The stored file, after checking its hash (a changed file is refused)."""
        path = self.store_dir / v.file_path
        if not path.is_file():
            raise RegistryError(f"model {v.name} v{v.version}: file {path} is missing")
        if sha256_of(path) != v.content_sha256:
            raise ModelFormatError(f"model {v.name} v{v.version}: {path} changed since it was "
                                   "registered (content hash differs); refusing to load it")
        return path

    def load(self, name: str, version: int | None = None, stage: Stage | None = None,
             expected_features: Sequence[str] | None = None) -> AnyPredictor:
        """A Predictor for a stored version (files were validated when registered and are
        hash-checked now, so they are trusted)."""
        v = self.get(name, version, stage)
        return load_predictor(self.path_of(v), v.metadata, trusted=True,
                              expected_features=expected_features)

    def export(self, name: str, version: int, dest_dir: Path) -> Path:
        """Copy a version's file and metadata sidecar to ``dest_dir``."""
        v = self.get(name, version)
        src = self.path_of(v)
        dest_dir.mkdir(parents=True, exist_ok=True)
        out = dest_dir / f"{name}-v{version}{src.suffix}"
        shutil.copyfile(src, out)
        write_sidecar(out, v.metadata)
        return out

"""Model registry tables and their record store: one row per registered model version."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import BigInteger, Index, String, UniqueConstraint, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from aitrader.core.errors import PersistenceError
from aitrader.storage.models import Base

Sessions = sessionmaker[Session]


class ModelVersionRow(Base):
    """A registered model file: content hash, metadata, data range, metrics and stage."""

    __tablename__ = "ml_model_versions"
    __table_args__ = (
        UniqueConstraint("name", "version", name="uq_ml_model_versions_name_version"),
        Index("ix_ml_model_versions_name_stage", "name", "stage"),
    )
    pk: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(128))
    version: Mapped[int]
    format: Mapped[str] = mapped_column(String(16))
    content_sha256: Mapped[str] = mapped_column(String(64))
    file_path: Mapped[str] = mapped_column(String(512))
    stage: Mapped[str] = mapped_column(String(16))
    model_metadata: Mapped[dict[str, Any]]
    metrics: Mapped[dict[str, Any]]
    data_start_ns: Mapped[int | None] = mapped_column(BigInteger)
    data_end_ns: Mapped[int | None] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(512), default="")
    created_ns: Mapped[int] = mapped_column(BigInteger)


_FIELDS = ("name", "version", "format", "content_sha256", "file_path", "stage", "model_metadata",
           "metrics", "data_start_ns", "data_end_ns", "source", "created_ns")


def _as_dict(row: ModelVersionRow) -> dict[str, Any]:
    return {f: getattr(row, f) for f in _FIELDS}


class SqlModelRecordStore:
    """Implements the ML registry's record store port on SQLAlchemy (SQLite or PostgreSQL)."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def next_version(self, name: str) -> int:
        """1 + the highest version of ``name`` ever stored (deleted numbers are not reused
        while a higher one exists)."""
        with self._sessions() as s:
            top = s.scalar(select(func.max(ModelVersionRow.version))
                           .where(ModelVersionRow.name == name))
        return int(top or 0) + 1

    def add(self, record: dict[str, Any]) -> dict[str, Any]:
        """Insert a version; PersistenceError if (name, version) exists."""
        row = ModelVersionRow(**{**record, "created_ns": record.get("created_ns")
                                 or time.time_ns()})
        try:
            with self._sessions.begin() as s:
                s.add(row)
        except IntegrityError:
            raise PersistenceError(f"model {record['name']} version {record['version']} "
                                   "already exists") from None
        return _as_dict(row)

    def list(self, name: str | None = None) -> list[dict[str, Any]]:
        """Versions, by name then version."""
        q = select(ModelVersionRow).order_by(ModelVersionRow.name, ModelVersionRow.version)
        if name is not None:
            q = q.where(ModelVersionRow.name == name)
        with self._sessions() as s:
            return [_as_dict(r) for r in s.scalars(q)]

    def get(self, name: str, version: int) -> dict[str, Any] | None:
        """One version or None."""
        with self._sessions() as s:
            row = s.scalar(select(ModelVersionRow).where(
                ModelVersionRow.name == name, ModelVersionRow.version == version))
            return None if row is None else _as_dict(row)

    def set_stages(self, name: str, changes: dict[int, str]) -> None:
        """Change several versions' stages in one transaction."""
        with self._sessions.begin() as s:
            for version, stage in changes.items():
                s.execute(update(ModelVersionRow).where(
                    ModelVersionRow.name == name, ModelVersionRow.version == version)
                    .values(stage=stage))

    def delete(self, name: str, version: int) -> None:
        """Remove one version's row."""
        with self._sessions.begin() as s:
            s.execute(delete(ModelVersionRow).where(
                ModelVersionRow.name == name, ModelVersionRow.version == version))

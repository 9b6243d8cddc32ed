"""What the API is built on: the running service, auth, the task queue, the model registry
and settings."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from cryptography.fernet import Fernet

from aitrader.api.auth.service import AuthService
from aitrader.api.config import ApiSecrets, ApiSettings
from aitrader.api.rate_limit import RateLimiter
from aitrader.ml.registry import ModelRegistry
from aitrader.runtime.service_build import ServiceParts
from aitrader.storage.auth_repository import IdempotencyRepository
from aitrader.storage.ml_models import SqlModelRecordStore
from aitrader.storage.service_repository import (
    CredentialRepository,
    OrderQueries,
    TaskRunRepository,
)


class TaskQueue(Protocol):
    """Where background tasks go (implemented in aitrader.tasks: in-process or Celery)."""

    backend: str

    def submit(self, kind: str, ref_id: str) -> str:
        """Queue a task of ``kind`` for ``ref_id``; returns the backend's task id."""

    def close(self) -> None:
        """Release the runner's resources."""


class CredentialVault:
    """Encrypts broker credentials with Fernet; plaintext only leaves through :meth:`open`,
    for the connector that needs it, never through the API."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    def seal(self, secrets: dict[str, str]) -> bytes:
        """Ciphertext of the secrets."""
        return self._fernet.encrypt(json.dumps(secrets).encode())

    def open(self, ciphertext: bytes) -> dict[str, str]:
        """Plaintext secrets (for connectors only)."""
        data: dict[str, str] = json.loads(self._fernet.decrypt(ciphertext))
        return data


@dataclass
class ApiContext:
    """Everything a request handler may use; built once by ``create_app``'s caller."""

    settings: ApiSettings
    secrets: ApiSecrets
    parts: ServiceParts
    auth: AuthService
    tasks: TaskQueue
    data_dir: Path
    extras: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        sessions = self.parts.store.sessions
        self.orders = OrderQueries(sessions)
        self.idempotency = IdempotencyRepository(sessions)
        self.credentials = CredentialRepository(sessions)
        # the ML registry on the service's database, files where `aitrader models` keeps them
        self.model_registry = ModelRegistry(SqlModelRecordStore(sessions),
                                            self.data_dir / "models")
        self.task_runs = TaskRunRepository(sessions)
        self.vault = CredentialVault(self.secrets.fernet_key)
        self.ip_limiter = RateLimiter(self.settings.rate_limit_ip_per_min)
        self.user_limiter = RateLimiter(self.settings.rate_limit_user_per_min)
        self.login_limiter = RateLimiter(self.settings.login_attempts_per_min)

    @property
    def service(self) -> Any:
        """The running TradingService."""
        return self.parts.service

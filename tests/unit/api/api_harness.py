"""A real service for API tests: the paper engine on its own thread over SQLite, the app in a
TestClient, and one logged-in user per role."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from aitrader.api.app import create_app
from aitrader.api.auth.passwords import PasswordHashing
from aitrader.api.auth.roles import Role
from aitrader.api.config import ApiSettings
from aitrader.api.context import ApiContext
from aitrader.api.server import build_context
from aitrader.runtime.service_build import ServiceParts, build_service
from aitrader.runtime.settings import load_settings
from aitrader.tasks.runners import InProcessTasks

PASSWORD = "correct horse battery"


@dataclass
class Api:
    """The client, the context behind it, and auth headers per role."""

    client: TestClient
    ctx: ApiContext
    parts: ServiceParts
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]['access_token']}"}

    def login(self, username: str, password: str = PASSWORD) -> dict[str, Any]:
        resp = self.client.post("/api/auth/login",
                                json={"username": username, "password": password})
        assert resp.status_code == 200, resp.text
        body: dict[str, Any] = resp.json()
        return body


def make_api(tmp_path: Path, create_users: bool = True, environ: dict[str, str] | None = None,
             **api_env: Any) -> Iterator[Api]:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'api.db'}", "AITRADER_DATA_DIR": str(tmp_path),
           **(environ or {})}
    # resting limits far from the market keep orders working in the tests: a wide price collar
    (tmp_path / "trading.yml").write_text("risk:\n  price_collar: 0.99\n")
    settings = load_settings(tmp_path, environ=env)
    pace = float(os.environ.get("AITRADER_TEST_SECONDS_PER_BAR", "0.01"))
    parts = build_service(settings, seconds_per_bar=pace)
    tasks = InProcessTasks(settings.env)
    api_settings = ApiSettings.model_validate({
        "AITRADER_ENV": "test", "AITRADER_FRONTEND_DIST": str(tmp_path / "dist"),
        "AITRADER_CORS_ORIGINS": "http://dashboard.example", **api_env})
    ctx = build_context(parts, tasks, api_settings)
    # cheap argon2 parameters: the tests exercise the logic, not the hash's cost
    ctx.auth.hashing = PasswordHashing(PasswordHasher(time_cost=1, memory_cost=1024,
                                                      parallelism=1))
    for role in Role if create_users else ():
        ctx.auth.create_user(role.value, PASSWORD, role)
    parts.service.start()
    try:
        with TestClient(create_app(ctx)) as client:
            api = Api(client, ctx, parts)
            for role in Role:
                api.tokens[role.value] = api.login(role.value)
            yield api
    finally:
        parts.service.stop()
        tasks.close()
        parts.store.engine.dispose()

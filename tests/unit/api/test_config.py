"""API settings: secrets refused when default outside dev, generated once in dev; first admin."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_harness import Api
from cryptography.fernet import Fernet

from aitrader.api.config import ApiSettings, resolve_secrets
from aitrader.api.server import ensure_first_admin
from aitrader.core.errors import ConfigError


def _settings(**env: str) -> ApiSettings:
    return ApiSettings.model_validate(env)


def test_prod_refuses_a_missing_or_placeholder_jwt_secret(tmp_path: Path) -> None:
    key = Fernet.generate_key().decode()
    for jwt in (None, "changeme", "short"):
        env = {"AITRADER_ENV": "prod", "AITRADER_CREDENTIALS_KEY": key}
        if jwt is not None:
            env["JWT_SECRET_KEY"] = jwt
        with pytest.raises(ConfigError, match="JWT_SECRET_KEY"):
            resolve_secrets(_settings(**env), tmp_path)


def test_prod_refuses_a_missing_or_malformed_credentials_key(tmp_path: Path) -> None:
    jwt = "x" * 20 + "y" * 20
    with pytest.raises(ConfigError, match="AITRADER_CREDENTIALS_KEY must be set"):
        resolve_secrets(_settings(AITRADER_ENV="prod", JWT_SECRET_KEY=jwt), tmp_path)
    with pytest.raises(ConfigError, match="Fernet key"):
        resolve_secrets(_settings(AITRADER_ENV="prod", JWT_SECRET_KEY=jwt,
                                  AITRADER_CREDENTIALS_KEY="not-a-key"), tmp_path)


def test_dev_generates_secrets_once_and_keeps_them_private(tmp_path: Path) -> None:
    first = resolve_secrets(_settings(AITRADER_ENV="dev"), tmp_path)
    second = resolve_secrets(_settings(AITRADER_ENV="dev"), tmp_path)
    assert first == second and len(first.jwt_key) >= 32
    assert (tmp_path / "dev-secrets.json").stat().st_mode & 0o077 == 0


def test_cors_defaults_to_the_vite_dev_server_in_dev_and_to_nothing_in_prod() -> None:
    assert "http://localhost:5173" in _settings(AITRADER_ENV="dev").origins()
    assert _settings(AITRADER_ENV="prod").origins() == []


def test_a_first_admin_is_created_only_when_there_is_no_user(api: Api) -> None:
    assert ensure_first_admin(api.ctx) is None  # the harness made users already
    for row in api.ctx.auth.users.all():
        with api.parts.store.sessions.begin() as s:
            s.delete(s.get(type(row), row.id))
    api.ctx.auth._user_cache.clear()
    note = ensure_first_admin(api.ctx)
    assert note is not None and "username 'admin', password '" in note
    password = note.split("password '")[1].split("'")[0]
    assert api.login("admin", password)["access_token"]

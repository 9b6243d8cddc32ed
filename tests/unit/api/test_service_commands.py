"""The service's commands: `aitrader users`, `aitrader api openapi`, and `aitrader worker`
refusing to start without Redis."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from aitrader.cli.main import app

runner = CliRunner()


def test_users_create_makes_the_first_admin_and_refuses_bad_input(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'u.db'}"}
    ok = runner.invoke(app, ["users", "create", "alice", "--role", "admin", "--password",
                             "alice-password-1"], env=env)
    assert ok.exit_code == 0, ok.output
    assert "created user 'alice'" in ok.output and "role admin" in ok.output
    dup = runner.invoke(app, ["users", "create", "alice", "--password", "another-pass-1"],
                        env=env)
    assert dup.exit_code == 2 and "username 'alice' is taken" in dup.output
    role = runner.invoke(app, ["users", "create", "bob", "--role", "boss", "--password",
                               "bob-password-1"], env=env)
    assert role.exit_code == 2 and "role must be admin, trader or viewer" in role.output
    short = runner.invoke(app, ["users", "create", "bob", "--password", "short"], env=env)
    assert short.exit_code == 2 and "at least 10 characters" in short.output
    listed = runner.invoke(app, ["users", "list"], env=env)
    assert "alice" in listed.output and "bob" not in listed.output


def test_api_openapi_prints_a_stable_schema_of_every_resource(tmp_path: Path) -> None:
    out = tmp_path / "openapi.json"
    first = runner.invoke(app, ["api", "openapi", "--out", str(out)])
    assert first.exit_code == 0, first.output
    schema = json.loads(out.read_text())
    for path in ("/api/orders", "/api/accounts/{account_id}/positions",
                 "/api/strategies/types", "/api/backtests/{run_id}/result",
                 "/api/risk/kill-switch", "/api/models/upload"):
        assert path in schema["paths"], path
    again = runner.invoke(app, ["api", "openapi"])
    assert again.output == out.read_text()


def test_the_worker_refuses_to_start_without_a_broker() -> None:
    result = runner.invoke(app, ["worker"], env={"REDIS_URL": "", "CELERY_BROKER_URL": "",
                                                 "CELERY_RESULT_BACKEND": ""})
    assert result.exit_code == 2
    assert "Celery needs REDIS_URL" in result.output

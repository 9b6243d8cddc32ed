"""The Dockerfile and compose.yaml: valid for Compose, and every name in them real.

No Docker engine runs on the test machines, so images are not built here; what can be checked
without one is: Compose accepts the file and interpolates it (and refuses it without the
secrets), the services run commands the CLI has, with environment names the settings read, and
the Dockerfile copies files that exist and are not ignored.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from aitrader.api.config import ApiSettings
from aitrader.cli.main import app
from aitrader.runtime.env_settings import EnvSettings

REPO = Path(__file__).resolve().parents[3]
SECRETS = {"POSTGRES_PASSWORD": "pg-pass-1", "SECRET_KEY": "k" * 40, "JWT_SECRET_KEY": "j" * 40,
           "AITRADER_CREDENTIALS_KEY": "c" * 43 + "="}


def _compose() -> list[str]:
    if shutil.which("docker") and subprocess.run(
            ["docker", "compose", "version"], capture_output=True, check=False).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    pytest.fail("neither `docker compose` nor `docker-compose` is installed "
                "(scripts/test.sh installs Debian's docker-compose)")


def _config(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in SECRETS}
    return subprocess.run([*_compose(), "-f", "compose.yaml", "config"], cwd=REPO,
                          env={**clean, **env}, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    out = _config(SECRETS)
    assert out.returncode == 0, out.stderr
    parsed: dict[str, Any] = yaml.safe_load(out.stdout)["services"]
    return parsed


def test_compose_runs_the_service_its_worker_and_beat_on_postgres_and_redis(
        services: dict[str, Any]) -> None:
    assert set(services) == {"api", "worker", "beat", "postgres", "redis"}
    ours = [services[name] for name in ("api", "worker", "beat")]
    assert len({s["image"] for s in ours}) == 1  # one image for the three
    for service in ours:
        env = service["environment"]
        assert env["DATABASE_URL"] == "postgresql+psycopg://aitrader:pg-pass-1@postgres:5432/aitrader"
        assert env["REDIS_URL"].startswith("redis://redis:6379/")
        assert env["SECRET_KEY"] == SECRETS["SECRET_KEY"]
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"
    assert services["api"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"] == "pg-pass-1"
    # published on loopback unless AITRADER_BIND says otherwise
    port = services["api"]["ports"][0]  # Compose 1 prints a string, Compose 2 a mapping
    if isinstance(port, str):
        assert port.removesuffix("/tcp") == "127.0.0.1:8000:8000"
    else:
        assert (port["host_ip"], str(port["published"]), port["target"]) == (
            "127.0.0.1", "8000", 8000)


def test_every_environment_name_given_to_aitrader_is_one_it_reads(
        services: dict[str, Any]) -> None:
    known = {field.alias for settings in (EnvSettings, ApiSettings)
             for field in settings.model_fields.values()}
    for name in ("api", "worker", "beat"):
        unknown = set(services[name]["environment"]) - known
        assert unknown == set(), f"{name}: {unknown}"


def test_every_service_command_is_an_aitrader_command(services: dict[str, Any]) -> None:
    runner = CliRunner()
    for name in ("api", "worker", "beat"):
        command = services[name]["command"]
        argv = shlex.split(command) if isinstance(command, str) else command
        assert argv[0] == "aitrader"
        result = runner.invoke(app, [argv[1], "--help"])
        assert result.exit_code == 0, f"{name}: aitrader {argv[1]}: {result.output}"
        for option in [a for a in argv[2:] if a.startswith("--")]:
            assert option in result.output, f"{name}: aitrader {argv[1]} has no {option}"


def test_compose_refuses_to_start_without_the_secrets() -> None:
    for missing in SECRETS:
        out = _config({k: v for k, v in SECRETS.items() if k != missing})
        assert out.returncode != 0
        assert f"set {missing} in .env" in out.stderr


def _dockerfile() -> list[tuple[str, str]]:
    text = (REPO / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    return [(m.group(1).upper(), m.group(2).strip()) for line in lines
            if (m := re.match(r"^\s*([A-Za-z]+)\s+(.*)$", line))]


def test_the_dockerfile_copies_files_that_exist_and_are_not_ignored() -> None:
    ignored = [line.strip() for line in (REPO / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")]
    # a host build must not leak into the image: the image compiles its own core
    for must in (".venv", "**/*.so", "src/aitrader/native_build.json", "frontend/node_modules"):
        assert must in ignored
    copies = [args.split() for op, args in _dockerfile()
              if op == "COPY" and not args.startswith("--from")]
    assert copies
    for parts in copies:
        for source in parts[:-1]:
            assert (REPO / source).exists(), f"COPY {source}: not in the repository"
            assert source.rstrip("/") not in ignored, f"COPY {source}: excluded by .dockerignore"


def test_the_dockerfile_installs_an_extra_that_exists_and_starts_the_service() -> None:
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    steps = _dockerfile()
    default = next(args.split("=", 1)[1] for op, args in steps
                   if op == "ARG" and args.startswith("EXTRAS="))
    assert default in extras and "api" in extras
    run = " ".join(args for op, args in steps if op == "RUN")
    assert "scripts/build_native.py --require" in run  # the image runs the compiled core
    cmd = next(args for op, args in steps if op == "CMD")
    assert cmd == '["aitrader", "up"]'
    health = next(args for op, args in steps if op == "HEALTHCHECK")
    paths = {getattr(r, "path", None) for r in _routes()}
    route = re.search(r"(/[a-z]+)'", health)
    assert route is not None and route.group(1) in paths


def _routes() -> list[Any]:
    from aitrader.api.routers.health import router

    return list(router.routes)

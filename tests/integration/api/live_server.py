"""A real deployment on loopback for integration tests and benchmarks: `aitrader up` (uvicorn,
paper engine) and `aitrader worker` (Celery) as separate processes, on a fresh PostgreSQL
database and a Redis database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
from sqlalchemy.engine import make_url

ADMIN, ADMIN_PASSWORD = "root", "integration-secret-1"

def _ports() -> range:
    """AITRADER_TEST_API_PORTS="8100-8199" picks another range (machines shared by several
    test runs); default 18470-18479."""
    first, _, last = os.environ.get("AITRADER_TEST_API_PORTS", "18470-18479").partition("-")
    return range(int(first), int(last or first) + 1)


@dataclass
class LiveServer:
    """Where the server answers and how to log in."""

    url: str
    database_url: str
    redis_url: str
    log_dir: Path
    pid: int = 0  # of the `aitrader up` process (benchmarks read its CPU time)

    def token(self, username: str = ADMIN, password: str = ADMIN_PASSWORD) -> str:
        resp = httpx.post(f"{self.url}/api/auth/login",
                          json={"username": username, "password": password}, timeout=30)
        resp.raise_for_status()
        token: str = resp.json()["access_token"]
        return token


def free_port() -> int:
    ports = _ports()
    for port in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")


@contextmanager
def fresh_database(base_url: str) -> Iterator[str]:
    """A new PostgreSQL database next to the test one, dropped afterwards."""
    url = make_url(base_url)
    name = f"aitrader_api_{uuid.uuid4().hex[:8]}"
    admin_dsn = f"host={url.host} port={url.port} user={url.username} " \
                f"password={url.password} dbname={url.database}"
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        _drop(admin_dsn, name)


def _drop(admin_dsn: str, name: str, tries: int = 10) -> None:
    """DROP ... WITH (FORCE) cannot end a superuser's session (autovacuum on a fresh
    database): retry for a while instead of failing the teardown."""
    for attempt in range(tries):
        try:
            with psycopg.connect(admin_dsn, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg.errors.InsufficientPrivilege:
            if attempt == tries - 1:
                raise
            time.sleep(1)


@contextmanager
def live_server(pg_url: str, redis_url: str, tmp: Path, worker: bool = True,
                seconds_per_bar: float = 0.05, extra_env: dict[str, str] | None = None,
                ) -> Iterator[LiveServer]:
    """Start the worker and the server; stop both (SIGINT, then SIGKILL) afterwards."""
    exe = str(Path(sys.executable).with_name("aitrader"))
    with fresh_database(pg_url) as db_url:
        env = {**os.environ, "DATABASE_URL": db_url, "REDIS_URL": redis_url,
               "AITRADER_DATA_DIR": str(tmp), "AITRADER_ENV": "test",
               "AITRADER_ADMIN_USER": ADMIN, "AITRADER_ADMIN_PASSWORD": ADMIN_PASSWORD,
               "AITRADER_RATE_LIMIT_IP_PER_MIN": "10000000",
               "AITRADER_RATE_LIMIT_USER_PER_MIN": "10000000",
               "AITRADER_LOGIN_ATTEMPTS_PER_MIN": "1000", "LOG_LEVEL": "WARNING",
               "AITRADER_FRONTEND_DIST": str(tmp / "no-dist"), **(extra_env or {})}
        port = free_port()
        procs: list[subprocess.Popen[bytes]] = []
        try:
            # the server first: it migrates the database the worker will use
            procs.append(_spawn([exe, "up", "--config-dir", str(tmp), "--port", str(port),
                                 "--seconds-per-bar", str(seconds_per_bar)], env, tmp / "up.log"))
            server = LiveServer(f"http://127.0.0.1:{port}", db_url, redis_url, tmp,
                                procs[0].pid)
            _wait_healthy(server.url, procs[0], tmp / "up.log")
            if worker:
                procs.append(_spawn([exe, "worker", "--pool", "solo", "--loglevel", "INFO"],
                                    env, tmp / "worker.log"))
            yield server
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGINT)
            for proc in procs:
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(5)


def _spawn(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    out = log.open("wb")
    return subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=log.parent)


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path,
                  timeout_s: float = 90.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"aitrader up exited with {proc.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"aitrader up did not answer within {timeout_s} s:\n{log.read_text()}")

"""The live server for the integration tests (needs PostgreSQL and Redis, started by
scripts/test.sh; skipped when AITRADER_TEST_POSTGRES_URL or AITRADER_TEST_REDIS_URL is unset)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from live_server import LiveServer, live_server


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`aitrader up` and a Celery worker on loopback."""
    pg = os.environ.get("AITRADER_TEST_POSTGRES_URL")
    redis = os.environ.get("AITRADER_TEST_REDIS_URL")
    if not pg or not redis:
        pytest.skip("needs AITRADER_TEST_POSTGRES_URL and AITRADER_TEST_REDIS_URL")
    tmp: Path = tmp_path_factory.mktemp("live")
    with live_server(pg, redis, tmp) as srv:
        yield srv

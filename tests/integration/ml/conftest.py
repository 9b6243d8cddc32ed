"""ML integration tests run the registry on SQLite and, when AITRADER_TEST_POSTGRES_URL is set,
on a fresh PostgreSQL database."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from aitrader.testkit.pg_database import throwaway_database

PG_URL = os.environ.get("AITRADER_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def registry_db_url(request, tmp_path) -> Iterator[str]:
    """A fresh database URL (not yet migrated)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'registry.db'}"
        return
    if not PG_URL:
        pytest.skip("AITRADER_TEST_POSTGRES_URL is not set (scripts/test.sh sets it)")
    with throwaway_database(PG_URL, "ml") as url:
        yield url

"""Every storage test runs on SQLite and, when AITRADER_TEST_POSTGRES_URL is set, PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from aitrader.storage.migrate import upgrade_to_head
from aitrader.testkit.pg_database import throwaway_database

PG_URL = os.environ.get("AITRADER_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> Iterator[str]:
    """A fresh, migrated database: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    if not PG_URL:
        pytest.skip("AITRADER_TEST_POSTGRES_URL is not set (scripts/test.sh sets it)")
    with throwaway_database(PG_URL, "t") as url:
        yield url


@pytest.fixture
def engine(db_url) -> Iterator[Engine]:
    """The migrated database's engine."""
    eng = upgrade_to_head(db_url)
    yield eng
    eng.dispose()

"""Every storage test runs on SQLite and, when AITRADER_TEST_POSTGRES_URL is set, PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

from aitrader.storage.db import normalize_url
from aitrader.storage.migrate import upgrade_to_head

PG_URL = os.environ.get("AITRADER_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> Iterator[str]:
    """A fresh, migrated database: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    if not PG_URL:
        pytest.skip("AITRADER_TEST_POSTGRES_URL is not set (scripts/test.sh sets it)")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalize_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield normalize_url(PG_URL).rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def engine(db_url) -> Iterator[Engine]:
    """The migrated database's engine."""
    eng = upgrade_to_head(db_url)
    yield eng
    eng.dispose()

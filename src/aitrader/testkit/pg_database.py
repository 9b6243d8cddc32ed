"""A throwaway PostgreSQL database per test: created on a server the test run provides, dropped
afterwards even when a background session (autovacuum) still holds it."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from aitrader.storage.db import normalize_url


@contextmanager
def throwaway_database(server_url: str, prefix: str = "t", drop_tries: int = 20) -> Iterator[str]:
    """Yield the URL of a new, empty database on the server of ``server_url``; drop it after.

    ``DROP ... WITH (FORCE)`` cannot end a superuser's session, such as an autovacuum worker
    that started on the fresh database, so the drop is retried for a while."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    base = normalize_url(server_url)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield base.rsplit("/", 1)[0] + f"/{name}"
        finally:
            for attempt in range(drop_tries):
                try:
                    with admin.connect() as conn:
                        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                    break
                except (ProgrammingError, OperationalError):
                    if attempt == drop_tries - 1:
                        raise
                    time.sleep(0.5)
    finally:
        admin.dispose()

"""PostgreSQL connections that died while idle in the pool are replaced before use, without the
cost of a ping before every transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from aitrader.storage import db
from aitrader.storage.db import make_engine

pytestmark = pytest.mark.postgres


def _backend_pid(engine: object) -> int:
    with engine.connect() as conn:  # type: ignore[attr-defined]
        return int(conn.scalar(text("SELECT pg_backend_pid()")))


def test_an_idle_connection_killed_by_the_server_is_replaced_before_use(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    engine = make_engine(db_url, pool_size=1, max_overflow=0)
    killer = make_engine(db_url)
    try:
        first = _backend_pid(engine)
        with killer.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        monkeypatch.setattr(db, "PG_PING_AFTER_IDLE_S", 0.0)  # as if it sat idle for long
        with engine.begin() as conn:  # no error: the ping found it dead, a new one was used
            assert conn.scalar(text("SELECT 1")) == 1
        assert _backend_pid(engine) != first
    finally:
        engine.dispose()
        killer.dispose()

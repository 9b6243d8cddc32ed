"""The task functions both runners call: the scheduled purge of old idempotency keys."""

from __future__ import annotations

import time
from pathlib import Path

from aitrader.runtime.env_settings import EnvSettings
from aitrader.storage.auth_repository import IdempotencyRepository
from aitrader.storage.db import session_factory
from aitrader.storage.migrate import upgrade_to_head
from aitrader.tasks import jobs


def test_the_scheduled_purge_forgets_only_idempotency_keys_older_than_a_week(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    engine = upgrade_to_head(url)
    repo = IdempotencyRepository(session_factory(engine))
    old = repo.put(1, "old", "h", 201, {"client_order_id": "api-1"})
    repo.put(1, "new", "h", 201, {"client_order_id": "api-2"})
    with session_factory(engine).begin() as s:
        row = s.get(type(old), old.pk)
        assert row is not None
        row.created_ns = time.time_ns() - 8 * 86_400 * 1_000_000_000
    env = EnvSettings.model_validate({"DATABASE_URL": url})
    assert jobs.purge_idempotency_keys(env) == 1
    assert repo.get(1, "old") is None and repo.get(1, "new") is not None
    engine.dispose()

"""The task functions. Both runners call exactly these, so a task behaves the same in-process
and on a Celery worker. Settings come from the worker's own environment, never the message."""

from __future__ import annotations

import logging
import os
import time

from aitrader.runtime.env_settings import EnvSettings
from aitrader.runtime.service_backtests import data_roots, execute
from aitrader.storage.auth_repository import IdempotencyRepository
from aitrader.storage.db import make_engine, session_factory

log = logging.getLogger("aitrader.system")
IDEMPOTENCY_MAX_AGE_S = 7 * 86_400


def run_backtest(run_id: str, env: EnvSettings | None = None) -> str:
    """Run a queued backtest; returns its final status ('done' or 'failed')."""
    env = env or EnvSettings()
    roots = data_roots(env.data_dir, os.environ.get("AITRADER_BACKTEST_DATA"))
    status = execute(env.database_url, run_id, roots)
    log.info("backtest %s %s", run_id, status)
    return status


def purge_idempotency_keys(env: EnvSettings | None = None,
                           max_age_s: int = IDEMPOTENCY_MAX_AGE_S) -> int:
    """Scheduled: forget idempotency keys older than a week."""
    env = env or EnvSettings()
    engine = make_engine(env.database_url)
    try:
        cutoff = time.time_ns() - max_age_s * 1_000_000_000
        return IdempotencyRepository(session_factory(engine)).purge_older_than(cutoff)
    finally:
        engine.dispose()

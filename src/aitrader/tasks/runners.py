"""Where tasks run: a thread pool in this process (the default) or Celery workers."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aitrader.runtime.env_settings import EnvSettings
from aitrader.runtime.service_backtests import TASK_BACKTEST
from aitrader.tasks import jobs

log = logging.getLogger("aitrader.system")
BACKTEST = TASK_BACKTEST
PURGE_IDEMPOTENCY = "aitrader.purge_idempotency_keys"
RETRAIN_MODELS = "aitrader.retrain_models"


class InProcessTasks:
    """Runs tasks on a small thread pool next to the API (no Redis needed)."""

    backend = "inprocess"

    def __init__(self, env: EnvSettings, workers: int = 1) -> None:
        self._env = env
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="aitrader-task")
        self._jobs: dict[str, Callable[..., Any]] = {
            BACKTEST: lambda run_id: jobs.run_backtest(run_id, self._env),
        }

    def submit(self, kind: str, ref_id: str) -> str:
        """Queue a task; returns its id."""
        job = self._jobs[kind]
        task_id = uuid.uuid4().hex
        future = self._pool.submit(job, ref_id)
        future.add_done_callback(lambda f: _log_failure(kind, ref_id, f.exception()))
        return task_id

    def close(self) -> None:
        """Wait for running tasks and stop the pool."""
        self._pool.shutdown(wait=True, cancel_futures=True)


class CeleryTasks:
    """Sends tasks to Celery workers through the broker."""

    backend = "celery"

    def __init__(self, app: Any) -> None:
        self._app = app

    def submit(self, kind: str, ref_id: str) -> str:
        """Send a task; returns the Celery task id."""
        result = self._app.send_task(kind, args=[ref_id])
        return str(result.id)

    def close(self) -> None:
        """Nothing to stop: the workers are separate processes."""


def _log_failure(kind: str, ref_id: str, exc: BaseException | None) -> None:
    if exc is not None:
        log.error("task %s %s failed: %s", kind, ref_id, exc)

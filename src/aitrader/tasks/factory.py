"""Pick the task runner: Celery when REDIS_URL (or CELERY_BROKER_URL) is set, else in-process."""

from __future__ import annotations

from aitrader.runtime.env_settings import EnvSettings
from aitrader.tasks.runners import CeleryTasks, InProcessTasks


def task_queue(env: EnvSettings) -> CeleryTasks | InProcessTasks:
    """The runner for this environment."""
    if env.redis_url or env.celery_broker_url:
        from aitrader.tasks.celery_app import make_celery

        return CeleryTasks(make_celery(env))
    return InProcessTasks(env)

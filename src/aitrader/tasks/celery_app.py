"""The Celery application: Redis as broker and result store, the task functions of jobs.py,
and the beat schedule. Built by a function (no module-level app); ``aitrader worker`` and
``aitrader beat`` start it."""

from __future__ import annotations

from typing import Any

from celery import Celery

from aitrader.core.errors import ConfigError
from aitrader.runtime.env_settings import EnvSettings
from aitrader.tasks import jobs
from aitrader.tasks.runners import BACKTEST, PURGE_IDEMPOTENCY, RETRAIN_MODELS


def broker_urls(env: EnvSettings) -> tuple[str, str]:
    """(broker, result backend): CELERY_* when set, otherwise REDIS_URL for both."""
    broker = env.celery_broker_url or env.redis_url
    backend = env.celery_result_backend or env.redis_url
    if not broker or not backend:
        raise ConfigError("environment: Celery needs REDIS_URL (or CELERY_BROKER_URL and "
                          "CELERY_RESULT_BACKEND), none is set")
    return broker, backend


def make_celery(env: EnvSettings | None = None) -> Celery:
    """A Celery app with aitrader's tasks registered."""
    env = env or EnvSettings()
    broker, backend = broker_urls(env)
    app = Celery("aitrader", broker=broker, backend=backend)
    app.conf.update(
        task_serializer="json", result_serializer="json", accept_content=["json"],
        task_acks_late=True, worker_prefetch_multiplier=1, result_expires=86_400,
        broker_connection_retry_on_startup=True, timezone="UTC", enable_utc=True,
        beat_schedule={
            "purge-idempotency-keys": {"task": PURGE_IDEMPOTENCY, "schedule": 3600.0},
            # each config's own `retrain.every_days` and PSI trigger decide; hourly is the check
            "retrain-models": {"task": RETRAIN_MODELS, "schedule": 3600.0},
        },
    )

    def backtest(run_id: str) -> str:
        return jobs.run_backtest(run_id)

    def purge() -> int:
        return jobs.purge_idempotency_keys()

    def retrain() -> list[str]:
        return jobs.retrain_models()

    task: Any = app.task
    task(name=RETRAIN_MODELS)(retrain)
    task(name=BACKTEST)(backtest)
    task(name=PURGE_IDEMPOTENCY)(purge)
    return app

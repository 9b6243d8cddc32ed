"""``aitrader worker`` and ``aitrader beat``: Celery processes for background tasks (they need
REDIS_URL, and the same DATABASE_URL as the API)."""

from __future__ import annotations

from typing import Any

import typer

from aitrader.core.errors import AitraderError


def worker(
    concurrency: int = typer.Option(1, min=1, max=64, help="worker processes"),
    loglevel: str = typer.Option("INFO"),
    pool: str = typer.Option("prefork", help="prefork, solo or threads"),
) -> None:
    """Run a Celery worker for backtests and other tasks."""
    app = _app()
    app.worker_main(argv=["worker", f"--concurrency={concurrency}", f"--loglevel={loglevel}",
                          f"--pool={pool}", "--without-gossip", "--without-mingle"])


def beat(
    loglevel: str = typer.Option("INFO"),
    schedule: str = typer.Option("var/celerybeat-schedule", help="beat's state file"),
) -> None:
    """Run Celery beat: the scheduled jobs (e.g. purge old idempotency keys hourly)."""
    app = _app()
    app.start(argv=["beat", f"--loglevel={loglevel}", f"--schedule={schedule}"])


def _app() -> Any:
    from aitrader.runtime.env_settings import EnvSettings
    from aitrader.tasks.celery_app import make_celery

    try:
        return make_celery(EnvSettings())
    except AitraderError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None

"""The task functions. Both runners call exactly these, so a task behaves the same in-process
and on a Celery worker. Settings come from the worker's own environment, never the message."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

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


def retrain_models(env: EnvSettings | None = None, configs: str | None = None) -> list[str]:
    """Scheduled: the retraining check of every training config in ``AITRADER_RETRAIN_CONFIGS``
    (paths separated by commas). A due or drifted model gets a new version in staging; the
    production version never changes here. Returns one line per config."""
    from aitrader.core.errors import AitraderError
    from aitrader.ml.train_config import TrainConfig
    from aitrader.runtime.ml_retrain import retrain_once
    from aitrader.runtime.ml_wiring import load_training_bars, open_model_registry

    env = env or EnvSettings()
    raw = os.environ.get("AITRADER_RETRAIN_CONFIGS", "") if configs is None else configs
    registry = open_model_registry(env.database_url, env.data_dir / "models")
    lines: list[str] = []
    for path in (p.strip() for p in raw.split(",") if p.strip()):
        try:
            cfg = TrainConfig.from_file(Path(path))
            bars, _extra = load_training_bars(cfg)
            out = retrain_once(cfg, registry, bars, int(bars.ts_ns[-1] + bars.timeframe_ns))
        except AitraderError as exc:  # one bad config must not stop the others
            lines.append(f"{path}: error: {exc}")
            log.error("retrain check %s failed: %s", path, exc)
            continue
        made = out.new_version
        lines.append(f"{path}: " + (f"{made.name} v{made.version} in {made.stage}" if made
                                    else "; ".join(out.decision.reasons) or "not due, no drift"))
        log.info("retrain check %s", lines[-1])
    return lines


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

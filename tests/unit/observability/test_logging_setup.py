"""Logging: JSON lines with UTC timestamps, idempotent set-up, secrets stay hidden."""

from __future__ import annotations

import io
import json
import logging

from pydantic import SecretStr

from aitrader.observability.config import LoggingConfig
from aitrader.observability.logging_setup import configure_logging


def test_json_lines_carry_a_utc_timestamp_level_logger_and_extras() -> None:
    out = io.StringIO()
    configure_logging(LoggingConfig(format="json"), out)
    logging.getLogger("aitrader.trading").info("filled %s", "o-1", extra={"qty": 2})
    line = json.loads(out.getvalue().strip().splitlines()[-1])
    assert line["msg"] == "filled o-1" and line["level"] == "INFO"
    assert line["logger"] == "aitrader.trading" and line["qty"] == 2
    assert line["ts"].endswith("Z") and "T" in line["ts"]


def test_configuring_twice_keeps_one_handler() -> None:
    out = io.StringIO()
    configure_logging(LoggingConfig(format="text"), out)
    configure_logging(LoggingConfig(format="text"), out)
    logging.getLogger("aitrader.system").warning("once")
    assert out.getvalue().count("once") == 1
    assert "Z WARNING aitrader.system: once" in out.getvalue()


def test_secret_values_never_reach_the_log() -> None:
    out = io.StringIO()
    configure_logging(LoggingConfig(format="json"), out)
    logging.getLogger("aitrader.system").info("key %s", SecretStr("s3cr3t"))
    assert "s3cr3t" not in out.getvalue()
    assert "**********" in out.getvalue()


def test_per_logger_levels_apply() -> None:
    out = io.StringIO()
    configure_logging(LoggingConfig(format="text", loggers={"aitrader.market_data": "ERROR"}), out)
    logging.getLogger("aitrader.market_data").warning("hidden")
    logging.getLogger("aitrader.risk").warning("shown")
    assert "hidden" not in out.getvalue() and "shown" in out.getvalue()

"""Logging: JSON lines in production, readable lines in a terminal, UTC timestamps."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import TextIO

from aitrader.observability.config import LoggingConfig

_HANDLER_NAME = "aitrader"
_STANDARD = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts (ISO-8601 UTC, Z), level, logger, msg and any extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Render a record."""
        ts = datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")
        out: dict[str, object] = {
            "ts": ts.replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = value if isinstance(value, int | float | bool | None) else str(value)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str)


class UtcTextFormatter(logging.Formatter):
    """Readable lines with UTC timestamps."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 - stdlib name
        """ISO-8601 UTC with milliseconds and a Z."""
        ts = datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")
        return ts.replace("+00:00", "Z")


def configure_logging(cfg: LoggingConfig, stream: TextIO | None = None) -> logging.Handler:
    """Install (or replace) aitrader's handler on the ``aitrader`` logger; idempotent."""
    out = stream or sys.stderr
    as_json = cfg.format == "json" or (cfg.format == "auto" and not out.isatty())
    handler = logging.StreamHandler(out)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter() if as_json else UtcTextFormatter())
    root = logging.getLogger("aitrader")
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(cfg.level)
    root.propagate = False
    for name, level in cfg.loggers.items():
        logging.getLogger(name).setLevel(level)
    return handler

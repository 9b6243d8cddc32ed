"""Timeframes such as 1m, 4h, 1d as nanoseconds."""

from __future__ import annotations

import re

from aitrader.core.errors import DataError

_UNITS_NS = {"s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000,
             "d": 86_400_000_000_000, "w": 604_800_000_000_000}
_PATTERN = re.compile(r"^(\d+)([smhdw])$")


def parse_timeframe(text: str) -> int:
    """``"15m"`` → nanoseconds; DataError for anything that is not <number><s|m|h|d|w>."""
    m = _PATTERN.match(text.strip())
    if m is None or int(m.group(1)) == 0:
        raise DataError(f"timeframe must look like 30s, 1m, 15m, 1h, 4h, 1d, 1w; was {text!r}")
    return int(m.group(1)) * _UNITS_NS[m.group(2)]


def format_timeframe(ns: int) -> str:
    """Nanoseconds → the largest whole unit, e.g. 3_600_000_000_000 → ``"1h"``."""
    if ns <= 0:
        raise DataError(f"a timeframe must be > 0 ns, was {ns}")
    for unit in ("w", "d", "h", "m", "s"):
        size = _UNITS_NS[unit]
        if ns % size == 0:
            return f"{ns // size}{unit}"
    return f"{ns}ns"

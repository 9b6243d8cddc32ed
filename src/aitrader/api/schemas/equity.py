"""An account's equity history: the query (a time range and a point budget) and its points."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, WithJsonSchema, model_validator

MAX_POINTS = 10_000
_MAX_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z
_DIGITS = re.compile(r"-?\d{1,18}")


def parse_time_ns(value: Any) -> int | None:
    """Milliseconds since the Unix epoch, or ISO 8601 with a timezone, as int UTC ns."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"must be milliseconds since the epoch or ISO 8601, was {value!r}")
    text = str(value).strip()
    if isinstance(value, int) or _DIGITS.fullmatch(text):
        ms = int(text)
        if not 0 <= ms <= _MAX_MS:
            raise ValueError(f"milliseconds since the epoch must be between 0 and {_MAX_MS}, "
                             f"was {ms}")
        return ms * 1_000_000
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("must be milliseconds since the epoch or an ISO 8601 time such as "
                         f"2026-01-02T03:04:05Z, was {text[:64]!r}") from None
    if when.tzinfo is None:
        raise ValueError(f"an ISO 8601 time needs a timezone (Z or ±hh:mm), was {text[:64]!r}")
    seconds = int(when.timestamp())  # whole seconds exactly, then the microseconds
    ns = seconds * 1_000_000_000 + when.microsecond * 1_000
    if ns < 0:
        raise ValueError(f"times before 1970-01-01T00:00:00Z are not stored, was {text[:64]!r}")
    return ns


TimeParam = Annotated[
    int | None, BeforeValidator(parse_time_ns),
    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 0, "maximum": _MAX_MS},
                              {"type": "string", "format": "date-time"}]}),
]


class EquityQuery(BaseModel):
    """Which part of the history: ``start <= ts <= end`` (either may be left out), and at
    most ``limit`` points (more are thinned by time buckets, each giving its latest point)."""

    start: TimeParam = Field(None, description="from (inclusive): ms since the epoch or ISO 8601")
    end: TimeParam = Field(None, description="until (inclusive): ms since the epoch or ISO 8601")
    limit: int = Field(MAX_POINTS, ge=1, le=MAX_POINTS,
                       description=f"at most this many points (1 to {MAX_POINTS})")

    @model_validator(mode="after")
    def _ordered(self) -> EquityQuery:
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValueError(f"start must not be after end, was start={self.start} ns > "
                             f"end={self.end} ns")
        return self


class EquityPointPublic(BaseModel):
    """An account's equity and cash (its base currency) at ``ts`` (UTC ns)."""

    ts: int
    equity: Decimal
    cash: Decimal
    unrealized_pnl: Decimal | None = Field(
        None, description="equity − cash: the open positions' P&L at their marks")

"""Logging configuration."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Level = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class LoggingConfig(BaseModel):
    """Level, format and per-logger levels."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    level: Level = Field("INFO", description="root level of the aitrader loggers")
    format: Literal["auto", "json", "text"] = Field(
        "auto", description="json lines, readable text, or auto (json when not a terminal)"
    )
    loggers: dict[str, Level] = Field(
        default_factory=dict, description="levels of aitrader.trading, aitrader.risk, ..."
    )

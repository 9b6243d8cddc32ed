"""The names of what a parameter search can maximise (stdlib only, so the CLI can offer them as
choices without loading the compiled research path)."""

from __future__ import annotations

from enum import StrEnum


class Objective(StrEnum):
    """What a search maximises."""

    SHARPE = "sharpe"
    SORTINO = "sortino"
    CALMAR = "calmar"
    PROFIT_FACTOR = "profit_factor"
    RETURN_DD_CAP = "return_dd_cap"

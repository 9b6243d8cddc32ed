"""The real-candle slice the momentum tests share."""

from __future__ import annotations

from pathlib import Path

import pytest
from momentum_backtests import read_bars

from aitrader.data.bar_arrays import BarArrays


@pytest.fixture(scope="session")
def btc_2024(shared_data: Path) -> BarArrays:
    """The first 20,000 minutes of 2024 (Jan 1 → Jan 14)."""
    return read_bars(shared_data, 2024, 0, 20_000)

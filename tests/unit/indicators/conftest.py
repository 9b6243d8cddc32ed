"""Real BTCUSDT 1-minute candles for the indicator tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Candles:
    """OHLCV columns of a slice of real candles."""

    open: F64
    high: F64
    low: F64
    close: F64
    volume: F64


def load_candles(shared_data: Path, n: int, year: int = 2024) -> Candles:
    """The first ``n`` one-minute BTCUSDT bars of ``year``."""
    path = shared_data / f"crypto/binance_spot_1m/BTCUSDT/BTCUSDT_1m_{year}.parquet"
    df = pd.read_parquet(path).iloc[:n]
    cols = [np.ascontiguousarray(df[c].to_numpy(dtype=np.float64))
            for c in ("open", "high", "low", "close", "volume")]
    return Candles(*cols)


@pytest.fixture(scope="session")
def candles(shared_data: Path) -> Candles:
    """60,000 real minutes (Jan-Feb 2024), enough for rounding drift to show."""
    return load_candles(shared_data, 60_000)

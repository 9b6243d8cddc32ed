"""The real Binance feeds, loaded once per test session (each takes seconds to parse)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aitrader.core.ids import InstrumentId
from aitrader.storage.book_files import BookFeed, load_binance_feed

BTC = InstrumentId("BTC/USDT", "BINANCE")
SPOT_FILES = ("binance_spot_btcusdt_20240808.gz", "binance_spot_btcusdt_20240809.gz")


@pytest.fixture(scope="session")
def spot_feed(shared_data: Path) -> BookFeed:
    """Binance spot BTCUSDT, 2024-08-08 23:54 → 08-09 00:05 UTC (two contiguous files)."""
    return load_binance_feed([shared_data / "orderbook/hftbacktest" / f for f in SPOT_FILES],
                             BTC)


@pytest.fixture(scope="session")
def futures_feed(shared_data: Path) -> BookFeed:
    """Binance USD-M BTCUSDT, 2024-08-08 23:54 → 23:59:59 UTC."""
    return load_binance_feed(
        [shared_data / "orderbook/hftbacktest/binance_usdm_btcusdt_20240808.gz"], BTC)

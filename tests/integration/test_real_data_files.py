"""Real files from ../shared/data load, validate and resample as their README says."""

from __future__ import annotations

import io
import tarfile

import numpy as np
import pandas as pd
import pytest

from aitrader.data.resample import resample
from aitrader.storage.bar_files import load_bars

pytestmark = pytest.mark.realdata
HOUR = 3_600_000_000_000


def test_eth_2023_has_the_one_documented_outage_gap(shared_data) -> None:
    loaded = load_bars(shared_data / "crypto/binance_spot_1m/ETHUSDT/ETHUSDT_1m_2023.parquet")
    assert len(loaded.bars) == 525_520
    [gap] = loaded.report.gaps
    assert pd.Timestamp(gap.after_ns, tz="UTC") == pd.Timestamp("2023-03-24 12:39", tz="UTC")
    assert pd.Timestamp(gap.before_ns, tz="UTC") == pd.Timestamp("2023-03-24 14:00", tz="UTC")
    assert gap.missing_bars == 80


def test_freqtrade_feather_from_the_tar_loads(shared_data, tmp_path) -> None:
    with tarfile.open(shared_data / "crypto/freqtrade_binance_1m_2026-03-23_2026-04-22.tar") as t:
        member = t.extractfile("user_data/data/binance/BTC_USDT-1m.feather")
        assert member is not None
        (tmp_path / "BTC_USDT-1m.feather").write_bytes(member.read())
    loaded = load_bars(tmp_path / "BTC_USDT-1m.feather")
    assert len(loaded.bars) == 43_199
    assert loaded.bars.timeframe_ns == 60_000_000_000


def test_resampled_1m_btc_equals_the_published_hourly_bars(shared_data) -> None:
    minute = load_bars(shared_data / "crypto/binance_spot_1m/BTCUSDT/BTCUSDT_1m_2024.parquet")
    hourly = resample(minute.bars, HOUR)
    with tarfile.open(shared_data / "crypto/binance_spot_lean_hour_daily.tar") as t:
        member = t.extractfile("data/crypto/binance/hour/btcusdt_trade.zip")
        assert member is not None
        raw = member.read()
    ref = pd.read_csv(io.BytesIO(raw), compression="zip", header=None,
                      names=["time", "open", "high", "low", "close", "volume"])
    ref_ts = pd.to_datetime(ref.time, format="%Y%m%d %H:%M", utc=True)
    ref_ns = ref_ts.dt.as_unit("ns").astype("int64").to_numpy()
    common, i_ours, i_ref = np.intersect1d(hourly.ts_ns, ref_ns, return_indices=True)
    assert len(common) > 8_700  # the whole of 2024
    for ours, col in ((hourly.open, "open"), (hourly.high, "high"), (hourly.low, "low"),
                      (hourly.close, "close")):
        assert np.array_equal(ours[i_ours], ref[col].to_numpy()[i_ref])
    np.testing.assert_allclose(hourly.volume[i_ours], ref["volume"].to_numpy()[i_ref], rtol=1e-12)

"""Bar files of every supported shape load to the same bars; bad files give clear errors."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from aitrader.core.errors import DataError
from aitrader.storage.bar_files import load_bars
from aitrader.storage.bar_store import BarStore

T0_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z
ROWS = [(T0_MS + i * 60_000, 100.0 + i, 101.0 + i, 99.0 + i, 100.5 + i, 1.0 + i) for i in range(4)]


def _expect(loaded) -> None:
    bars = loaded.bars
    assert list(bars.ts_ns) == [r[0] * 1_000_000 for r in ROWS]
    assert list(bars.close) == [r[4] for r in ROWS]
    assert bars.timeframe_ns == 60_000_000_000


def test_csv_with_header_and_epoch_ms(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    p.write_text("Timestamp,Open,High,Low,Close,Volume\n"
                 + "".join(",".join(map(str, r)) + "\n" for r in ROWS))
    _expect(load_bars(p))


@pytest.mark.parametrize("unit", [1, 1_000])  # seconds, ms → µs
def test_csv_with_epoch_seconds_or_microseconds(tmp_path: Path, unit: int) -> None:
    p = tmp_path / "a.csv"
    scale = {1: 1 / 1000, 1_000: 1000}[unit]
    p.write_text("time,open,high,low,close,volume\n" + "".join(
        f"{int(r[0] * scale)},{r[1]},{r[2]},{r[3]},{r[4]},{r[5]}\n" for r in ROWS))
    _expect(load_bars(p))


@pytest.mark.parametrize("stamp", ["%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S",
                                   "%Y-%m-%dT%H:%M:%S+00:00"])
def test_csv_with_iso_times_with_or_without_zone_naive_meaning_utc(tmp_path, stamp) -> None:
    p = tmp_path / "a.csv"
    text = "date,open,high,low,close,volume\n"
    for r in ROWS:
        when = pd.Timestamp(r[0], unit="ms", tz="UTC").strftime(stamp)
        text += f"{when},{r[1]},{r[2]},{r[3]},{r[4]},{r[5]}\n"
    p.write_text(text)
    _expect(load_bars(p))


@pytest.mark.parametrize("micro", [False, True])
def test_headerless_binance_klines_in_ms_or_us(tmp_path: Path, micro: bool) -> None:
    p = tmp_path / "BTCUSDT-1m-2024-01-01.csv"
    m = 1000 if micro else 1
    p.write_text("".join(
        f"{r[0] * m},{r[1]:.8f},{r[2]:.8f},{r[3]:.8f},{r[4]:.8f},{r[5]:.8f},"
        f"{(r[0] + 59_999) * m},1000.0,10,0.5,50.0,0\n" for r in ROWS))
    _expect(load_bars(p))


def test_gzipped_csv_parquet_feather_and_a_folder(tmp_path: Path) -> None:
    df = pd.DataFrame(ROWS, columns=["open_time", "open", "high", "low", "close", "volume"])
    gz = tmp_path / "a.csv.gz"
    gz.write_bytes(gzip.compress(df.to_csv(index=False).encode()))
    _expect(load_bars(gz))
    df["date"] = pd.to_datetime(df.pop("open_time"), unit="ms", utc=True)
    df.to_feather(tmp_path / "a.feather")  # freqtrade's layout
    _expect(load_bars(tmp_path / "a.feather"))
    folder = tmp_path / "parts"
    folder.mkdir()
    df.iloc[:2].to_parquet(folder / "p1.parquet")
    df.iloc[2:].to_parquet(folder / "p2.parquet")
    _expect(load_bars(folder))


@pytest.mark.parametrize(("text", "message"), [
    ("", "the file is empty"),
    ("time,open,high,low,close\n1,2,3,1,2\n2,2,3,1,2\n", None),  # volume optional
    ("time,open,low,close,volume\n1704067200000,1,1,1,1\n", r"missing column 'high'"),
    ("time,open,high,low,close,volume\n1704067200000,1,2,0.5,abc,1\n",
     r"row 0, column 'close': 'abc' is not a number"),
    ("time,open,high,low,close,volume\nyesterday,1,2,0.5,1,1\n2024-01-01,1,2,1,1,1\n",
     r"row 0, column 'time': 'yesterday' is not a date/time"),
])
def test_malformed_files_give_clear_errors(tmp_path: Path, text: str, message) -> None:
    p = tmp_path / "bad.csv"
    p.write_text(text)
    if message is None:
        assert list(load_bars(p).bars.volume) == [0.0, 0.0]
        return
    with pytest.raises(DataError, match=message):
        load_bars(p)


def test_bar_store_round_trips_appends_and_refuses_conflicts(tmp_path: Path) -> None:
    src = tmp_path / "a.csv"
    src.write_text("time,open,high,low,close,volume\n"
                   + "".join(",".join(map(str, r)) + "\n" for r in ROWS))
    bars = load_bars(src).bars
    store = BarStore(tmp_path / "store")
    store.write("BINANCE", "BTC/USDT", "1m", bars.slice(0, 3))
    store.append("BINANCE", "BTC/USDT", "1m", bars.slice(2, 4))  # overlaps one identical bar
    back = store.read("BINANCE", "BTC/USDT", "1m")
    assert np.array_equal(back.ts_ns, bars.ts_ns) and np.array_equal(back.close, bars.close)
    assert [(s.venue, s.symbol, s.timeframe) for s in store.list()] == [
        ("BINANCE", "BTC/USDT", "1m")]
    assert not list((tmp_path / "store").rglob("*.tmp"))
    last = bars.slice(3, 4)
    changed = type(last)(last.ts_ns, last.open, last.high, last.low, last.close + 1,
                         last.volume, last.timeframe_ns)
    with pytest.raises(DataError, match="disagree with stored ones"):
        store.append("BINANCE", "BTC/USDT", "1m", changed)
    with pytest.raises(DataError, match="no stored bars"):
        store.read("BINANCE", "ETH/USDT", "1m")

"""Shared by the benchmark driver and the peers' scripts: data, the reference trade list, and
trade-list comparison. Runs in both the project's venv and the peers' (pandas + numpy only)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "crypto" / "binance_spot_1m" / "BTCUSDT"
FAST, SLOW, FEE = 10, 30, 0.001


def load_frame(n_bars: int, data_dir: Path = DEFAULT_DATA) -> pd.DataFrame:
    """The first ``n_bars`` BTCUSDT 1m bars of 2024-2025, indexed by UTC open time."""
    files = [data_dir / f"BTCUSDT_1m_{year}.parquet" for year in (2024, 2025)]
    missing = [f for f in files if not f.exists()]
    if missing:
        raise SystemExit(f"benchmark data not found: {missing[0]} (pass --data-dir)")
    df = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True).iloc[:n_bars]
    df.index = pd.DatetimeIndex(df.pop("open_time")).tz_convert("UTC")
    return df


def ts_ns(df: pd.DataFrame) -> np.ndarray:
    """Bar open times as int64 UTC nanoseconds."""
    return df.index.as_unit("ns").asi8


def reference_trades(df: pd.DataFrame) -> list[list[float]]:
    """Independent vectorised reference: pandas rolling means, `above = fast > slow`, a change
    of `above` is a cross decided at the close and filled at the next bar's open. Closed
    trades only: [entry_ts_ns, entry_price, exit_ts_ns, exit_price]."""
    close = df["close"]
    above = (close.rolling(FAST).mean() > close.rolling(SLOW).mean()).to_numpy()
    valid = close.rolling(SLOW).mean().notna().to_numpy()
    opens, stamps = df["open"].to_numpy(), ts_ns(df)
    first = int(np.argmax(valid))
    cross = np.flatnonzero(above[first + 1:] != above[first:-1]) + first + 1
    trades, entry = [], None
    for i in cross:
        if i + 1 >= len(df):
            break
        if above[i] and entry is None:
            entry = (int(stamps[i + 1]), float(opens[i + 1]))
        elif not above[i] and entry is not None:
            trades.append([entry[0], entry[1], int(stamps[i + 1]), float(opens[i + 1])])
            entry = None
    return trades


def compare(trades: list[list[float]], reference: list[list[float]]) -> dict[str, object]:
    """How many trades equal the reference (timestamps exact, prices to 1e-8), and the first
    difference."""
    same = sum(
        1 for a, b in zip(trades, reference, strict=False)
        if a[0] == b[0] and a[2] == b[2] and abs(a[1] - b[1]) < 1e-8 and abs(a[3] - b[3]) < 1e-8
    )
    first_diff = next((i for i, (a, b) in enumerate(zip(trades, reference, strict=False))
                       if a[:4] != b[:4]), None)
    return {"trades": len(trades), "reference": len(reference), "equal": same,
            "identical": same == len(reference) == len(trades), "first_difference": first_diff}


def emit(seconds: float, bars: int, trades: list[list[float]], **extra: object) -> None:
    """A peer script's result on stdout, one JSON line."""
    print(json.dumps({"seconds": seconds, "bars": bars, "trades": trades, **extra}))

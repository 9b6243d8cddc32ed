"""Bars stored as parquet, one file per venue/symbol/timeframe, written atomically."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from aitrader.core.errors import DataError
from aitrader.data.bar_arrays import BarArrays
from aitrader.data.timeframes import format_timeframe, parse_timeframe

_COLUMNS = ("open", "high", "low", "close", "volume")


@dataclass(frozen=True)
class StoredSeries:
    """One stored series."""

    venue: str
    symbol: str
    timeframe: str
    path: Path


class BarStore:
    """``root/<venue>/<symbol with / as _>/<timeframe>.parquet``, ts as timestamp[ns, UTC]."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_of(self, venue: str, symbol: str, timeframe: str) -> Path:
        """Where a series lives."""
        parse_timeframe(timeframe)
        return self.root / venue / symbol.replace("/", "_") / f"{timeframe}.parquet"

    def write(self, venue: str, symbol: str, timeframe: str, bars: BarArrays) -> Path:
        """Replace a series; a crash never leaves a half-written file (tmp file + rename)."""
        if bars.timeframe_ns != parse_timeframe(timeframe):
            raise DataError(f"bars are {format_timeframe(bars.timeframe_ns)}, not {timeframe}")
        path = self.path_of(venue, symbol, timeframe)
        path.parent.mkdir(parents=True, exist_ok=True)
        frame = pd.DataFrame({"ts": pd.to_datetime(bars.ts_ns, utc=True)})
        for name in _COLUMNS:
            frame[name] = getattr(bars, name)
        tmp = path.with_suffix(".parquet.tmp")
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, path)
        return path

    def read(self, venue: str, symbol: str, timeframe: str,
             start_ns: int | None = None, end_ns: int | None = None) -> BarArrays:
        """A stored series, optionally ``start_ns <= ts < end_ns``."""
        path = self.path_of(venue, symbol, timeframe)
        if not path.exists():
            raise DataError(f"no stored bars for {venue} {symbol} {timeframe} (looked in {path})")
        frame = pd.read_parquet(path)
        ts = frame["ts"].dt.as_unit("ns").astype("int64").to_numpy()
        o, h, lo, c, v = (frame[name].to_numpy(dtype=np.float64) for name in _COLUMNS)
        bars = BarArrays(ts, o, h, lo, c, v, timeframe_ns=parse_timeframe(timeframe))
        return bars.between(start_ns, end_ns)

    def append(self, venue: str, symbol: str, timeframe: str, bars: BarArrays) -> Path:
        """Merge new bars in; overlapping bars must be identical (a conflict is a DataError)."""
        path = self.path_of(venue, symbol, timeframe)
        if not path.exists():
            return self.write(venue, symbol, timeframe, bars)
        old = self.read(venue, symbol, timeframe)
        common, i_old, i_new = np.intersect1d(old.ts_ns, bars.ts_ns, return_indices=True)
        for name in _COLUMNS:
            a, b = getattr(old, name)[i_old], getattr(bars, name)[i_new]
            if not np.array_equal(a, b):
                first = int(common[np.flatnonzero(a != b)[0]])
                raise DataError(f"{venue} {symbol} {timeframe}: new bars disagree with stored "
                                f"ones at ts={first} ({name})")
        keep = ~np.isin(bars.ts_ns, common)
        ts = np.concatenate([old.ts_ns, bars.ts_ns[keep]])
        order = np.argsort(ts, kind="stable")
        o, h, lo, c, v = (
            np.concatenate([getattr(old, n), getattr(bars, n)[keep]])[order] for n in _COLUMNS
        )
        merged = BarArrays(ts[order], o, h, lo, c, v, timeframe_ns=old.timeframe_ns)
        return self.write(venue, symbol, timeframe, merged)

    def list(self) -> list[StoredSeries]:
        """Every stored series."""
        return [
            StoredSeries(path.parent.parent.name, path.parent.name.replace("_", "/"), path.stem,
                         path)
            for path in sorted(self.root.glob("*/*/*.parquet"))
        ]

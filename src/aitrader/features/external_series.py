"""External time-indexed data (sentiment, alternative data) joined to bars without lookahead."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from aitrader.core.errors import DataError

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


class ExternalSeries:
    """Rows of values stamped with the UTC ns time they became known (strictly increasing)."""

    def __init__(self, ts_ns: I64, values: dict[str, F64], source: str = "<memory>") -> None:
        if len(ts_ns) and np.any(np.diff(ts_ns) <= 0):
            bad = int(np.argmax(np.diff(ts_ns) <= 0)) + 1
            raise DataError(f"{source}: timestamps must be strictly increasing, row {bad} is not")
        self.ts_ns = ts_ns
        self.values = values
        self.source = source

    @classmethod
    def from_file(cls, path: Path | str, ts_column: str = "ts") -> ExternalSeries:
        """CSV or parquet with a time column (ISO text or epoch seconds/ms/us/ns)."""
        p = Path(path)
        if not p.exists():
            raise DataError(f"external data file {p} does not exist")
        frame = pd.read_parquet(p) if p.suffix == ".parquet" else pd.read_csv(p)
        if ts_column not in frame.columns:
            raise DataError(f"{p}: no time column {ts_column!r} (columns: {list(frame.columns)})")
        raw = frame.pop(ts_column)
        if pd.api.types.is_numeric_dtype(raw):
            mag = float(np.nanmax(np.abs(raw.to_numpy(dtype=np.float64)))) if len(raw) else 0.0
            scale = next(s for lim, s in ((1e11, 10**9), (1e14, 10**6), (1e17, 10**3),
                                          (float("inf"), 1)) if mag < lim)
            ts = raw.to_numpy(dtype=np.int64) * scale
        else:
            ts = pd.to_datetime(raw, utc=True).astype("int64").to_numpy()
        values = {str(c): frame[c].to_numpy(dtype=np.float64) for c in frame.columns}
        return cls(np.asarray(ts, dtype=np.int64), values, str(p))

    def asof(self, at_ns: I64, lag_ns: int = 0) -> dict[str, F64]:
        """For each time in ``at_ns``: the latest row stamped <= t - lag_ns (NaN before any)."""
        idx = np.searchsorted(self.ts_ns, np.asarray(at_ns, dtype=np.int64) - lag_ns,
                              side="right") - 1
        out: dict[str, F64] = {}
        for name, col in self.values.items():
            vals = np.full(len(idx), np.nan)
            ok = idx >= 0
            vals[ok] = col[idx[ok]]
            out[f"ext_{name}"] = vals
        return out

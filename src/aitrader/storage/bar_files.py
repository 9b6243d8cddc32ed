"""Reading bar files (CSV, headerless Binance klines, parquet, feather) into validated bars.

Timestamps may be epoch s/ms/µs/ns (told apart by magnitude), ISO strings or datetimes; naive
times are taken as UTC. Column names are matched case-insensitively with common aliases.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from aitrader.core.errors import DataError
from aitrader.data.bar_arrays import BarArrays
from aitrader.data.timeframes import parse_timeframe
from aitrader.data.validation import ValidationReport, validate_bars

_ALIASES = {
    "ts": ("ts", "time", "timestamp", "date", "datetime", "open_time", "opentime", "date_time"),
    "open": ("open", "o", "open_price"),
    "high": ("high", "h", "high_price"),
    "low": ("low", "l", "low_price"),
    "close": ("close", "c", "close_price", "last"),
    "volume": ("volume", "v", "vol", "base_volume", "volume_base"),
}
_BINANCE_KLINE_COLUMNS = 12


@dataclass(frozen=True)
class LoadedBars:
    """Bars read from a file, with what validation found."""

    bars: BarArrays
    report: ValidationReport


def load_bars(
    path: Path | str, *, timeframe: str | None = None, repair: bool = False
) -> LoadedBars:
    """Read, normalise and validate bars from ``path`` (a file or a folder of parquet/CSV)."""
    p = Path(path)
    frame = _read_any(p)
    ts = _timestamps(frame["ts"], p)
    o, h, lo, c, v = (_numbers(frame[n], n, p) for n in ("open", "high", "low", "close", "volume"))
    tf_ns = parse_timeframe(timeframe) if timeframe else _infer_timeframe(ts, p)
    bars, report = validate_bars(ts, o, h, lo, c, v, timeframe_ns=tf_ns, repair=repair,
                                 source=str(p))
    return LoadedBars(bars, report)


def _read_any(p: Path) -> pd.DataFrame:
    if not p.exists():
        raise DataError(f"{p}: no such file or folder")
    if p.is_dir():
        files = sorted(f for f in p.iterdir() if f.suffix in (".parquet", ".csv", ".feather"))
        if not files:
            raise DataError(f"{p}: the folder holds no .parquet, .csv or .feather files")
        return pd.concat([_read_any(f) for f in files], ignore_index=True)
    name = p.name.lower()
    try:
        if name.endswith(".parquet"):
            raw = pd.read_parquet(p)
        elif name.endswith((".feather", ".arrow")):
            raw = pd.read_feather(p)
        else:
            raw = _read_csv(p)
    except DataError:
        raise
    except Exception as exc:  # pandas/pyarrow raise many kinds; all mean "unreadable"
        raise DataError(f"{p}: cannot read the file: {exc}") from None
    if raw.empty:
        raise DataError(f"{p}: the file holds no rows")
    return _normalise_columns(raw, p)


def _read_csv(p: Path) -> pd.DataFrame:
    text = _text_of(p)
    lines = [ln for ln in text.splitlines()[:5] if ln.strip()]
    if not lines:
        raise DataError(f"{p}: the file is empty")
    try:
        sep = csv.Sniffer().sniff(lines[0], delimiters=",;\t|").delimiter
    except csv.Error:
        sep = ","
    first = lines[0].split(sep)
    has_header = any(any(ch.isalpha() for ch in cell) and not _is_number(cell) for cell in first)
    if has_header and not all(_looks_like_time(cell) for cell in first[:1]):
        return pd.read_csv(io.StringIO(text), sep=sep)
    df = pd.read_csv(io.StringIO(text), sep=sep, header=None)
    if df.shape[1] == _BINANCE_KLINE_COLUMNS:  # Binance klines: open_time, o, h, l, c, v, ...
        return df.iloc[:, :6].set_axis(["ts", "open", "high", "low", "close", "volume"], axis=1)
    if df.shape[1] >= 6:
        return df.iloc[:, :6].set_axis(["ts", "open", "high", "low", "close", "volume"], axis=1)
    raise DataError(f"{p}: a file without a header needs at least 6 columns "
                    f"(time, open, high, low, close, volume), found {df.shape[1]}")


def _text_of(p: Path) -> str:
    data = p.read_bytes()
    if p.name.lower().endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [n for n in zf.namelist() if not n.endswith("/")]
            if len(members) != 1:
                raise DataError(f"{p}: a zip must hold exactly one file, holds {len(members)}")
            data = zf.read(members[0])
    elif p.name.lower().endswith(".gz"):
        import gzip

        data = gzip.decompress(data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"{p}: not a UTF-8 text file") from None


def _normalise_columns(raw: pd.DataFrame, p: Path) -> pd.DataFrame:
    if isinstance(raw.index, pd.DatetimeIndex) and not any(
        str(c).lower() in _ALIASES["ts"] for c in raw.columns
    ):
        raw = raw.reset_index(names="ts")
    lower = {str(c).strip().lower(): c for c in raw.columns}
    out = {}
    for name, aliases in _ALIASES.items():
        found = next((lower[a] for a in aliases if a in lower), None)
        if found is None:
            if name == "volume":
                out[name] = pd.Series(np.zeros(len(raw)))
                continue
            found_cols = ", ".join(map(str, raw.columns))
            raise DataError(f"{p}: missing column {name!r} (found: {found_cols})")
        out[name] = raw[found].reset_index(drop=True)
    return pd.DataFrame(out)


def _timestamps(col: pd.Series, p: Path) -> np.ndarray:
    if pd.api.types.is_datetime64_any_dtype(col):
        ser = col.dt.tz_convert("UTC") if col.dt.tz is not None else col.dt.tz_localize("UTC")
        return np.asarray(ser.dt.as_unit("ns").astype("int64").to_numpy(), dtype=np.int64)
    if pd.api.types.is_numeric_dtype(col):
        values = col.to_numpy(dtype=np.float64)
        if not np.isfinite(values).all():
            bad = int(np.flatnonzero(~np.isfinite(values))[0])
            raise DataError(f"{p}: row {bad}, column 'time': missing timestamp")
        scale = _epoch_scale(float(np.nanmedian(np.abs(values))))
        return (col.to_numpy(dtype=np.int64) * scale).astype(np.int64)
    text = col.astype(str).str.strip()
    if text.str.fullmatch(r"\d+").all():
        return _timestamps(text.astype(np.int64), p)
    parsed = pd.to_datetime(text, utc=True, errors="coerce", format="mixed")
    if parsed.isna().any():
        bad = int(np.flatnonzero(parsed.isna().to_numpy())[0])
        raise DataError(f"{p}: row {bad}, column 'time': {text.iloc[bad]!r} is not a date/time")
    return np.asarray(parsed.dt.as_unit("ns").astype("int64").to_numpy(), dtype=np.int64)


def _epoch_scale(magnitude: float) -> int:
    """Seconds, ms, µs or ns since 1970, told apart by size (dates 1973–2286)."""
    if magnitude < 1e11:
        return 1_000_000_000
    if magnitude < 1e14:
        return 1_000_000
    if magnitude < 1e17:
        return 1_000
    return 1


def _numbers(col: pd.Series, name: str, p: Path) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(col):
        return col.to_numpy(dtype=np.float64)
    num = pd.to_numeric(col, errors="coerce")
    bad = num.isna() & col.notna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(f"{p}: row {row}, column {name!r}: {col.iloc[row]!r} is not a number")
    return num.to_numpy(dtype=np.float64)


def _infer_timeframe(ts: np.ndarray, p: Path) -> int:
    if len(ts) < 2:
        raise DataError(f"{p}: cannot infer the timeframe from one bar; pass --timeframe")
    steps = np.diff(np.sort(ts))
    steps = steps[steps > 0]
    if len(steps) == 0:
        raise DataError(f"{p}: every bar has the same timestamp")
    values, counts = np.unique(steps, return_counts=True)
    return int(values[np.argmax(counts)])


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _looks_like_time(cell: str) -> bool:
    return bool(pd.to_datetime(cell, errors="coerce", utc=True) is not pd.NaT) and any(
        ch.isdigit() for ch in cell
    )

"""Checking bars before anyone trades on them: order, duplicates, gaps, NaNs, OHLC consistency.

Without ``repair`` any problem is a DataError naming the first bad row; with it, what is safe to
fix is fixed and every repair is reported. Gaps are reported, never filled silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from aitrader.core.errors import DataError
from aitrader.data.bar_arrays import BarArrays

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


def iso(ts_ns: int) -> str:
    """UTC ISO-8601 of a nanosecond timestamp."""
    return datetime.fromtimestamp(ts_ns / 1e9, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Gap:
    """Missing bars between two present ones."""

    after_ns: int
    before_ns: int
    missing_bars: int


@dataclass(frozen=True)
class ValidationReport:
    """What validation found and did."""

    rows_in: int
    rows_out: int
    repairs: list[str] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    misaligned: int = 0

    @property
    def missing_bars(self) -> int:
        """Total bars missing in gaps."""
        return sum(g.missing_bars for g in self.gaps)

    def summary(self) -> str:
        """One readable paragraph."""
        parts = [f"{self.rows_out} bars ({self.rows_in} read)"]
        if self.gaps:
            parts.append(f"{len(self.gaps)} gaps, {self.missing_bars} bars missing")
        if self.misaligned:
            parts.append(f"{self.misaligned} timestamps off the timeframe grid")
        parts.extend(self.repairs)
        return "; ".join(parts)


def validate_bars(
    ts: I64, o: F64, h: F64, lo: F64, c: F64, v: F64, timeframe_ns: int, *,
    repair: bool = False, source: str = "bars",
) -> tuple[BarArrays, ValidationReport]:
    """Validated columnar bars and a report (see module docstring)."""
    n_in = len(ts)
    if n_in == 0:
        raise DataError(f"{source}: no bars")
    repairs: list[str] = []
    cols = [np.asarray(x, dtype=np.float64) for x in (o, h, lo, c, v)]
    ts = np.asarray(ts, dtype=np.int64)

    def problem(mask: npt.NDArray[np.bool_], rule: str) -> None:
        nonlocal ts, cols
        count = int(mask.sum())
        if not count:
            return
        first = int(np.flatnonzero(mask)[0])
        if not repair:
            raise DataError(f"{source}: row {first} ({iso(int(ts[first]))}): {rule} "
                            f"({count} rows in all)")
        keep = ~mask
        ts, cols = ts[keep], [x[keep] for x in cols]
        repairs.append(f"dropped {count} rows: {rule}")

    problem(np.asarray(~np.isfinite(np.vstack(cols)).all(axis=0)), "NaN or infinite value")
    problem(np.asarray((np.vstack(cols[:4]) <= 0).any(axis=0)), "price <= 0")
    problem(cols[4] < 0, "negative volume")
    if len(ts) and np.any(np.diff(ts) < 0):
        first = int(np.flatnonzero(np.diff(ts) < 0)[0]) + 1
        if not repair:
            raise DataError(f"{source}: row {first} ({iso(int(ts[first]))}): timestamps go "
                            f"backwards (after {iso(int(ts[first - 1]))})")
        order = np.argsort(ts, kind="stable")
        ts, cols = ts[order], [x[order] for x in cols]
        repairs.append("sorted rows by time")
    dup = np.zeros(len(ts), dtype=np.bool_)
    dup[1:] = ts[1:] == ts[:-1]
    if dup.any():
        idx = np.flatnonzero(dup)
        same = np.all([x[idx] == x[idx - 1] for x in cols], axis=0)
        if not same.all():
            bad = int(idx[~same][0])
            raise DataError(f"{source}: row {bad} ({iso(int(ts[bad]))}): two different bars "
                            f"share one timestamp")
        problem(dup, "duplicate timestamp")
    o2, h2, l2, c2, _ = cols
    problem(h2 < l2, "high < low")
    top, bottom = np.maximum(o2, c2), np.minimum(o2, c2)
    inconsistent = (h2 < top) | (l2 > bottom)
    if inconsistent.any():
        if not repair:
            first = int(np.flatnonzero(inconsistent)[0])
            raise DataError(f"{source}: row {first} ({iso(int(ts[first]))}): high/low do not "
                            f"contain open/close ({int(inconsistent.sum())} rows in all)")
        cols[1], cols[2] = np.maximum(h2, top), np.minimum(l2, bottom)
        repairs.append(f"widened high/low to contain open/close on {int(inconsistent.sum())} rows")
    if len(ts) == 0:
        raise DataError(f"{source}: no valid bars left after repairs")
    bars = BarArrays(ts, cols[0], cols[1], cols[2], cols[3], cols[4], timeframe_ns=timeframe_ns)
    return bars, ValidationReport(n_in, len(ts), repairs, find_gaps(bars),
                                  int(np.count_nonzero(ts % timeframe_ns)))


def find_gaps(bars: BarArrays) -> list[Gap]:
    """Places where consecutive bars are more than one timeframe apart."""
    step = np.diff(bars.ts_ns)
    where = np.flatnonzero(step > bars.timeframe_ns)
    return [Gap(int(bars.ts_ns[i]), int(bars.ts_ns[i + 1]),
                int(step[i] // bars.timeframe_ns) - 1) for i in where]

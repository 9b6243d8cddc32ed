"""Columnar OHLCV bars: the shape market data has between loading and replay."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import repeat

import numpy as np
import numpy.typing as npt

from aitrader.core.errors import DataError
from aitrader.core.ids import InstrumentId
from aitrader.core.market_data import Bar

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class BarArrays:
    """Bars as numpy columns; ``ts_ns`` is each bar's open time in UTC ns, strictly increasing."""

    ts_ns: I64
    open: F64
    high: F64
    low: F64
    close: F64
    volume: F64
    timeframe_ns: int

    def __post_init__(self) -> None:
        n = len(self.ts_ns)
        for name in ("open", "high", "low", "close", "volume"):
            if len(getattr(self, name)) != n:
                raise DataError(f"column {name} has {len(getattr(self, name))} rows, ts has {n}")
        if self.timeframe_ns <= 0:
            raise DataError(f"timeframe_ns must be > 0, was {self.timeframe_ns}")

    def __len__(self) -> int:
        return len(self.ts_ns)

    def slice(self, start: int, stop: int) -> BarArrays:
        """Rows ``start:stop`` (views, no copy)."""
        return BarArrays(
            self.ts_ns[start:stop], self.open[start:stop], self.high[start:stop],
            self.low[start:stop], self.close[start:stop], self.volume[start:stop],
            self.timeframe_ns,
        )

    def between(self, start_ns: int | None, end_ns: int | None) -> BarArrays:
        """Bars with ``start_ns <= ts < end_ns`` (either bound may be None)."""
        lo = 0 if start_ns is None else int(np.searchsorted(self.ts_ns, start_ns, side="left"))
        hi = len(self) if end_ns is None else int(np.searchsorted(self.ts_ns, end_ns, side="left"))
        return self.slice(lo, hi)

    def iter_bars(self, instrument_id: InstrumentId) -> Iterator[Bar]:
        """Yield Bar values in time order; ``ts_init`` is the bar's close time."""
        tf = self.timeframe_ns
        opens = self.ts_ns.tolist()
        # map() calls the (C) struct constructor without a Python frame per bar
        return map(
            Bar, repeat(instrument_id, len(opens)), opens, [ts + tf for ts in opens],
            self.open.tolist(), self.high.tolist(), self.low.tolist(), self.close.tolist(),
            self.volume.tolist(),
        )

"""Resampling bars to a higher timeframe on UTC epoch boundaries (1d bars start at 00:00 UTC)."""

from __future__ import annotations

import numpy as np

from aitrader.core.errors import DataError
from aitrader.data.bar_arrays import BarArrays


def resample(bars: BarArrays, timeframe_ns: int, include_partial: bool = False) -> BarArrays:
    """OHLCV of each bucket; a last bucket not yet complete is dropped unless asked for."""
    if timeframe_ns % bars.timeframe_ns:
        raise DataError(
            f"target timeframe must be a multiple of the source's {bars.timeframe_ns} ns, "
            f"was {timeframe_ns} ns"
        )
    if len(bars) == 0:
        return bars
    bucket = bars.ts_ns - bars.ts_ns % timeframe_ns
    starts = np.flatnonzero(np.r_[True, bucket[1:] != bucket[:-1]])
    ends = np.r_[starts[1:], len(bucket)] - 1
    out = BarArrays(
        bucket[starts],
        bars.open[starts],
        np.maximum.reduceat(bars.high, starts),
        np.minimum.reduceat(bars.low, starts),
        bars.close[ends],
        np.add.reduceat(bars.volume, starts),
        timeframe_ns,
    )
    last_complete = bars.ts_ns[-1] + bars.timeframe_ns >= out.ts_ns[-1] + timeframe_ns
    if not include_partial and not last_complete:
        return out.slice(0, len(out) - 1)
    return out

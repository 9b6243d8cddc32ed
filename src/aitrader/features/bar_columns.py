"""Bar columns: the input of a FeatureSet, built from BarArrays plus optional extra columns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from aitrader.core.errors import DataError
from aitrader.data.bar_arrays import BarArrays

Columns = dict[str, npt.NDArray[Any]]


def bar_columns(bars: BarArrays, extra: Mapping[str, npt.NDArray[Any]] | None = None) -> Columns:
    """``ts_ns close_ts_ns open high low close volume`` plus ``extra`` (same length each)."""
    cols: Columns = {
        "ts_ns": bars.ts_ns, "close_ts_ns": bars.ts_ns + bars.timeframe_ns,
        "open": bars.open, "high": bars.high, "low": bars.low, "close": bars.close,
        "volume": bars.volume,
    }
    for name, values in (extra or {}).items():
        if len(values) != len(bars):
            raise DataError(f"extra column {name} has {len(values)} rows, bars have {len(bars)}")
        cols[name] = np.asarray(values)
    return cols

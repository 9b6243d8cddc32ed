"""Indicators usable as features, by name: the one place to add the indicator library's kernels."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import numpy.typing as npt

from aitrader.features import kernels
from aitrader.indicators.sma import sma

F64 = npt.NDArray[np.float64]
Columns = Mapping[str, F64]
IndicatorFn = Callable[[Columns, int], F64]


def _sma_ratio(cols: Columns, period: int) -> F64:
    close = cols["close"]
    return kernels.safe_ratio(close, sma(close, period)) - 1.0


def _rsi(cols: Columns, period: int) -> F64:
    return kernels.rsi(cols["close"], period)


def _volume_z(cols: Columns, period: int) -> F64:
    return kernels.zscore(cols["volume"], period)


INDICATORS: Mapping[str, tuple[IndicatorFn, Callable[[int], int]]] = {
    # name: (function(columns, period), bars needed before the first value for that period)
    "sma_ratio": (_sma_ratio, lambda p: p),
    "rsi": (_rsi, lambda p: p + 1),
    "volume_z": (_volume_z, lambda p: p),
}
"""Add an entry per indicator; the FeatureSet picks it up by ``IndicatorSpec.name``."""

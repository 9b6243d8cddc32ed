"""Indicators usable as features, by name: the one place to add the indicator library's kernels."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import numpy.typing as npt

from aitrader.features import row_kernels

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Columns = Mapping[str, F64]
IndicatorFn = Callable[[Columns, I64], F64]
"""(columns, periods) → matrix with one column per period."""


def _f64(x: F64) -> F64:
    return np.ascontiguousarray(x, dtype=np.float64)


def per_period(kernel: Callable[[F64, int], F64], column: str = "close") -> IndicatorFn:
    """Adapt a 1-D batch kernel ``kernel(values, period)`` from ``aitrader.indicators`` to the
    hook's matrix form, e.g. ``"sma": (per_period(sma), lambda p: p, "close")``.

    The live window gives the batch value only if the kernel's value at a bar depends on the
    last ``warmup(p)`` bars alone; recursive indicators (EMA, Wilder RSI) need a warm-up long
    enough for their memory to fade, and the lookahead/live-parity tests will say if not.
    """

    def matrix(cols: Columns, periods: I64) -> F64:
        values = _f64(cols[column])
        return np.column_stack([kernel(values, int(p)) for p in periods])

    return matrix


def _sma_ratio(cols: Columns, periods: I64) -> F64:
    out: F64 = row_kernels.sma_ratio_matrix(_f64(cols["close"]), periods)
    return out


def _rsi(cols: Columns, periods: I64) -> F64:
    out: F64 = row_kernels.rsi_matrix(_f64(cols["close"]), periods)
    return out


def _volume_z(cols: Columns, periods: I64) -> F64:
    out: F64 = row_kernels.zscore_matrix(_f64(cols["volume"]), periods)
    return out


INDICATORS: Mapping[str, tuple[IndicatorFn, Callable[[int], int], str]] = {
    # name: (function(columns, periods), bars needed for period p, input column)
    "sma_ratio": (_sma_ratio, lambda p: p, "close"),
    "rsi": (_rsi, lambda p: p + 1, "close"),
    "volume_z": (_volume_z, lambda p: p, "volume"),
}
"""Add an entry per indicator; the FeatureSet picks it up by ``IndicatorSpec.name``."""

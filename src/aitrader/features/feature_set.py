"""FeatureSet: turns bar columns into the model's feature matrix, in training and live alike."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from aitrader.core.errors import DataError
from aitrader.features import kernels, row_kernels
from aitrader.features.indicator_hook import INDICATORS
from aitrader.features.spec import (
    BarShapeSpec,
    CalendarSpec,
    CustomSpec,
    ExternalSpec,
    FeatureSetSpec,
    IndicatorSpec,
    MicrostructureSpec,
    ReturnsSpec,
    VolatilitySpec,
)

F64 = npt.NDArray[np.float64]
Columns = Mapping[str, npt.NDArray[Any]]
CustomFeature = Callable[[Columns], F64]
_Group = tuple[list[str], int, set[str], Callable[[Columns], F64 | list[F64]]]

MICRO_COLUMNS = ("bid_px", "ask_px", "bid_sz", "ask_sz", "buy_volume", "sell_volume")


class FeatureSet:
    """Compiled feature set. ``compute`` gives one row per bar, each from that bar and earlier
    ones only; ``latest`` computes just the last row from the last ``warmup`` bars (live)."""

    def __init__(self, spec: FeatureSetSpec, custom: Mapping[str, CustomFeature] | None = None):
        self.spec = spec
        self._custom = dict(custom or {})
        self._groups = [self._compile(s) for s in spec.features]
        self.names: list[str] = [n for g in self._groups for n in g[0]]
        if len(set(self.names)) != len(self.names):
            dup = sorted({n for n in self.names if self.names.count(n) > 1})
            raise DataError(f"feature set {spec.name}: feature names must be unique, got {dup}")
        self.warmup: int = max(g[1] for g in self._groups)
        self.required_columns: set[str] = set().union(*(g[2] for g in self._groups))

    def compute(self, cols: Columns) -> F64:
        """Feature matrix of shape (rows, len(names)); NaN where a window is not yet full."""
        missing = sorted(c for c in self.required_columns if c not in cols)
        if missing:
            raise DataError(f"feature set {self.spec.name} needs columns {missing}, "
                            f"got {sorted(cols)}")
        n = len(cols["close"])
        out = np.empty((n, len(self.names)))
        j = 0
        for names, _warm, _req, fn in self._groups:
            block = fn(cols)
            if isinstance(block, np.ndarray) and block.ndim == 2:
                out[:, j:j + len(names)] = block
            else:
                for k, column in enumerate(block):
                    out[:, j + k] = column
            j += len(names)
        return out

    def compute_frame(self, cols: Columns) -> pd.DataFrame:
        """``compute`` as a DataFrame with the feature names as columns."""
        return pd.DataFrame(self.compute(cols), columns=self.names)

    def latest(self, cols: Columns) -> F64:
        """The last row only: each group sees just its own trailing ``warmup`` rows, through
        the same kernels as ``compute`` (so the values are identical)."""
        n = len(cols["close"])
        row = np.empty(len(self.names))
        j = 0
        for names, warm, req, fn in self._groups:
            start = max(0, n - warm)
            block = fn({k: cols[k][start:] for k in (req or cols)})
            if isinstance(block, np.ndarray) and block.ndim == 2:
                row[j:j + len(names)] = block[-1]
            else:
                for k, column in enumerate(block):
                    row[j + k] = column[-1]
            j += len(names)
        return row

    # --- compilation ------------------------------------------------------------------------
    def _compile(self, s: object) -> _Group:
        if isinstance(s, ReturnsSpec):
            hs = np.asarray(s.horizons, dtype=np.int64)
            return ([f"ret_{h}" for h in hs], int(hs.max()) + 1, {"close"},
                    lambda c: row_kernels.log_return_matrix(_f64(c["close"]), hs))
        if isinstance(s, VolatilitySpec):
            ws = np.asarray(s.windows, dtype=np.int64)
            return ([f"vol_{w}" for w in ws], int(ws.max()) + 1, {"close"},
                    lambda c: row_kernels.realized_vol_matrix(_f64(c["close"]), ws))
        if isinstance(s, IndicatorSpec):
            return self._indicator(s)
        if isinstance(s, BarShapeSpec):
            return (["hl_range", "body"], 1, {"open", "high", "low", "close"}, _bar_shape)
        if isinstance(s, CalendarSpec):
            return self._calendar(s)
        if isinstance(s, MicrostructureSpec):
            w = s.flow_window
            return (["book_imbalance", "spread_bps", "microprice_dev", "trade_flow_imbalance"],
                    w, set(MICRO_COLUMNS), lambda c: _microstructure(c, w))
        if isinstance(s, ExternalSpec):
            names = [f"ext_{c}" for c in s.columns]
            return (names, 1, set(names),
                    lambda c: [np.asarray(c[n], dtype=np.float64) for n in names])
        if isinstance(s, CustomSpec):
            fn = self._custom.get(s.name)
            if fn is None:
                raise DataError(f"custom feature {s.name!r} is not registered "
                                f"(registered: {sorted(self._custom) or 'none'})")
            return ([s.name], s.warmup, set(), lambda c: [fn(c)])  # set(): sees all columns
        raise DataError(f"unknown feature spec {s!r}")  # pragma: no cover - union is closed

    def _indicator(self, s: IndicatorSpec) -> _Group:
        entry = INDICATORS.get(s.name)
        if entry is None:
            raise DataError(f"unknown indicator {s.name!r} (known: {sorted(INDICATORS)})")
        fn, warm, column = entry
        ps = np.asarray(s.periods, dtype=np.int64)
        return ([f"{s.name}_{p}" for p in ps], max(warm(int(p)) for p in ps), {column},
                lambda c: fn(c, ps))

    @staticmethod
    def _calendar(s: CalendarSpec) -> _Group:
        names = (["hour_sin", "hour_cos"] if s.hour else []) + (
            ["dow_sin", "dow_cos"] if s.weekday else [])
        if not names:
            raise DataError("calendar features: at least one of hour/weekday must be true")

        def calc(c: Columns) -> F64:
            ts = np.ascontiguousarray(c["close_ts_ns"], dtype=np.int64)
            out: F64 = row_kernels.calendar_matrix(ts, s.hour, s.weekday)
            return out

        return names, 1, {"close_ts_ns"}, calc


def _f64(x: npt.NDArray[Any]) -> F64:
    return np.ascontiguousarray(x, dtype=np.float64)


def _bar_shape(c: Columns) -> F64:
    out: F64 = row_kernels.bar_shape_matrix(_f64(c["open"]), _f64(c["high"]), _f64(c["low"]),
                                            _f64(c["close"]))
    return out


def _microstructure(c: Columns, window: int) -> list[F64]:
    bid, ask, bsz, asz = (np.asarray(c[k], dtype=np.float64) for k in MICRO_COLUMNS[:4])
    mid = (bid + ask) / 2
    depth = bsz + asz
    micro = kernels.safe_ratio(bid * asz + ask * bsz, depth)
    buy = np.asarray(c["buy_volume"], dtype=np.float64)
    sell = np.asarray(c["sell_volume"], dtype=np.float64)
    flow = kernels.safe_ratio(kernels.rolling_sum(buy - sell, window),
                              kernels.rolling_sum(buy + sell, window))
    return [kernels.safe_ratio(bsz - asz, depth), kernels.safe_ratio(ask - bid, mid) * 1e4,
            kernels.safe_ratio(micro - mid, mid) * 1e4, np.nan_to_num(flow, nan=0.0)]

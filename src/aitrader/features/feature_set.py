"""FeatureSet: turns bar columns into the model's feature matrix, in training and live alike."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from aitrader.core.errors import DataError
from aitrader.features import kernels
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
_Group = tuple[list[str], int, set[str], Callable[[Columns], list[F64]]]

MICRO_COLUMNS = ("bid_px", "ask_px", "bid_sz", "ask_sz", "buy_volume", "sell_volume")
_HOUR_NS = 3_600_000_000_000
_DAY_NS = 24 * _HOUR_NS


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
        for _names, _warm, _req, fn in self._groups:
            for column in fn(cols):
                out[:, j] = column
                j += 1
        return out

    def compute_frame(self, cols: Columns) -> pd.DataFrame:
        """``compute`` as a DataFrame with the feature names as columns."""
        return pd.DataFrame(self.compute(cols), columns=self.names)

    def latest(self, cols: Columns) -> F64:
        """The last row only, from the trailing ``warmup`` rows (same values as ``compute``)."""
        n = len(cols["close"])
        start = max(0, n - self.warmup)
        tail = {k: v[start:] for k, v in cols.items()}
        row: F64 = self.compute(tail)[-1]
        return row

    # --- compilation ------------------------------------------------------------------------
    def _compile(self, s: object) -> _Group:
        if isinstance(s, ReturnsSpec):
            hs = list(s.horizons)
            return ([f"ret_{h}" for h in hs], max(hs) + 1, {"close"},
                    lambda c: [kernels.log_return(c["close"], h) for h in hs])
        if isinstance(s, VolatilitySpec):
            ws = list(s.windows)
            return ([f"vol_{w}" for w in ws], max(ws) + 1, {"close"},
                    lambda c: [kernels.realized_vol(c["close"], w) for w in ws])
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
            return ([s.name], s.warmup, {"close"}, lambda c: [fn(c)])
        raise DataError(f"unknown feature spec {s!r}")  # pragma: no cover - union is closed

    def _indicator(self, s: IndicatorSpec) -> _Group:
        entry = INDICATORS.get(s.name)
        if entry is None:
            raise DataError(f"unknown indicator {s.name!r} (known: {sorted(INDICATORS)})")
        fn, warm = entry
        ps = list(s.periods)
        need = {"volume"} if s.name == "volume_z" else {"close"}
        return ([f"{s.name}_{p}" for p in ps], max(warm(p) for p in ps), need,
                lambda c: [fn(c, p) for p in ps])

    @staticmethod
    def _calendar(s: CalendarSpec) -> _Group:
        names = (["hour_sin", "hour_cos"] if s.hour else []) + (
            ["dow_sin", "dow_cos"] if s.weekday else [])
        if not names:
            raise DataError("calendar features: at least one of hour/weekday must be true")

        def calc(c: Columns) -> list[F64]:
            ts = np.asarray(c["close_ts_ns"], dtype=np.int64)
            out: list[F64] = []
            if s.hour:
                angle = 2 * np.pi * ((ts % _DAY_NS) / _DAY_NS)
                out += [np.sin(angle), np.cos(angle)]
            if s.weekday:
                dow = ((ts // _DAY_NS) + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
                angle = 2 * np.pi * dow / 7
                out += [np.sin(angle), np.cos(angle)]
            return out

        return names, 1, {"close_ts_ns"}, calc


def _bar_shape(c: Columns) -> list[F64]:
    return [kernels.safe_ratio(c["high"] - c["low"], c["close"]),
            kernels.safe_ratio(c["close"], c["open"]) - 1.0]


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

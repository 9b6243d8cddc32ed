"""The live side of a FeatureSet: a bounded buffer of closed bars and the latest feature row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from aitrader.core.errors import DataError
from aitrader.features.feature_set import FeatureSet

F64 = npt.NDArray[np.float64]
_BASE = ("open", "high", "low", "close", "volume")


class LiveFeatureWindow:
    """Keeps the last ``feature_set.warmup`` closed bars; ``latest()`` equals the batch row.

    Only closed bars enter (``push`` is called from ``on_bar``), so a live decision sees exactly
    what the training rows saw.
    """

    def __init__(self, feature_set: FeatureSet, extra_columns: Sequence[str] = ()) -> None:
        self.feature_set = feature_set
        self._size = feature_set.warmup
        self._cap = max(2 * self._size, 64)
        self._extra = [c for c in extra_columns if c not in _BASE]
        self._buf: dict[str, npt.NDArray[np.generic]] = {
            name: np.full(self._cap, np.nan) for name in (*_BASE, *self._extra)
        }
        self._buf["close_ts_ns"] = np.zeros(self._cap, dtype=np.int64)
        self._end = 0
        self.count = 0

    @property
    def ready(self) -> bool:
        """True once ``warmup`` bars have been pushed."""
        return self.count >= self._size

    def push(self, close_ts_ns: int, open_: float, high: float, low: float, close: float,
             volume: float, extra: Mapping[str, float] | None = None) -> None:
        """Append one closed bar (and its extra columns, e.g. microstructure or external)."""
        if self._end == self._cap:  # slide the tail to the front; amortised O(1)
            keep = self._size - 1
            for col in self._buf.values():
                col[:keep] = col[self._cap - keep:]
            self._end = keep
        i = self._end
        b = self._buf
        b["close_ts_ns"][i] = close_ts_ns
        b["open"][i], b["high"][i], b["low"][i] = open_, high, low
        b["close"][i], b["volume"][i] = close, volume
        if self._extra:
            if extra is None:
                raise DataError(f"this feature set needs extra columns {self._extra}, got none")
            for name in self._extra:
                b[name][i] = extra[name]
        self._end = i + 1
        self.count += 1

    def latest(self) -> F64 | None:
        """The feature row of the last pushed bar, or None during warm-up."""
        if not self.ready:
            return None
        lo = self._end - self._size
        tail = {k: v[lo:self._end] for k, v in self._buf.items()}
        return self.feature_set.latest(tail)

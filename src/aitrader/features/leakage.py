"""Lookahead check: a feature that changes when future bars are removed has seen the future.

For a sample of cut points ``k``, the features are recomputed on bars ``0..k`` only and row
``k`` is compared with the row computed on all bars. Any difference means the value at ``k``
used bars after ``k``: such a feature would look perfect in a backtest and fail live.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from aitrader.core.errors import DataError
from aitrader.features.feature_set import FeatureSet


class LeakageError(DataError):
    """A feature used bars after the one it describes."""


@dataclass(frozen=True)
class LeakageReport:
    """Which features leaked, and where the check looked."""

    leaking: list[str]
    cut_points: list[int]

    @property
    def ok(self) -> bool:
        """True when no feature leaked."""
        return not self.leaking


def check_lookahead(feature_set: FeatureSet, cols: Mapping[str, npt.NDArray[Any]],
                    n_cuts: int = 8, seed: int = 0, atol: float = 1e-12) -> LeakageReport:
    """Recompute on truncated data at ``n_cuts`` points and compare with the full computation."""
    n = len(cols["close"])
    lo = feature_set.warmup
    if n - lo < 2:
        raise DataError(f"leakage check needs more than {lo + 1} bars, got {n}")
    full = feature_set.compute(cols)
    rng = np.random.default_rng(seed)
    cuts = sorted({int(k) for k in rng.integers(lo, n - 1, size=n_cuts)})
    leaking: set[str] = set()
    for k in cuts:
        part = feature_set.compute({c: v[: k + 1] for c, v in cols.items()})[-1]
        same = np.isclose(part, full[k], rtol=0, atol=atol, equal_nan=True)
        leaking.update(name for name, ok in zip(feature_set.names, same, strict=True) if not ok)
    return LeakageReport(sorted(leaking, key=feature_set.names.index), cuts)


def require_no_lookahead(feature_set: FeatureSet, cols: Mapping[str, npt.NDArray[Any]],
                         n_cuts: int = 8) -> LeakageReport:
    """``check_lookahead``, raising LeakageError naming every leaking feature."""
    report = check_lookahead(feature_set, cols, n_cuts)
    if not report.ok:
        raise LeakageError(
            f"lookahead: features {report.leaking} change when bars after the row are removed "
            f"(checked at rows {report.cut_points}); a feature may use only its bar and earlier")
    return report

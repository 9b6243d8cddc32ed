"""Cross-validation splits without overlap leakage: purged + embargoed k-fold and walk-forward.

Rows are samples in time order; ``start_idx[i]``..``end_idx[i]`` is the bar span sample ``i``'s
features and label depend on. A training row is *purged* when that span overlaps the test
rows' span, and *embargoed* when it starts within ``embargo_bars`` after the test span ends
(serial correlation reaches past the label window).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from aitrader.core.errors import DataError

I64 = npt.NDArray[np.int64]


class SplitSpec(BaseModel):
    """How to cross-validate."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    method: Literal["walk_forward", "purged_kfold"] = "walk_forward"
    n_splits: int = Field(5, ge=2, le=100)
    embargo_bars: int = Field(0, ge=0, description="bars dropped after each test block")
    min_train_fraction: float = Field(0.3, gt=0, lt=1, description="walk-forward first train")
    max_train_rows: int | None = Field(None, ge=10, description="walk-forward rolling window")


@dataclass(frozen=True)
class Fold:
    """Positions (into the sample arrays) of one fold's training and test rows."""

    train: I64
    test: I64


def _purge(start: I64, end: I64, test: I64, embargo: int, candidates: I64) -> I64:
    t0 = start[test].min()
    t1 = end[test].max()
    s, e = start[candidates], end[candidates]
    overlap = (s <= t1) & (e >= t0)
    embargoed = (s > t1) & (s <= t1 + embargo)
    kept: I64 = candidates[~overlap & ~embargoed]
    return kept


def _check(start: I64, end: I64, n_splits: int) -> None:
    if len(start) != len(end):
        raise DataError(f"start_idx has {len(start)} rows, end_idx has {len(end)}")
    if len(start) < 2 * n_splits:
        raise DataError(f"need at least {2 * n_splits} samples for {n_splits} splits, "
                        f"got {len(start)}")
    if np.any(np.diff(start) < 0):
        raise DataError("samples must be in time order (start_idx non-decreasing)")
    if np.any(end < start):
        raise DataError("end_idx must be >= start_idx for every sample")


def purged_kfold(start: I64, end: I64, n_splits: int, embargo_bars: int = 0) -> list[Fold]:
    """Contiguous test blocks; training rows on both sides, purged and embargoed."""
    _check(start, end, n_splits)
    positions = np.arange(len(start))
    folds = []
    for test in np.array_split(positions, n_splits):
        others = np.setdiff1d(positions, test, assume_unique=True)
        folds.append(Fold(_purge(start, end, test, embargo_bars, others), test))
    return folds


def walk_forward(start: I64, end: I64, n_splits: int, min_train_fraction: float = 0.3,
                 max_train_rows: int | None = None, embargo_bars: int = 0) -> list[Fold]:
    """Train on the past only (expanding, or rolling with ``max_train_rows``), test on the next
    block; training rows whose labels reach into the test block are purged."""
    _check(start, end, n_splits)
    n = len(start)
    first = int(n * min_train_fraction)
    bounds = np.linspace(first, n, n_splits + 1).astype(np.int64)
    folds = []
    for lo, hi in itertools.pairwise(bounds):
        test = np.arange(lo, hi)
        past = np.arange(0 if max_train_rows is None else max(0, lo - max_train_rows), lo)
        train = _purge(start, end, test, embargo_bars, past)
        if len(train) == 0 or len(test) == 0:
            raise DataError(f"walk-forward fold at rows {lo}..{hi} has no training rows left "
                            "after purging; use fewer splits or a shorter horizon")
        folds.append(Fold(train, test))
    return folds


def make_folds(spec: SplitSpec, start: I64, end: I64) -> list[Fold]:
    """The folds a SplitSpec describes."""
    if spec.method == "purged_kfold":
        return purged_kfold(start, end, spec.n_splits, spec.embargo_bars)
    return walk_forward(start, end, spec.n_splits, spec.min_train_fraction, spec.max_train_rows,
                        spec.embargo_bars)


def assert_no_overlap(fold: Fold, start: I64, end: I64) -> None:
    """DataError if any training row's span overlaps the test span (a self-check)."""
    t0, t1 = start[fold.test].min(), end[fold.test].max()
    s, e = start[fold.train], end[fold.train]
    bad = (s <= t1) & (e >= t0)
    if np.any(bad):
        raise DataError(f"{int(bad.sum())} training rows overlap the test span {t0}..{t1}")

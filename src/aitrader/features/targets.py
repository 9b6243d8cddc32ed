"""Targets: what a model learns to predict, each with the index where its label is known.

``end_idx[t]`` is the last bar a label looks at; purged CV drops training rows whose window
overlaps the test rows. Labels near the end that would need unseen bars are NaN.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from aitrader.features import kernels

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


class TargetSpec(BaseModel):
    """Which target to build; ``direction`` and ``triple_barrier`` give classes {0, 1}
    (down/up; triple-barrier vertical exits fall to the sign of the return at the horizon)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: Literal["direction", "triple_barrier", "future_vol", "regime"] = "direction"
    horizon: int = Field(5, ge=1, le=10_000, description="bars ahead")
    threshold: float = Field(0.0, ge=0, description="direction: |return| below it is dropped")
    barrier_mult: float = Field(1.0, gt=0, description="triple barrier: width in trailing vols")
    vol_window: int = Field(20, ge=2, description="trailing volatility window (bars)")
    n_regimes: int = Field(3, ge=2, le=10, description="regime: number of clusters")


@dataclass(frozen=True)
class Target:
    """Labels (NaN = unknown/dropped) and the last bar index each label depends on."""

    labels: F64
    end_idx: I64
    classes: tuple[int, ...]


def direction(close: F64, horizon: int, threshold: float = 0.0) -> Target:
    """1 if log(close[t+h]/close[t]) > threshold, 0 if < -threshold, NaN otherwise/unknown."""
    n = len(close)
    fwd = np.full(n, np.nan)
    fwd[: n - horizon] = np.log(close[horizon:] / close[: n - horizon])
    labels = np.where(fwd > threshold, 1.0, np.where(fwd < -threshold, 0.0, np.nan))
    return Target(labels, np.minimum(np.arange(n) + horizon, n - 1), (0, 1))


def triple_barrier(close: F64, high: F64, low: F64, horizon: int, mult: float,
                   vol_window: int) -> Target:
    """Upper/lower barriers at close*(1 ± mult*vol); the first touched within ``horizon`` bars
    decides (both in one bar counts as the lower: the conservative reading); untouched labels
    take the sign of the return at the horizon."""
    n = len(close)
    vol = kernels.realized_vol(close, vol_window)
    labels = np.full(n, np.nan)
    end = np.minimum(np.arange(n) + horizon, n - 1)
    for t in range(n - horizon):
        if not np.isfinite(vol[t]) or vol[t] <= 0:
            continue
        up = close[t] * (1 + mult * vol[t])
        dn = close[t] * (1 - mult * vol[t])
        hi = high[t + 1: t + horizon + 1]
        lo = low[t + 1: t + horizon + 1]
        hit_dn = np.flatnonzero(lo <= dn)
        hit_up = np.flatnonzero(hi >= up)
        first_dn = hit_dn[0] if len(hit_dn) else horizon
        first_up = hit_up[0] if len(hit_up) else horizon
        if first_dn == horizon and first_up == horizon:
            labels[t] = 1.0 if close[t + horizon] > close[t] else 0.0
        elif first_dn <= first_up:
            labels[t], end[t] = 0.0, t + 1 + first_dn
        else:
            labels[t], end[t] = 1.0, t + 1 + first_up
    return Target(labels, end.astype(np.int64), (0, 1))


def future_vol(close: F64, horizon: int, vol_window: int) -> Target:
    """1 if realized vol over the next ``horizon`` bars exceeds the trailing ``vol_window`` vol."""
    n = len(close)
    trailing = kernels.realized_vol(close, vol_window)
    ahead = np.full(n, np.nan)
    r1 = kernels.log_return(close, 1)
    if n > horizon:
        fut = kernels.rolling_std(r1, horizon)  # std of r[t-h+1..t]; shift back by h
        ahead[: n - horizon] = fut[horizon:]
    labels = np.where(np.isnan(ahead) | np.isnan(trailing), np.nan,
                      (ahead > trailing).astype(np.float64))
    return Target(labels, np.minimum(np.arange(n) + horizon, n - 1), (0, 1))


def build_target(spec: TargetSpec, close: F64, high: F64, low: F64) -> Target:
    """The target a spec names."""
    if spec.kind == "direction":
        return direction(close, spec.horizon, spec.threshold)
    if spec.kind == "triple_barrier":
        return triple_barrier(close, high, low, spec.horizon, spec.barrier_mult, spec.vol_window)
    if spec.kind == "future_vol":
        return future_vol(close, spec.horizon, spec.vol_window)
    from aitrader.features.regime import regime  # regime imports this module

    return regime(close, spec.horizon, spec.n_regimes)

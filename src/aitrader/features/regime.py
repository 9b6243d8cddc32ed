"""Market regime labels: k-means on (forward return, forward volatility) windows, pure numpy.

Clusters are ordered by mean forward return, so label 0 is the most bearish regime and
``k - 1`` the most bullish, whatever the random start. Seeded: the same data gives the same
labels.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from aitrader.features import kernels
from aitrader.features.targets import Target

F64 = npt.NDArray[np.float64]


def kmeans(points: F64, k: int, seed: int = 0, iterations: int = 50) -> tuple[F64, F64]:
    """Lloyd's k-means on standardised points; returns (labels, centres in input units)."""
    mean, std = points.mean(axis=0), points.std(axis=0)
    std[std == 0] = 1.0
    z = (points - mean) / std
    rng = np.random.default_rng(seed)
    centres = z[rng.choice(len(z), size=k, replace=False)]
    labels = np.zeros(len(z), dtype=np.int64)
    for _ in range(iterations):
        dist = ((z[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        new = dist.argmin(axis=1)
        if np.array_equal(new, labels) and _ > 0:
            break
        labels = new
        for j in range(k):
            if np.any(labels == j):
                centres[j] = z[labels == j].mean(axis=0)
    return labels.astype(np.float64), centres * std + mean


def regime(close: F64, horizon: int, n_regimes: int = 3, seed: int = 0) -> Target:
    """Regime of the next ``horizon`` bars (NaN where the window is incomplete)."""
    n = len(close)
    r1 = kernels.log_return(close, 1)
    fwd_ret = np.full(n, np.nan)
    fwd_vol = np.full(n, np.nan)
    if n > horizon:
        fwd_ret[: n - horizon] = np.log(close[horizon:] / close[: n - horizon])
        fwd_vol[: n - horizon] = kernels.rolling_std(r1, horizon)[horizon:]
    ok = np.isfinite(fwd_ret) & np.isfinite(fwd_vol)
    labels = np.full(n, np.nan)
    if ok.sum() >= n_regimes:
        raw, centres = kmeans(np.column_stack([fwd_ret[ok], fwd_vol[ok]]), n_regimes, seed)
        order = np.argsort(np.argsort(centres[:, 0]))  # rank of each cluster by mean return
        labels[ok] = order[raw.astype(np.int64)]
    return Target(labels, np.minimum(np.arange(n) + horizon, n - 1),
                  tuple(range(n_regimes)))

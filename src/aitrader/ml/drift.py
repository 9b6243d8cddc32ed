"""Feature drift: population stability index (PSI) of each feature, reference vs recent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
_EPS = 1e-6


def psi(reference: F64, current: F64, bins: int = 10) -> float:
    """PSI with quantile bins of the reference: Σ (c - r) ln(c / r); ~0.1 moderate, 0.25 large."""
    ref = reference[np.isfinite(reference)]
    cur = current[np.isfinite(current)]
    if len(ref) == 0 or len(cur) == 0:
        return float("nan")
    edges = np.unique(np.quantile(ref, np.linspace(0, 1, bins + 1)[1:-1]))
    r = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=len(edges) + 1)
    c = np.bincount(np.searchsorted(edges, cur, side="right"), minlength=len(edges) + 1)
    rp = np.maximum(r / len(ref), _EPS)
    cp = np.maximum(c / len(cur), _EPS)
    return float(np.sum((cp - rp) * np.log(cp / rp)))


@dataclass(frozen=True)
class DriftReport:
    """PSI per feature and which exceed the threshold."""

    psi: dict[str, float]
    threshold: float

    @property
    def drifted(self) -> list[str]:
        """Features whose PSI exceeds the threshold."""
        return [k for k, v in self.psi.items() if v > self.threshold]

    @property
    def max_psi(self) -> float:
        """The largest PSI."""
        return max(self.psi.values()) if self.psi else 0.0


def feature_drift(reference: F64, current: F64, names: Sequence[str],
                  threshold: float = 0.25, bins: int = 10) -> DriftReport:
    """PSI of each column of two feature matrices."""
    return DriftReport({n: psi(reference[:, j], current[:, j], bins)
                        for j, n in enumerate(names)}, threshold)

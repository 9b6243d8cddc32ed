"""Champion/challenger: a paired test on per-period returns of two models run on the same data.

Per-bar returns are summed into periods of ``period_bars`` (e.g. a day of minutes) to soften
serial correlation, then the challenger-minus-champion differences are tested with a one-sided
paired t-test and a moving-block bootstrap confidence interval. Promotion is allowed only when
the challenger is better with p < alpha, the bootstrap interval excludes zero, *and* the mean
gain per period exceeds ``min_effect`` (significant but negligible gains do not count).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from aitrader.ml.errors import ModelError

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ABReport:
    """The comparison and its verdict."""

    champion: str
    challenger: str
    periods: int
    period_bars: int
    champion_total_return: float
    challenger_total_return: float
    mean_difference: float
    t_statistic: float
    p_value: float
    ci_low: float
    ci_high: float
    alpha: float
    promotion_allowed: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON)."""
        return asdict(self)


def period_sums(returns: F64, period_bars: int) -> F64:
    """Sum consecutive blocks of ``period_bars`` returns (an incomplete last block is dropped)."""
    n = len(returns) // period_bars * period_bars
    out: F64 = returns[:n].reshape(-1, period_bars).sum(axis=1)
    return out


def block_bootstrap_ci(diff: F64, alpha: float, n_boot: int, block: int, seed: int
                       ) -> tuple[float, float]:
    """Two-sided (1 - 2·alpha) interval of the mean difference by moving-block bootstrap."""
    rng = np.random.default_rng(seed)
    n = len(diff)
    block = max(1, min(block, n))
    n_blocks = int(np.ceil(n / block))
    starts = rng.integers(0, n - block + 1, size=(n_boot, n_blocks))
    idx = (starts[:, :, None] + np.arange(block)[None, None, :]).reshape(n_boot, -1)[:, :n]
    means = diff[idx].mean(axis=1)
    return float(np.quantile(means, alpha)), float(np.quantile(means, 1 - alpha))


def compare_returns(champion: F64, challenger: F64, *, champion_name: str = "champion",
                    challenger_name: str = "challenger", period_bars: int = 1,
                    alpha: float = 0.05, min_effect: float = 1e-5, n_boot: int = 2000,
                    block: int = 5, seed: int = 0) -> ABReport:
    """Test whether the challenger's per-period returns beat the champion's on the same bars."""
    from scipy import stats

    if len(champion) != len(challenger):
        raise ModelError(f"A/B needs returns over the same bars: champion has {len(champion)}, "
                         f"challenger {len(challenger)}")
    a = period_sums(np.asarray(champion, dtype=np.float64), period_bars)
    b = period_sums(np.asarray(challenger, dtype=np.float64), period_bars)
    if len(a) < 10:
        raise ModelError(f"A/B needs at least 10 periods of {period_bars} bars, got {len(a)}")
    diff = b - a
    if np.all(diff == diff[0]):
        t_stat, p_value = 0.0, 1.0
    else:
        res = stats.ttest_rel(b, a, alternative="greater")
        t_stat, p_value = float(res.statistic), float(res.pvalue)
    lo, hi = block_bootstrap_ci(diff, alpha, n_boot, block, seed)
    mean = float(diff.mean())
    allowed = mean > min_effect and p_value < alpha and lo > 0
    if allowed:
        reason = f"challenger better: p={p_value:.4f} < {alpha}, CI [{lo:.2e}, {hi:.2e}] > 0"
    elif p_value < alpha and lo > 0:
        reason = (f"significant but negligible: mean diff {mean:.2e} per period <= "
                  f"min_effect {min_effect:.0e}")
    else:
        reason = (f"not significant: mean diff {mean:.2e}, p={p_value:.4f} (need < {alpha}), "
                  f"CI [{lo:.2e}, {hi:.2e}]")
    return ABReport(champion_name, challenger_name, len(a), period_bars,
                    float(np.prod(1 + champion) - 1), float(np.prod(1 + challenger) - 1),
                    mean, t_stat, p_value, lo, hi, alpha, allowed, reason)

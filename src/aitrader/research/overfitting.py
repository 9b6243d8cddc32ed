"""Is a good backtest luck? The deflated Sharpe ratio (Bailey & López de Prado, 2014) and the
probability of backtest overfitting by combinatorially symmetric cross-validation (Bailey,
Borwein, López de Prado & Zhu, 2015), computed from the per-period returns of every trial.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import asdict, dataclass
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
_EULER_GAMMA = 0.5772156649015329
_N = NormalDist()
DSR_THRESHOLD = 0.95
PBO_THRESHOLD = 0.5


def returns_from_equity(equity: F64) -> F64:
    """Simple per-period returns of equity samples (rows: periods, columns: trials)."""
    eq = np.asarray(equity, dtype=np.float64)
    out: F64 = eq[1:] / eq[:-1] - 1.0
    return out


def _sharpe(returns: F64) -> F64:
    """Per-period Sharpe of each column (0 where the returns do not vary)."""
    sd = returns.std(axis=0, ddof=1)
    mean = returns.mean(axis=0)
    out: F64 = np.divide(mean, sd, out=np.zeros_like(mean), where=sd > 0)
    return out


def expected_max_sharpe(sharpe_variance: float, n_trials: int) -> float:
    """The Sharpe the best of ``n_trials`` skill-less trials reaches by chance (SR0)."""
    if n_trials < 2:
        return 0.0
    sd = math.sqrt(max(sharpe_variance, 0.0))
    return sd * ((1 - _EULER_GAMMA) * _N.inv_cdf(1 - 1 / n_trials)
                 + _EULER_GAMMA * _N.inv_cdf(1 - 1 / (n_trials * math.e)))


def deflated_sharpe(returns: F64, selected: int, n_trials: int | None = None
                    ) -> tuple[float, float]:
    """(DSR, SR0): the probability that the selected column's true Sharpe beats the best
    Sharpe expected from luck alone, given how many trials were tried and the returns' skew
    and kurtosis. ``returns``: periods x trials."""
    r = np.asarray(returns, dtype=np.float64)
    t, n = r.shape
    if t < 3:
        raise ValueError(f"the deflated Sharpe needs at least 3 periods of returns, had {t}")
    srs = _sharpe(r)
    sr0 = expected_max_sharpe(float(srs.var(ddof=1)) if n > 1 else 0.0, n_trials or n)
    x = r[:, selected]
    sr = float(srs[selected])
    sd = float(x.std())
    if sd == 0:
        return 0.0, sr0
    z = (x - x.mean()) / sd
    skew, kurt = float((z**3).mean()), float((z**4).mean())
    denom = 1 - skew * sr + (kurt - 1) / 4 * sr * sr
    stat = (sr - sr0) * math.sqrt(t - 1) / math.sqrt(max(denom, 1e-12))
    return _N.cdf(stat), sr0


def pbo_cscv(returns: F64, n_splits: int = 12) -> tuple[float, F64]:
    """(PBO, logits): the share of the C(S, S/2) in-sample/out-of-sample splits of the periods
    in which the in-sample best trial ranks at or below the out-of-sample median."""
    r = np.asarray(returns, dtype=np.float64)
    t, n = r.shape
    if n_splits < 2 or n_splits % 2:
        raise ValueError(f"n_splits must be an even number >= 2, was {n_splits}")
    if t < 2 * n_splits:
        raise ValueError(f"CSCV needs at least {2 * n_splits} periods for {n_splits} splits, "
                         f"had {t}")
    if n < 2:
        raise ValueError(f"CSCV needs at least 2 trials, had {n}")
    blocks = np.array_split(np.arange(t), n_splits)
    logits = []
    for combo in itertools.combinations(range(n_splits), n_splits // 2):
        in_s = np.concatenate([blocks[i] for i in combo])
        out_s = np.concatenate([blocks[i] for i in range(n_splits) if i not in combo])
        best = int(np.argmax(_sharpe(r[in_s])))
        oos = _sharpe(r[out_s])
        rank = float((oos < oos[best]).sum() + 1 + 0.5 * ((oos == oos[best]).sum() - 1))
        w = rank / (n + 1)
        logits.append(math.log(w / (1 - w)))
    arr = np.asarray(logits)
    return float((arr <= 0).mean()), arr


@dataclass(frozen=True)
class OverfitReport:
    """The diagnostics of one search and what they mean in plain words."""

    n_trials: int
    periods: int
    best_sharpe_per_period: float
    expected_max_sharpe_per_period: float
    deflated_sharpe: float
    pbo: float
    likely_luck: bool
    verdict: str

    def as_dict(self) -> dict[str, object]:
        """Plain dict for JSON."""
        return asdict(self)


def diagnose(returns: F64, n_splits: int = 12, selected: int | None = None) -> OverfitReport:
    """DSR of the best trial (or ``selected``) and PBO of the whole search, with a verdict."""
    r = np.asarray(returns, dtype=np.float64)
    best = int(np.argmax(_sharpe(r))) if selected is None else selected
    dsr, sr0 = deflated_sharpe(r, best)
    pbo, _ = pbo_cscv(r, n_splits)
    sr = float(_sharpe(r)[best])
    luck = dsr < DSR_THRESHOLD or pbo > PBO_THRESHOLD
    if luck:
        why = []
        if dsr < DSR_THRESHOLD:
            why.append(f"the deflated Sharpe is {dsr:.2f} (< {DSR_THRESHOLD}): after "
                       f"{r.shape[1]} trials a Sharpe of {sr:.3f} per period is within what "
                       f"luck gives (expected best {sr0:.3f})")
        if pbo > PBO_THRESHOLD:
            why.append(f"the probability of backtest overfitting is {pbo:.0%} (> "
                       f"{PBO_THRESHOLD:.0%}): the in-sample best usually ranks in the bottom "
                       f"half out of sample")
        verdict = "LIKELY LUCK: " + "; ".join(why) + "."
    else:
        verdict = (f"Not explained by luck: deflated Sharpe {dsr:.2f} (>= {DSR_THRESHOLD}) "
                   f"and probability of backtest overfitting {pbo:.0%} (<= "
                   f"{PBO_THRESHOLD:.0%}) over {r.shape[1]} trials.")
    return OverfitReport(r.shape[1], r.shape[0], sr, sr0, dsr, pbo, luck, verdict)

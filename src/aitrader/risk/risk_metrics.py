"""Risk metrics: historical and parametric (normal) VaR and CVaR at 95/99%, rolling Sharpe, and
exposure by instrument and asset class. Losses are positive fractions of equity."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

from aitrader.core.ids import AccountId
from aitrader.core.money import ZERO
from aitrader.portfolio.portfolio import Portfolio

_DAY_NS = 86_400 * 1_000_000_000
_MIN_DAYS = 20  # fewer daily returns than this: use the per-bar returns instead
Returns = npt.NDArray[np.float64]


def historical_var(returns: Returns, level: float) -> float:
    """Loss not exceeded with probability ``level`` in the sample (0 without data)."""
    if len(returns) == 0:
        return 0.0
    return max(0.0, -float(np.quantile(returns, 1.0 - level, method="lower")))


def historical_cvar(returns: Returns, level: float) -> float:
    """Mean loss in the worst ``1 - level`` tail of the sample (expected shortfall)."""
    if len(returns) == 0:
        return 0.0
    cut = np.quantile(returns, 1.0 - level, method="lower")
    tail = returns[returns <= cut]
    return max(0.0, -float(tail.mean()))


def parametric_var(returns: Returns, level: float) -> float:
    """Normal VaR: -(mean - z * sd)."""
    if len(returns) < 2:
        return 0.0
    z = NormalDist().inv_cdf(level)
    return max(0.0, -(float(returns.mean()) - z * float(returns.std(ddof=1))))


def parametric_cvar(returns: Returns, level: float) -> float:
    """Normal expected shortfall: -(mean - sd * pdf(z) / (1 - level))."""
    if len(returns) < 2:
        return 0.0
    nd = NormalDist()
    z = nd.inv_cdf(level)
    sd = float(returns.std(ddof=1))
    return max(0.0, -(float(returns.mean()) - sd * nd.pdf(z) / (1.0 - level)))


def rolling_sharpe(returns: Returns, window: int, periods_per_year: int) -> Returns:
    """Annualised Sharpe over each trailing ``window`` of returns (NaN where undefined)."""
    n = len(returns)
    out = np.full(n, np.nan)
    if n < window or window < 2:
        return out
    csum = np.cumsum(np.r_[0.0, returns])
    csq = np.cumsum(np.r_[0.0, returns * returns])
    s = csum[window:] - csum[:-window]
    q = csq[window:] - csq[:-window]
    mean = s / window
    var = np.maximum((q - window * mean * mean) / (window - 1), 0.0)
    sd = np.sqrt(var)
    with np.errstate(divide="ignore", invalid="ignore"):
        out[window - 1:] = np.where(sd > 0, mean / sd * math.sqrt(periods_per_year), np.nan)
    return out


def equity_returns(ts_ns: npt.NDArray[np.int64], equity: Returns) -> tuple[Returns, str]:
    """Daily (UTC) returns when there are enough days, else per-sample returns; and which."""
    if len(equity) < 2:
        return np.empty(0), "bar"
    day = ts_ns // _DAY_NS
    idx = np.append(np.flatnonzero(np.diff(day)), len(day) - 1)
    daily = equity[idx]
    if len(daily) > _MIN_DAYS:
        return np.diff(daily) / daily[:-1], "daily"
    return np.diff(equity) / equity[:-1], "bar"


@dataclass(frozen=True)
class RiskReport:
    """Risk figures of one equity curve (and, for a live portfolio, its exposures now)."""

    basis: str
    samples: int
    var_95: float
    var_99: float
    cvar_95: float
    cvar_99: float
    parametric_var_95: float
    parametric_var_99: float
    parametric_cvar_95: float
    parametric_cvar_99: float
    rolling_sharpe_last: float
    rolling_sharpe_min: float
    exposure_by_instrument: dict[str, float] = field(default_factory=dict)
    exposure_by_asset_class: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_equity(cls, ts_ns: npt.NDArray[np.int64], equity: Returns,
                    periods_per_year: int = 365, window: int = 30) -> RiskReport:
        """Metrics of an equity curve sampled at ``ts_ns``."""
        rets, basis = equity_returns(ts_ns, np.asarray(equity, dtype=np.float64))
        rets = rets[np.isfinite(rets)]
        periods = periods_per_year if basis == "daily" else periods_per_year * 1440
        roll = rolling_sharpe(rets, min(window, max(2, len(rets))), periods)
        finite = roll[np.isfinite(roll)]
        return cls(
            basis, len(rets),
            historical_var(rets, 0.95), historical_var(rets, 0.99),
            historical_cvar(rets, 0.95), historical_cvar(rets, 0.99),
            parametric_var(rets, 0.95), parametric_var(rets, 0.99),
            parametric_cvar(rets, 0.95), parametric_cvar(rets, 0.99),
            float(finite[-1]) if len(finite) else 0.0,
            float(finite.min()) if len(finite) else 0.0,
        )

    def with_exposure(self, portfolio: Portfolio, account_id: AccountId) -> RiskReport:
        """This report plus the account's exposures now, as fractions of its equity."""
        by_inst, by_class = exposure_breakdown(portfolio, account_id)
        return RiskReport(**{**asdict(self), "exposure_by_instrument": by_inst,
                             "exposure_by_asset_class": by_class})

    def as_dict(self) -> dict[str, object]:
        """Plain dict for JSON."""
        return asdict(self)


def exposure_breakdown(portfolio: Portfolio, account_id: AccountId
                       ) -> tuple[dict[str, float], dict[str, float]]:
    """Signed position value / equity per instrument and per asset class."""
    equity = portfolio.equity(account_id)
    by_inst: dict[str, float] = {}
    by_class: dict[str, float] = {}
    if equity <= ZERO:
        return by_inst, by_class
    for pos in portfolio.positions(account_id):
        inst = portfolio.instrument(pos.instrument_id)
        mark = portfolio.mark_decimal(pos.instrument_id) or pos.avg_price
        share = float(pos.quantity * mark * pos.multiplier / equity)
        by_inst[str(pos.instrument_id)] = share
        cls = inst.asset_class.value if inst is not None else "UNKNOWN"
        by_class[cls] = by_class.get(cls, 0.0) + share
    return by_inst, by_class

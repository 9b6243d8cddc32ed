"""Square-root market impact: ``impact_bps(Q) = Y x sigma_bps x sqrt(Q / V)``, with Y calibrated
on observed taker orders.

``sigma_bps`` is the standard deviation of the mid's change over one sampling interval (1 s by
default) in bps, and ``V`` the volume traded per interval, both measured on the same stretch
of market. One **observation** is one taker order: consecutive trades of one aggressor side
received within ``burst_ns`` of each other; its impact is the move of the quoted mid from just
before its first trade to ``horizon_ns`` after it, in the direction of the trade, in bps.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from aitrader.core.enums import BUY, OrderSide
from aitrader.core.errors import StrategyError
from aitrader.core.market_data import MarketData, QuoteTick, TradeTick

NS = 1_000_000_000


@dataclass(frozen=True, slots=True)
class ImpactObservation:
    """One taker order and the mid move it was followed by."""

    ts_ns: int
    side: OrderSide
    size: float
    impact_bps: float


@dataclass(frozen=True)
class ImpactSample:
    """Observations plus the market's volatility and volume over the same stretch."""

    observations: list[ImpactObservation]
    sigma_bps: float
    volume_per_interval: float
    interval_ns: int


@dataclass(frozen=True)
class SqrtImpactModel:
    """``impact_bps(Q) = y x sigma_bps x sqrt(Q / volume_per_interval)``."""

    y: float
    sigma_bps: float
    volume_per_interval: float
    r_squared: float = float("nan")
    observations: int = 0

    def impact_bps(self, size: float) -> float:
        """Expected impact of a taker order of ``size`` (base units), in bps."""
        if size < 0:
            raise StrategyError(f"impact size must be >= 0, was {size}")
        if self.volume_per_interval <= 0:
            return float("inf")
        return self.y * self.sigma_bps * math.sqrt(size / self.volume_per_interval)

    @classmethod
    def calibrate(cls, sample: ImpactSample) -> SqrtImpactModel:
        """Least squares through the origin of observed impact on ``sigma x sqrt(Q/V)``:
        ``y = sum(x*i) / sum(x*x)``; ``r_squared`` is the uncentred fit quality."""
        obs = sample.observations
        if not obs:
            raise StrategyError("impact calibration needs at least one observation, got 0")
        if sample.volume_per_interval <= 0 or sample.sigma_bps <= 0:
            raise StrategyError(
                f"impact calibration needs sigma_bps > 0 and volume > 0, were "
                f"{sample.sigma_bps} and {sample.volume_per_interval}")
        x = sample.sigma_bps * np.sqrt(np.array([o.size for o in obs]) /
                                       sample.volume_per_interval)
        i = np.array([o.impact_bps for o in obs])
        sxx = float(x @ x)
        y = float(x @ i) / sxx
        resid = i - y * x
        sii = float(i @ i)
        r2 = 1.0 - float(resid @ resid) / sii if sii > 0 else float("nan")
        return cls(y, sample.sigma_bps, sample.volume_per_interval, r2, len(obs))


def observe_impacts(events: Iterable[MarketData], *, horizon_ns: int = NS,
                    burst_ns: int = 5_000_000, interval_ns: int = NS) -> ImpactSample:
    """Taker orders, their impact, sigma and volume from a feed with quotes and trades."""
    if horizon_ns <= 0 or burst_ns < 0 or interval_ns <= 0:
        raise StrategyError(
            f"horizon_ns and interval_ns must be > 0 and burst_ns >= 0, were {horizon_ns}, "
            f"{interval_ns} and {burst_ns}")
    q_ts: list[int] = []
    q_mid: list[float] = []
    runs: list[tuple[int, OrderSide, float, int]] = []  # first ts, side, size, quotes before
    last_trade: TradeTick | None = None
    volume = 0.0
    first_ts = last_ts = None
    for ev in events:
        if isinstance(ev, QuoteTick):
            q_ts.append(ev.ts_init)
            q_mid.append((ev.bid + ev.ask) / 2.0)
        elif isinstance(ev, TradeTick):
            volume += ev.size
            first_ts = ev.ts_init if first_ts is None else first_ts
            last_ts = ev.ts_init
            same = last_trade is not None and last_trade.aggressor is ev.aggressor and \
                ev.ts_init - last_trade.ts_init <= burst_ns
            if same and runs:
                t0, side, size, nq = runs[-1]
                runs[-1] = (t0, side, size + ev.size, nq)
            else:
                runs.append((ev.ts_init, ev.aggressor, ev.size, len(q_ts)))
            last_trade = ev
    ts = np.asarray(q_ts, dtype=np.int64)
    mid = np.asarray(q_mid, dtype=np.float64)
    obs: list[ImpactObservation] = []
    for t0, side, size, nq in runs:
        if nq == 0:
            continue  # no quote before the order
        before = mid[nq - 1]
        after_idx = int(np.searchsorted(ts, t0 + horizon_ns, side="right")) - 1
        if after_idx < nq - 1 or ts.size == 0 or ts[-1] < t0 + horizon_ns:
            continue  # the feed ends before the horizon
        sign = 1.0 if side is BUY else -1.0
        obs.append(ImpactObservation(t0, side, size,
                                     sign * (mid[after_idx] - before) / before * 1e4))
    sigma, per_interval = _sigma_and_volume(ts, mid, volume, first_ts, last_ts, interval_ns)
    return ImpactSample(obs, sigma, per_interval, interval_ns)


def _sigma_and_volume(ts: np.ndarray, mid: np.ndarray, volume: float, first: int | None,
                      last: int | None, interval_ns: int) -> tuple[float, float]:
    """Std of the mid's change per interval (bps) and the volume per interval."""
    if ts.size < 2:
        return float("nan"), 0.0
    grid = np.arange(int(ts[0]) + interval_ns, int(ts[-1]) + 1, interval_ns, dtype=np.int64)
    idx = np.searchsorted(ts, grid, side="right") - 1
    sampled = mid[idx]
    changes = np.diff(sampled) / sampled[:-1] * 1e4
    sigma = float(np.std(changes, ddof=1)) if changes.size >= 2 else float("nan")
    span = 0 if first is None or last is None else last - first
    per_interval = volume / max(span / interval_ns, 1.0)
    return sigma, per_interval

"""VaR and CVaR agree with hand-computed values; rolling Sharpe matches a direct window; reports
include exposures and backtest summaries carry them."""

from __future__ import annotations

import math
from decimal import Decimal
from statistics import NormalDist

import numpy as np
import pytest
from risk_harness import ETH, MakeHarness

from aitrader.core.enums import AccountType, OrderSide
from aitrader.data.bar_arrays import BarArrays
from aitrader.risk.config import RiskConfig
from aitrader.risk.risk_metrics import (
    historical_cvar,
    historical_var,
    parametric_cvar,
    parametric_var,
    rolling_sharpe,
)
from aitrader.runtime.backtest import BacktestRequest, risk_on_off, run_backtest


def test_historical_var_and_cvar_on_a_known_sample() -> None:
    rets = np.array([-0.10, -0.05, -0.02, -0.01, 0.0, 0.01, 0.02, 0.03, 0.04, 0.05] * 10)
    # 5% lowest of 100 sorted returns: the tenth-lowest is -0.10 at 0.95 ('lower' method)
    assert historical_var(rets, 0.95) == pytest.approx(0.10)
    assert historical_cvar(rets, 0.95) == pytest.approx(0.10)
    assert historical_var(rets, 0.80) == pytest.approx(0.05)
    assert historical_cvar(rets, 0.80) == pytest.approx(0.075)
    assert historical_var(np.empty(0), 0.99) == 0.0


def test_parametric_var_and_cvar_follow_the_normal_formulas() -> None:
    rng = np.random.default_rng(1)
    rets = rng.normal(0.001, 0.02, 5000)
    mu, sd = rets.mean(), rets.std(ddof=1)
    z99 = NormalDist().inv_cdf(0.99)
    assert parametric_var(rets, 0.99) == pytest.approx(-(mu - z99 * sd))
    assert parametric_cvar(rets, 0.99) == pytest.approx(
        -(mu - sd * NormalDist().pdf(z99) / 0.01))
    assert parametric_cvar(rets, 0.95) > parametric_var(rets, 0.95)
    # on normal data the historical figures land close to the parametric ones
    assert historical_var(rets, 0.95) == pytest.approx(parametric_var(rets, 0.95), rel=0.1)


def test_rolling_sharpe_equals_the_sharpe_of_each_window() -> None:
    rng = np.random.default_rng(2)
    rets = rng.normal(0.0005, 0.01, 200)
    roll = rolling_sharpe(rets, 30, 365)
    assert np.isnan(roll[:29]).all()
    w = rets[100:130]
    assert roll[129] == pytest.approx(w.mean() / w.std(ddof=1) * math.sqrt(365))


def test_live_metrics_include_exposure_by_instrument_and_asset_class(
        make_harness: MakeHarness) -> None:
    h = make_harness(account_type=AccountType.MARGIN, leverage=Decimal(3))
    for _ in range(3):
        h.bar(100, 100.1, 99.9, 100)
        h.bar(10, 10.01, 9.99, 10, iid=ETH, advance=False)
    h.submit(OrderSide.BUY, "500")
    h.submit(OrderSide.SELL, "1000", iid=ETH)
    h.bar(100, 100, 100, 100)
    h.bar(10, 10, 10, 10, iid=ETH, advance=False)
    report = h.risk.metrics(h.account_id)
    assert report.exposure_by_instrument == {"BTC/USDT@SIM": 0.5, "ETH/USDT@SIM": -0.1}
    assert report.exposure_by_asset_class == {"CRYPTO": pytest.approx(0.4)}
    assert report.samples > 0


def _bleeding_walk(n: int = 3000) -> BarArrays:
    """A seeded random walk drifting down: SMA crossovers lose about 18% on it."""
    rng = np.random.default_rng(3)
    t0 = 1_700_000_000 * 10**9 // 60_000_000_000 * 60_000_000_000
    ts = t0 + np.arange(n, dtype=np.int64) * 60_000_000_000
    close = 100 * np.exp(np.cumsum(rng.normal(-0.0001, 0.003, n)))
    opens = np.r_[100.0, close[:-1]]
    return BarArrays(ts, opens, np.maximum(opens, close) * 1.001,
                     np.minimum(opens, close) * 0.999, close, np.ones(n),
                     timeframe_ns=60_000_000_000)


def test_a_backtest_summary_carries_risk_metrics_and_the_on_off_drawdown_difference() -> None:
    req = BacktestRequest(bars=_bleeding_walk(), symbol="ABC/USD", strategy="sma_cross",
                          params={"fast": 5, "slow": 20, "quantity": "900"},
                          fee_rate=Decimal("0.0005"), tick_size=Decimal("0.0001"),
                          quote_currency="USD", base_currency="ABC")
    result = run_backtest(req)
    summary = result.risk_summary()
    assert summary["metrics"]["var_95"] > 0
    assert summary["metrics"]["basis"] == "bar"
    compare = risk_on_off(req, RiskConfig(max_drawdown=Decimal("0.05"),
                                          daily_loss_limit=Decimal("0.9")))
    off, on = compare["risk_off"], compare["risk_on"]
    assert off["max_drawdown"] > 0.20 and off["halts"] == 0
    assert on["halts"] >= 1 and on["denied"] > 0
    assert on["max_drawdown"] < 0.06  # halted at 5%; the open trade's exit still passes
    assert compare["max_drawdown_cut"] == pytest.approx(off["max_drawdown"] - on["max_drawdown"])

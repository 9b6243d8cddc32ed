"""The ML classifier strategy trades on P(up) through the Predictor port and the engine's risk."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest

from aitrader.core.enums import AccountType
from aitrader.core.errors import StrategyError
from aitrader.features.feature_set import FeatureSet
from aitrader.features.spec import FeatureSetSpec
from aitrader.runtime.backtest import BacktestRequest, run_backtest
from aitrader.strategies.ml.ml_classifier import MLClassifierStrategy
from aitrader.strategies.registry import StrategyRegistry

FS = FeatureSet(FeatureSetSpec.model_validate(
    {"features": [{"kind": "returns", "horizons": [1]}, {"kind": "volatility", "windows": [5]}]}))


class MomentumPredictor:
    """P(up) = logistic(k × last return): a deterministic Predictor for the strategy tests."""

    def __init__(self, k: float = 2000.0) -> None:
        self.feature_names = list(FS.names)
        self.classes = [0, 1]
        self.k = k
        self.seen: list[float] = []

    def predict_proba(self, features):
        p = 1 / (1 + math.exp(-self.k * features[0]))
        self.seen.append(p)
        return [1 - p, p]


def _run(bars, predictor, account_type=AccountType.CASH, **params):
    bound = MLClassifierStrategy.bind(predictor, FS)
    req = BacktestRequest(bars=bars, symbol="BTC/USDT", strategy="ml_classifier",
                          registry=StrategyRegistry([bound]),
                          params=params, fee_rate=Decimal("0.001"),
                          account_type=account_type,
                          leverage=Decimal(2 if account_type is AccountType.MARGIN else 1))
    return run_backtest(req)


def test_it_decides_on_every_closed_bar_after_warm_up(ar_bars) -> None:
    pred = MomentumPredictor()
    result = _run(ar_bars, pred, max_quantity="1")
    assert len(pred.seen) == len(ar_bars) - (FS.warmup - 1)
    assert result.fills > 10 and result.denied == 0


def test_positions_follow_thresholds_and_scale_with_confidence(ar_bars) -> None:
    result = _run(ar_bars, MomentumPredictor(), max_quantity="2", min_fraction=0.1,
                  long_threshold=0.6, short_threshold=0.4, allow_short=True,
                  account_type=AccountType.MARGIN)
    filled = [o for o in result.engine.orders.orders() if o.status.value == "FILLED"]
    entries = {o.quantity for o in filled if not o.reduce_only}
    assert len(entries) > 3  # confidence-sized, not one fixed quantity
    position, extreme = Decimal(0), Decimal(0)
    for o in filled:
        position += o.quantity if o.side.value == "BUY" else -o.quantity
        extreme = max(extreme, abs(position))
    assert extreme <= Decimal(2)
    assert any(t.side.value == "SELL" for t in result.trades)  # shorts were taken
    flat = _run(ar_bars, MomentumPredictor(k=0.0))  # P(up) = 0.5 always: inside the band
    assert flat.fills == 0


def test_size_is_capped_by_the_equity_fraction(ar_bars) -> None:
    result = _run(ar_bars, MomentumPredictor(), max_quantity="1000", max_equity_fraction=0.5)
    assert result.rejected == 0
    top_equity = float(max(result.equity))
    for o in result.engine.orders.orders():
        if not o.reduce_only:  # the bar the order was decided on closes at ts_init
            i = int(np.searchsorted(ar_bars.ts_ns, o.ts_init - ar_bars.timeframe_ns))
            assert float(o.quantity) * ar_bars.close[i] <= 0.5 * top_equity + 1e-6


def test_oversized_orders_meet_the_venue_and_risk_checks_not_a_crash(ar_bars) -> None:
    result = _run(ar_bars, MomentumPredictor(), max_quantity="5000", max_equity_fraction=10)
    assert result.rejected > 0  # insufficient funds on a cash account
    assert result.final_equity > 0


def test_it_refuses_to_run_without_a_model_or_with_other_features() -> None:
    with pytest.raises(StrategyError, match="needs a model"):
        MLClassifierStrategy("s", "a", [__import__("aitrader.core.ids").core.ids.InstrumentId(
            "BTC/USDT", "SIM")])
    other = MomentumPredictor()
    other.feature_names = ["ret_1", "vol_20"]
    with pytest.raises(StrategyError, match="differ from the feature set"):
        MLClassifierStrategy.bind(other, FS)


def test_thresholds_must_be_ordered() -> None:
    with pytest.raises(StrategyError, match="short_threshold <= exit_band <= long_threshold"):
        MLClassifierStrategy.parse_params({"long_threshold": 0.6, "exit_band": 0.7})

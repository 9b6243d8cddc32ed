"""The ML strategy on a live-style feed: trades and books between bars become microstructure
features at the bar's close, and the risk engine's halt denies its orders."""

from __future__ import annotations

from aitrader.core.enums import OrderSide
from aitrader.core.events import OrderDenied
from aitrader.core.market_data import BookLevel, OrderBookSnapshot, TradeTick
from aitrader.features.feature_set import FeatureSet
from aitrader.features.spec import FeatureSetSpec
from aitrader.strategies.ml.ml_classifier import MLClassifierStrategy
from aitrader.testkit.engine_factory import MINUTE_NS, make_sim_engine

FS = FeatureSet(FeatureSetSpec.model_validate(
    {"features": [{"kind": "returns", "horizons": [1]}, {"kind": "microstructure"}]}))


class FlowPredictor:
    """P(up) = 0.5 + trade_flow_imbalance / 2; records every row it is asked about."""

    feature_names = FS.names
    classes = (0, 1)

    def __init__(self) -> None:
        self.rows: list[list[float]] = []

    def predict_proba(self, features):
        self.rows.append(list(features))
        p = 0.5 + features[FS.names.index("trade_flow_imbalance")] / 2
        return [1 - p, p]


def _setup():
    h = make_sim_engine()
    pred = FlowPredictor()
    bound = MLClassifierStrategy.bind(pred, FS)
    h.add(lambda acc, iid: bound("ml", acc, [iid], {"max_quantity": "0.1"}))
    return h, pred


def _between_bars(h, buy: float, sell: float) -> None:
    iid = h.instrument.id
    t = h.clock.now_ns() + MINUTE_NS // 2
    h.engine.on_data(OrderBookSnapshot(iid, t, t, (BookLevel(99.0, 3.0),),
                                       (BookLevel(101.0, 1.0),)))
    h.engine.on_data(TradeTick(iid, t, t + 1, 100.0, buy, OrderSide.BUY))
    h.engine.on_data(TradeTick(iid, t, t + 2, 100.0, sell, OrderSide.SELL))


def test_trades_and_book_between_bars_become_the_bar_s_microstructure_features() -> None:
    h, pred = _setup()
    h.bar(100, 101, 99, 100)
    _between_bars(h, buy=3.0, sell=1.0)
    h.bar(100, 101, 99, 100.5)
    imbalance, spread, _micro, flow = pred.rows[-1][1:]
    assert imbalance == 0.5 and spread == 200.0 and flow == 0.5
    assert h.engine.orders.orders()[-1].side is OrderSide.BUY  # P(up) = 0.75 >= 0.55


def test_a_halted_risk_engine_denies_the_strategy_s_orders() -> None:
    h, _pred = _setup()
    denied = h.record(OrderDenied)
    h.risk.halt("daily loss limit")
    h.bar(100, 101, 99, 100)
    _between_bars(h, buy=5.0, sell=0.0)
    h.bar(100, 101, 99, 100.5)
    assert len(denied) == 1 and "trading halted: daily loss limit" in denied[0].reason

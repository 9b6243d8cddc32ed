"""ML classifier strategy: long/short/flat from the up-probability, sized by confidence."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, cast

from pydantic import Field, model_validator

from aitrader.core.enums import OrderSide
from aitrader.core.errors import StrategyError
from aitrader.core.market_data import Bar, OrderBookDeltas, OrderBookSnapshot, TradeTick
from aitrader.core.order_book import OrderBook
from aitrader.core.ports import Predictor
from aitrader.features.bar_flow import BarFlowAccumulator
from aitrader.features.feature_set import MICRO_COLUMNS, FeatureSet
from aitrader.features.live_window import LiveFeatureWindow
from aitrader.strategies.base import Strategy, StrategyParams

ExtraProvider = Callable[[int], Mapping[str, float]]


@dataclass(frozen=True)
class BoundModel:
    """What the runtime binds: the model, the features it was trained on, extra columns."""

    predictor: Predictor
    feature_set: FeatureSet
    extra_provider: ExtraProvider | None = None


class MLClassifierParams(StrategyParams):
    """Thresholds on P(up) and the position size they map to."""

    long_threshold: float = Field(0.55, gt=0.5, lt=1, description="enter long at P(up) >= this")
    short_threshold: float = Field(0.45, gt=0, lt=0.5, description="short/exit at P(up) <= this")
    exit_band: float = Field(0.5, gt=0, lt=1, description="close a long below, a short above")
    allow_short: bool = False
    max_quantity: Decimal = Field(Decimal(1), gt=0, description="size at full confidence")
    min_fraction: float = Field(0.25, ge=0, le=1, description="size floor as a fraction of max")
    rebalance_fraction: float = Field(0.5, ge=0, description="resize only past this change")
    max_equity_fraction: float = Field(1.0, gt=0, le=10, description="cap notional at this "
                                       "fraction of account equity")
    up_class: int = Field(1, description="the class label meaning 'price goes up'")
    stop_loss_pct: float | None = Field(None, gt=0, lt=1, description="bracket stop distance")
    take_profit_pct: float | None = Field(None, gt=0, description="bracket target distance")

    @model_validator(mode="after")
    def _ordered(self) -> MLClassifierParams:
        if not self.short_threshold <= self.exit_band <= self.long_threshold:
            raise ValueError("need short_threshold <= exit_band <= long_threshold, was "
                             f"{self.short_threshold}, {self.exit_band}, {self.long_threshold}")
        return self


class MLClassifierStrategy(Strategy):
    """Decides on each closed bar: features from the live window, P(up) from the predictor.

    Target position = +size when P(up) >= long_threshold, -size (or flat without shorts) when
    P(up) <= short_threshold, unchanged inside the band unless the exit band is crossed.
    size = max_quantity × max(min_fraction, confidence), confidence = how far P is past its
    threshold, scaled to [0, 1]. Orders go through the engine's risk checks like any other.
    """

    name = "ml_classifier"
    Params = MLClassifierParams
    model: ClassVar[BoundModel | None] = None

    @classmethod
    def bind(cls, predictor: Predictor, feature_set: FeatureSet,
             extra_provider: ExtraProvider | None = None) -> type[MLClassifierStrategy]:
        """A subclass wired to one model (the runtime does this; strategies stay ML-free)."""
        if list(predictor.feature_names) != feature_set.names:
            raise StrategyError(f"model features {list(predictor.feature_names)} differ from "
                                f"the feature set's {feature_set.names}")
        bound = BoundModel(predictor, feature_set, extra_provider)
        return type(cls.__name__, (cls,), {"model": bound})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.model is None:
            raise StrategyError("ml_classifier needs a model: bind it with "
                                "MLClassifierStrategy.bind(predictor, feature_set)")
        p: MLClassifierParams = self.params
        self._predictor = self.model.predictor
        self._extra_provider = self.model.extra_provider
        if p.up_class not in self._predictor.classes:
            raise StrategyError(f"up_class {p.up_class} is not one of the model's classes "
                                f"{list(self._predictor.classes)}")
        self._up = list(self._predictor.classes).index(p.up_class)
        fs = self.model.feature_set
        self._micro = set(MICRO_COLUMNS) <= fs.required_columns
        self._extra_cols = sorted(c for c in fs.required_columns if c.startswith("ext_"))
        extra = (list(MICRO_COLUMNS) if self._micro else []) + self._extra_cols
        self._window = LiveFeatureWindow(fs, extra)
        self._flow = BarFlowAccumulator()
        self.last_probability: float | None = None
        self.decisions = 0

    def on_trade(self, tick: TradeTick) -> None:
        """Trade flow for microstructure features."""
        self._flow.on_trade(tick.size, tick.aggressor == OrderSide.BUY)

    def on_book(self, book: OrderBook, update: OrderBookSnapshot | OrderBookDeltas) -> None:
        """Top of book for microstructure features."""
        bids, asks = book.bids(1), book.asks(1)
        if bids and asks:
            self._flow.on_top(bids[0].price, bids[0].size, asks[0].price, asks[0].size)

    def on_bar(self, bar: Bar) -> None:
        """Update features with the closed bar, predict, move toward the target position."""
        extra: dict[str, float] | None = None
        if self._micro or self._extra_cols:
            extra = self._flow.close_bar() if self._micro else {}
            if self._extra_cols:
                if self._extra_provider is None:
                    raise StrategyError(f"features {self._extra_cols} need an extra_provider")
                extra.update(self._extra_provider(bar.ts_init))
        self._window.push(bar.ts_init, bar.open, bar.high, bar.low, bar.close, bar.volume, extra)
        row = self._window.latest()
        if row is None or not all(math.isfinite(v) for v in row):
            return
        p_up = float(self._predictor.predict_proba(cast(Sequence[float], row))[self._up])
        self.last_probability = p_up
        self.decisions += 1
        self._trade_toward(self._target(p_up, bar.close), bar.close)

    def _target(self, p_up: float, price: float) -> Decimal | None:
        """Signed target quantity, or None to keep the current position."""
        p: MLClassifierParams = self.params
        pos = self.position()
        if p_up >= p.long_threshold:
            conf = (p_up - p.long_threshold) / (1 - p.long_threshold)
            return self._size(conf, price)
        if p_up <= p.short_threshold:
            if not p.allow_short:
                return Decimal(0)
            conf = (p.short_threshold - p_up) / p.short_threshold
            return -self._size(conf, price)
        if (pos > 0 and p_up < p.exit_band) or (pos < 0 and p_up > p.exit_band):
            return Decimal(0)
        return None

    def _size(self, confidence: float, price: float) -> Decimal:
        """max_quantity scaled by confidence, capped by max_equity_fraction of equity."""
        p: MLClassifierParams = self.params
        frac = max(p.min_fraction, min(1.0, confidence))
        qty = p.max_quantity * Decimal(repr(frac))
        if price > 0:
            equity = self.ctx.equity(self.account_id)
            cap = equity * Decimal(repr(p.max_equity_fraction)) / Decimal(repr(price))
            qty = min(qty, cap)
        return self.ctx.instrument(self.instruments[0]).make_qty(qty)

    def _trade_toward(self, target: Decimal | None, price: float) -> None:
        if target is None or self.ctx.open_orders(self.id):
            return  # keep the band, or wait for the previous orders to fill first
        p: MLClassifierParams = self.params
        pos = self.position()
        if target == pos:
            return
        if pos != 0 and (target == 0 or (target > 0) != (pos > 0)):
            self.close_position()
            pos = Decimal(0)
        if target == 0:
            return
        delta = target - pos
        if pos != 0 and abs(delta) < abs(pos) * Decimal(repr(p.rebalance_fraction)):
            return
        side = OrderSide.BUY if delta > 0 else OrderSide.SELL
        brackets: dict[str, float] = {}
        if pos == 0 and p.stop_loss_pct is not None:
            brackets["stop_loss"] = price * (1 - p.stop_loss_pct if target > 0
                                             else 1 + p.stop_loss_pct)
        if pos == 0 and p.take_profit_pct is not None:
            brackets["take_profit"] = price * (1 + p.take_profit_pct if target > 0
                                               else 1 - p.take_profit_pct)
        if abs(delta) > 0:
            self.submit(side, abs(delta), reduce_only=(pos != 0 and abs(target) < abs(pos)),
                        **brackets)  # type: ignore[arg-type]  # floats are rounded by submit

    def get_state(self) -> dict[str, Any]:
        """The last probability seen (the feature window is re-warmed from history)."""
        return {"last_probability": self.last_probability}

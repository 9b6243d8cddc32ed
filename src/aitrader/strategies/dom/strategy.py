"""Order book imbalance strategy: take the side the book leans to when it is cheap to do so."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import Field, model_validator

from aitrader.core.market_data import OrderBookDeltas, OrderBookSnapshot, QuoteTick, TradeTick
from aitrader.core.order_book import OrderBook
from aitrader.strategies.base import Strategy, StrategyParams
from aitrader.strategies.dom.book_metrics import imbalance, walk_cost
from aitrader.strategies.dom.impact import SqrtImpactModel
from aitrader.strategies.dom.market_stats import NS, TrailingMarketStats


class DomImbalanceParams(StrategyParams):
    """Parameters of the imbalance strategy."""

    levels: int = Field(5, ge=1, le=200, description="book levels per side in the imbalance")
    entry_threshold: float = Field(0.6, gt=0, le=1, description="enter above this imbalance")
    exit_threshold: float = Field(0.0, ge=-1, lt=1,
                                  description="leave a long when imbalance drops below this")
    confirm_updates: int = Field(3, ge=1, le=1000,
                                 description="consecutive book updates beyond the threshold")
    quantity: Decimal = Field(Decimal("0.01"), gt=0, description="base quantity per entry")
    max_cost_bps: float = Field(1.0, gt=0, le=1000,
                                description="skip when walk cost + expected impact exceed this")
    impact_y: float = Field(0.7, gt=0, le=10, description="square-root impact coefficient Y")
    stats_window_s: float = Field(60.0, ge=2, le=86_400,
                                  description="trailing window for volatility and volume")
    max_hold_s: float = Field(30.0, gt=0, le=86_400, description="leave after this long")
    cooldown_s: float = Field(1.0, ge=0, le=3600, description="wait after an exit")
    allow_short: bool = Field(False, description="also sell when the book leans to the asks")

    @model_validator(mode="after")
    def _exit_below_entry(self) -> DomImbalanceParams:
        if self.exit_threshold >= self.entry_threshold:
            raise ValueError(
                f"exit_threshold must be < entry_threshold, was {self.exit_threshold} >= "
                f"{self.entry_threshold}")
        return self


class DomImbalance(Strategy):
    """Decides on each book update from the book as it is now and the trades seen so far.

    Imbalance over ``levels`` levels above ``entry_threshold`` for ``confirm_updates``
    updates in a row → buy ``quantity`` at market, but only when the cost of walking the ask
    side for it (vs mid, so half the spread included) plus the square-root impact estimate
    ``impact_y x sigma x sqrt(Q / V)`` (sigma and V over the trailing ``stats_window_s``) is at
    most ``max_cost_bps``. The position is closed at market when the imbalance falls below
    ``exit_threshold`` or after ``max_hold_s``. Shorts mirror this when allowed.
    """

    name = "dom_imbalance"
    Params = DomImbalanceParams

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        p: DomImbalanceParams = self.params
        self._p = p
        self._qty = float(p.quantity)
        self.stats = TrailingMarketStats(int(p.stats_window_s * NS))
        self._streak = 0  # > 0 bid-heavy updates in a row, < 0 ask-heavy
        self._entered_ns: int | None = None
        self._last_exit_ns: int | None = None
        self.skipped_for_cost = 0  # signals refused because the order would cost too much
        self.skipped_unknown_cost = 0  # signals while volatility/volume were still unknown
        self.last_cost_bps: float | None = None

    def on_trade(self, tick: TradeTick) -> None:
        """Trades feed the volume estimate."""
        self.stats.on_trade(tick.ts_init, tick.size)

    def on_quote(self, quote: QuoteTick) -> None:
        """Quotes feed the volatility estimate."""
        self.stats.on_mid(quote.ts_init, (quote.bid + quote.ask) / 2.0)

    def on_book(self, book: OrderBook, update: OrderBookSnapshot | OrderBookDeltas) -> None:
        """Measure the book and act."""
        p = self._p
        now = update.ts_init
        mid = book.mid()
        if mid is None:
            return
        self.stats.on_mid(now, mid)
        bids, asks = book.bids(p.levels), book.asks(p.levels)
        imb = imbalance(bids, asks, p.levels)
        if imb >= p.entry_threshold:
            self._streak = self._streak + 1 if self._streak > 0 else 1
        elif imb <= -p.entry_threshold:
            self._streak = self._streak - 1 if self._streak < 0 else -1
        else:
            self._streak = 0
        pos = self.position()
        if pos != 0:
            held_ns = now - (self._entered_ns or now)
            against = imb < p.exit_threshold if pos > 0 else imb > -p.exit_threshold
            if against or held_ns >= p.max_hold_s * NS:
                self.close_position()
                self._entered_ns = None
                self._last_exit_ns = now
            return
        if self.ctx.open_orders(self.id) or abs(self._streak) < p.confirm_updates:
            return
        if self._last_exit_ns is not None and now - self._last_exit_ns < p.cooldown_s * NS:
            return
        buy = self._streak > 0
        if not buy and not p.allow_short:
            return
        cost = self.expected_cost_bps(book, mid, buy, now)
        if cost is None:
            self.skipped_unknown_cost += 1
            return
        self.last_cost_bps = cost
        if cost > p.max_cost_bps:
            self.skipped_for_cost += 1
            return
        (self.buy if buy else self.sell)(p.quantity, tag="dom_imbalance")
        self._entered_ns = now

    def expected_cost_bps(self, book: OrderBook, mid: float, buy: bool, now_ns: int
                          ) -> float | None:
        """Walk cost of ``quantity`` plus the square-root impact; None while the trailing
        statistics are still missing or the book cannot fill the size."""
        walk = walk_cost(book.asks(100) if buy else book.bids(100), self._qty, mid, buy)
        if not walk.complete:  # a big order for this book: look at the whole side
            walk = walk_cost(book.asks() if buy else book.bids(), self._qty, mid, buy)
        sigma = self.stats.sigma_bps()
        volume = self.stats.volume_per_interval(now_ns)
        if not walk.complete or sigma is None or volume <= 0:
            return None
        model = SqrtImpactModel(self._p.impact_y, sigma, volume)
        return walk.cost_bps + model.impact_bps(self._qty)

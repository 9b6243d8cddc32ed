"""Book-replay backtests: the one engine on a recorded L2 + trades feed, the simulator
matching market orders against the replayed book (walking its levels) and resting orders
against printed trades."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from aitrader.core.account import Account
from aitrader.core.enums import AccountType, AssetClass
from aitrader.core.errors import DataError
from aitrader.core.events import OrderFilled
from aitrader.core.ids import AccountId
from aitrader.core.instrument import Instrument
from aitrader.core.market_data import MarketData, OrderBookSnapshot, TradeTick
from aitrader.engine.clock import SimClock
from aitrader.engine.trading_engine import TradingEngine
from aitrader.portfolio.closed_trade import ClosedTrade
from aitrader.portfolio.portfolio import Portfolio
from aitrader.portfolio.statistics import PerformanceStats, compute_stats
from aitrader.portfolio.trade_log import TradeLog
from aitrader.risk.pre_trade import PreTradeRisk
from aitrader.runtime.backtest import infer_tick_size
from aitrader.runtime.gc_tuning import relaxed_gc
from aitrader.strategies.registry import StrategyRegistry
from aitrader.venues.simulated.exchange import SimulatedExchange
from aitrader.venues.simulated.fill_models import FeeModel

ACCOUNT = AccountId("book_backtest")
NS = 1_000_000_000


@dataclass
class BookBacktestRequest:
    """A recorded feed (one instrument, time-ordered) and how to trade it."""

    events: Sequence[MarketData]
    strategy: str
    params: dict[str, Any] = field(default_factory=dict)
    fee_rate: Decimal = Decimal("0.0005")
    maker_fee_rate: Decimal | None = None
    starting_cash: Decimal = Decimal(100_000)
    base_currency: str = "BTC"
    quote_currency: str = "USDT"
    tick_size: Decimal | None = None
    lot_size: Decimal = Decimal("0.00001")
    account_type: AccountType = AccountType.MARGIN
    leverage: Decimal = Decimal(1)
    sample_every_ns: int = NS
    registry: StrategyRegistry | None = None


@dataclass
class BookBacktestResult:
    """Trades, a sampled equity curve and statistics of one replay."""

    trades: list[ClosedTrade]
    stats: PerformanceStats
    ts_ns: npt.NDArray[np.int64]
    equity: npt.NDArray[np.float64]
    events_processed: int
    elapsed_s: float
    orders: int
    fills: int
    final_cash: Decimal
    final_equity: Decimal
    open_position: Decimal
    engine: TradingEngine = field(repr=False)


def run_book_backtest(req: BookBacktestRequest) -> BookBacktestResult:
    """Replay ``req.events`` through the engine with one strategy on their instrument."""
    events = req.events
    if not events:
        raise DataError("a book backtest needs at least one event, was given none")
    iid = events[0].instrument_id
    if any(e.instrument_id != iid for e in events):
        raise DataError(f"a book backtest replays one instrument, the feed mixes {iid} "
                        f"with others")
    if not any(isinstance(e, OrderBookSnapshot) for e in events):
        raise DataError("a book backtest needs an order book snapshot in the feed")
    inst = Instrument(iid, AssetClass.CRYPTO, req.base_currency, req.quote_currency,
                      tick_size=req.tick_size or _tick_size(events), lot_size=req.lot_size)
    clock = SimClock(events[0].ts_init)
    portfolio = Portfolio()
    portfolio.add_account(Account(ACCOUNT, iid.venue, req.quote_currency,
                                  {req.quote_currency: req.starting_cash}, req.account_type,
                                  req.leverage))
    maker = req.fee_rate if req.maker_fee_rate is None else req.maker_fee_rate
    venue = SimulatedExchange(iid.venue, [inst], clock, portfolio, FeeModel(maker, req.fee_rate))
    engine = TradingEngine(clock, {iid.venue: venue}, portfolio, PreTradeRisk(portfolio))
    log = TradeLog({iid: inst.multiplier})
    engine.bus.subscribe(OrderFilled, log.on_fill)
    registry = req.registry or StrategyRegistry.default()
    engine.add_strategy(registry.get(req.strategy)("bt", ACCOUNT, [iid], req.params))

    curve = _EquitySampler(portfolio, req.sample_every_ns, float(req.starting_cash))
    with relaxed_gc():
        started = time.perf_counter()
        engine.start()
        n = engine.run(curve.watch(events))
        engine.stop()
        elapsed = time.perf_counter() - started
    curve.sample(events[-1].ts_init)
    ts, equity, in_market = curve.arrays()
    account = portfolio.account(ACCOUNT)
    fees = account.fees.get(req.quote_currency, Decimal(0))
    # ratios come from daily closes (compute_stats): a feed shorter than two days has none
    stats = compute_stats(ts, equity, in_market, log.closed, fees, 365)
    return BookBacktestResult(
        trades=log.closed, stats=stats, ts_ns=ts, equity=equity, events_processed=n,
        elapsed_s=elapsed, orders=len(engine.orders.orders()), fills=portfolio.fill_count,
        final_cash=account.cash(req.quote_currency),
        final_equity=portfolio.equity(ACCOUNT, req.quote_currency),
        open_position=portfolio.net_quantity(ACCOUNT, iid), engine=engine,
    )


def _tick_size(events: Sequence[MarketData]) -> Decimal:
    """The power-of-ten tick of the first snapshot's best levels and the first trades."""
    snap = next(e for e in events if isinstance(e, OrderBookSnapshot))
    prices = [lvl.price for lvl in snap.bids[:50] + snap.asks[:50]]
    prices += [e.price for e in events[:20_000] if isinstance(e, TradeTick)]
    return infer_tick_size(np.asarray(prices, dtype=np.float64))


class _EquitySampler:
    """Equity (float, at the marks) once per ``every_ns`` of feed time."""

    def __init__(self, portfolio: Portfolio, every_ns: int, start: float) -> None:
        if every_ns <= 0:
            raise DataError(f"sample_every_ns must be > 0, was {every_ns}")
        self._portfolio = portfolio
        self._every = every_ns
        self._next: int | None = None
        self.ts: list[int] = []
        self.values: list[float] = []
        self.held: list[bool] = []
        self._start = start

    def watch(self, events: Sequence[MarketData]) -> Iterator[MarketData]:
        """Pass events through, sampling before the first event of each new period."""
        for ev in events:
            ts = ev.ts_init
            if self._next is None:
                self._next = ts
            if ts >= self._next:
                self.sample(ts)
                self._next = ts - (ts - self._next) % self._every + self._every
            yield ev

    def sample(self, ts: int) -> None:
        """Record equity now."""
        p = self._portfolio
        self.ts.append(ts)
        self.values.append(p.equity_float(ACCOUNT) if len(self.ts) > 1 else self._start)
        self.held.append(p.has_exposure(ACCOUNT))

    def arrays(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64],
                              npt.NDArray[np.bool_]]:
        """(ts, equity, in market) as numpy arrays."""
        return (np.asarray(self.ts, dtype=np.int64), np.asarray(self.values),
                np.asarray(self.held, dtype=np.bool_))

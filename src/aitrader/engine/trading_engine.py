"""The engine loop: market data → venues → portfolio → strategies; orders back through risk."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence, Sized
from decimal import Decimal
from typing import cast

from aitrader.core import events as ev
from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import OrderSide, OrderType, TimeInForce
from aitrader.core.errors import DataError, StrategyError
from aitrader.core.events import OrderFilled
from aitrader.core.ids import AccountId, ClientOrderId, InstrumentId, StrategyId
from aitrader.core.instrument import Instrument
from aitrader.core.market_data import (
    Bar,
    MarketData,
    OrderBookDeltas,
    OrderBookSnapshot,
    QuoteTick,
    TradeTick,
)
from aitrader.core.order import Order
from aitrader.core.order_book import OrderBook
from aitrader.core.order_terms import Number, submit_command
from aitrader.core.ports import OrderJournal, PositionSizing, PreTradeCheck, RiskMonitor, Venue
from aitrader.data.bar_arrays import BarArrays
from aitrader.engine.bus import MessageBus
from aitrader.engine.clock import LiveClock, SimClock
from aitrader.engine.contingent_orders import ContingentOrders
from aitrader.engine.indicator_feed import IndicatorFeed
from aitrader.engine.kill_switch import KillSwitch
from aitrader.engine.order_manager import OrderManager
from aitrader.engine.risk_hooks import EngineRiskHooks
from aitrader.engine.sparse_replay import replay_sparse, wake_masks
from aitrader.engine.strategy_runner import StrategyRunner
from aitrader.portfolio.portfolio import Portfolio
from aitrader.risk.position_sizer import PositionSizer
from aitrader.strategies.bar_indicators import BarIndicator, IndicatorSpec
from aitrader.strategies.base import Strategy

log = logging.getLogger("aitrader.trading")
BATCH_MIN_BARS = 100_000
"""Array runs at least this long batch-compute indicator handles (shorter ones stream them)."""


class TradingEngine:
    """One engine for backtest, paper and live: the clock, feed and venues are what differ."""

    def __init__(
        self,
        clock: SimClock | LiveClock,
        venues: Mapping[str, Venue],
        portfolio: Portfolio,
        risk: PreTradeCheck,
        journal: OrderJournal | None = None,
        bus: MessageBus | None = None,
    ) -> None:
        self.clock = clock
        self.bus = bus or MessageBus()
        self.portfolio = portfolio
        self.venues = dict(venues)
        self.orders = OrderManager(clock, self.venues, risk, self._on_order_event, journal)
        self._contingent = ContingentOrders(self.orders)
        self.strategies = StrategyRunner(self.bus, clock)
        self.indicators = IndicatorFeed()
        self._books: dict[InstrumentId, OrderBook] = {}
        self._venue_of: dict[InstrumentId, Venue] = {}
        for venue in self.venues.values():
            venue.bind(self.orders.apply)
            for inst in venue.instruments():
                portfolio.add_instrument(inst)
                self._venue_of[inst.id] = venue
        # risk hooks: the monitor sees bars and fills; the kill switch closes everything
        self.kill_switch = KillSwitch(self.orders, portfolio, clock, self._strategies_of,
                                      self.bus.publish)
        self.risk_monitor = risk if isinstance(risk, RiskMonitor) else None
        self._risk_bar: Callable[[Bar], None] | None = None
        self.sizer: PositionSizing = getattr(risk, "sizer", None) or PositionSizer(portfolio)
        if self.risk_monitor is not None:
            self.risk_monitor.attach(EngineRiskHooks(self.orders, self.bus, self.kill_switch))
            self.bus.subscribe(ev.PositionChanged, self.risk_monitor.on_position_changed)
            if self.risk_monitor.wants_bars:
                self._risk_bar = self.risk_monitor.on_bar

    def _strategies_of(self, account_id: AccountId) -> list[StrategyId]:
        return [s.id for s in self.strategies.all() if s.account_id == account_id]

    def prepare(self, cmd: SubmitOrder) -> SubmitOrder:
        """The order as risk will check it (protective levels attached when configured)."""
        return cmd if self.risk_monitor is None else self.risk_monitor.prepare(cmd)

    def kill(self, reason: str = "kill switch", scope: str = "all") -> ev.KillSwitchActivated:
        """Emergency flatten: halt new entries in ``scope`` (when risk can halt), cancel every
        working order and close every position there. Idempotent."""
        halt = getattr(self.risk_monitor, "halt", None)
        if halt is not None:
            halt(f"kill switch: {reason}", scope)
        return self.kill_switch.flatten(scope, reason)

    # --- strategies ---------------------------------------------------------------------------
    def add_strategy(self, strategy: Strategy) -> None:
        """Attach a strategy (its account must exist in the portfolio)."""
        self.portfolio.account(strategy.account_id)
        for iid in strategy.instruments:
            if self.portfolio.instrument(iid) is None:
                raise StrategyError(f"strategy {strategy.id}: no venue trades instrument {iid}")
        self.strategies.add(strategy, _StrategyContext(self))

    def start(self) -> None:
        """Call every strategy's ``on_start``."""
        self.strategies.start_all()

    def stop(self) -> None:
        """Call every strategy's ``on_stop``."""
        self.strategies.stop_all()

    # --- data ---------------------------------------------------------------------------------
    def run(self, feed: Iterable[MarketData]) -> int:
        """Drive the engine through a feed; returns how many items were processed."""
        n = 0
        for item in feed:
            self.on_data(item)
            n += 1
        return n

    def run_bars(self, bars: Iterable[Bar]) -> int:
        """Drive the engine through bars only: the steps of :meth:`on_bar` with the lookups
        hoisted out of the loop (a replay's hot path). A venue's ``on_bar`` runs only
        while it has orders working on the bar's instrument; the mark is written straight
        into the portfolio's store and a simulated clock is moved in the loop. Returns how many
        bars were seen."""
        if type(self.clock) is not SimClock:  # live clocks move by themselves
            return self._run_bars_live(bars)
        return self._replay(bars)

    def run_bar_arrays(self, bars: BarArrays, instrument_id: InstrumentId,
                       batch_indicators: bool | None = None) -> int:
        """Drive the engine through one instrument's bars given as columns (the backtest's hot
        path): call after :meth:`start`, so that the indicator handles strategies register in
        ``on_start`` get their values batch-computed once over the whole columns and handed
        out bar by bar; otherwise :meth:`run_bars`. Returns how many bars were seen.

        ``batch_indicators`` None batches from :data:`BATCH_MIN_BARS` bars on: below that the
        twins stream (the same values), which spares a short run the one-off cost of loading
        the numba kernels (~0.3 s per process). When batching, and every strategy on the
        instrument declared a wake condition over batch-computed handles (and no risk monitor
        watches bars), the loop skips the bars where no strategy wakes and no order works
        (:mod:`aitrader.engine.sparse_replay`)."""
        if batch_indicators is None:
            batch_indicators = len(bars) >= BATCH_MIN_BARS
        if type(self.clock) is not SimClock or not batch_indicators:
            return self.run_bars(bars.iter_bars(instrument_id))
        run = self.indicators.begin_arrays(instrument_id, bars)
        try:
            streams = self.indicators.streams(instrument_id)
            routes = self.strategies.bar_routes
            masks = None
            if self._risk_bar is None and len(streams) == len(run.handles):
                masks = wake_masks(routes.get(instrument_id, ()), run, len(bars))
            if masks is None:
                run.stream()
                return self._replay(bars.iter_bars(instrument_id))
            return replay_sparse(bars, instrument_id, self.clock,
                                 self._venue_of[instrument_id], self.portfolio.mark_store(),
                                 routes, streams, run, masks, self.strategies.fail)
        finally:
            self.indicators.end_arrays(run, bars)

    def _replay(self, bars: Iterable[Bar]) -> int:
        """The bar loop on a simulated clock."""
        clock = cast(SimClock, self.clock)
        venue_of = self._venue_of
        marks = self.portfolio.mark_store()
        routes = self.strategies.bar_routes  # kept current by the runner
        streams_of = self.indicators.streams  # each list kept current by the feed
        fail = self.strategies.fail
        risk_bar = self._risk_bar
        last_iid: InstrumentId | None = None
        venue_bar: Callable[[Bar], None] = _no_venue
        pending: Sized = ()
        streams: list[BarIndicator] = []
        n = 0
        for n, bar in enumerate(bars, 1):  # noqa: B007 - n is the count returned
            iid = bar.instrument_id
            if iid is not last_iid:  # a replay of one instrument looks its venue up once
                venue = venue_of[iid]
                venue_bar, pending, last_iid = venue.on_bar, venue.pending_for(iid), iid
                streams = streams_of(iid)
            ts = bar.ts_init
            if ts < clock.ns:
                raise DataError(f"time went backwards: {ts} after {clock.ns}")
            clock.ns = ts
            if pending:
                venue_bar(bar)
            marks[iid] = bar.close
            if risk_bar is not None:
                risk_bar(bar)
            if streams:  # indicator handles: batch values or their twins
                for handle in streams:
                    handle.value = handle.feed(bar)
            for strategy in routes.get(iid, ()):
                try:
                    wake = strategy.wake
                    if wake is None or wake.step():
                        strategy.on_bar(bar)
                except Exception as exc:  # a bug stops that strategy only
                    fail(strategy, "on_bar", exc)
        return n

    def _run_bars_live(self, bars: Iterable[Bar]) -> int:
        n = 0
        for n, bar in enumerate(bars, 1):  # noqa: B007 - n is the count returned
            self.on_bar(bar)
        return n

    def on_data(self, item: MarketData) -> None:
        """Process one market data item at its ``ts_init``."""
        self.clock.advance_to(item.ts_init)
        if type(item) is Bar:
            self.on_bar(item)
        elif isinstance(item, TradeTick):
            self.venues[item.instrument_id.venue].on_trade(item)
            self.portfolio.update_mark(item.instrument_id, item.price)
            self.strategies.on_trade(item)
        elif isinstance(item, QuoteTick):
            self.portfolio.update_mark(item.instrument_id, (item.bid + item.ask) / 2.0)
            self.strategies.on_quote(item)
        elif isinstance(item, OrderBookSnapshot | OrderBookDeltas):
            self._on_book(item)

    def on_bar(self, bar: Bar) -> None:
        """A bar closed: the venue matches on it first, then marks, then strategies decide."""
        self.clock.advance_to(bar.ts_init)
        venue = self._venue_of[bar.instrument_id]
        if venue.pending_for(bar.instrument_id):
            venue.on_bar(bar)
        self.portfolio.update_mark(bar.instrument_id, bar.close)
        if self._risk_bar is not None:
            self._risk_bar(bar)
        self.indicators.on_bar(bar)
        self.strategies.on_bar(bar)

    def _on_book(self, update: OrderBookSnapshot | OrderBookDeltas) -> None:
        iid = update.instrument_id
        book = self._books.get(iid)
        if book is None:
            book = self._books[iid] = OrderBook(iid)
        if isinstance(update, OrderBookSnapshot):
            book.apply_snapshot(update)
        else:
            book.apply_deltas(update)
        self.venues[iid.venue].on_book(update)
        mid = book.mid()
        if mid is not None:
            self.portfolio.update_mark(iid, mid)
        self.strategies.on_book(book, update)

    def book(self, instrument_id: InstrumentId) -> OrderBook | None:
        """The engine's current L2 book of an instrument."""
        return self._books.get(instrument_id)

    # --- events -------------------------------------------------------------------------------
    def _on_order_event(self, order: Order, event: ev.OrderEvent) -> None:
        """Called by the order manager after it applied an event: book fills, then notify.
        (Compiled: ``self.bus.publish(...)`` is a direct call; a bound method kept in a local
        would be a generic Python call.)"""
        bus = self.bus
        if type(event) is OrderFilled:
            changed = self.portfolio.apply_fill(event)
            contingent = self._contingent
            if order.stop_loss is not None or order.take_profit is not None \
                    or order.linked_order_ids:
                contingent.on_fill(order, event)
            if contingent.protects_anything:
                contingent.on_position_changed(changed)
            bus.publish(event)
            bus.publish(changed)
            self.strategies.on_fill(event)
        else:
            bus.publish(event)
            self.strategies.on_order_event(order.strategy_id, event)


def _no_venue(bar: Bar) -> None:
    """Placeholder before the first bar's venue is looked up (never called)."""
    raise AssertionError(f"no venue looked up for {bar.instrument_id}")


class _StrategyContext:
    """The engine as one strategy sees it (implements StrategyContext)."""

    __slots__ = ("_engine",)

    def __init__(self, engine: TradingEngine) -> None:
        self._engine = engine

    def now_ns(self) -> int:
        return self._engine.clock.now_ns()

    def next_order_id(self, strategy_id: StrategyId) -> ClientOrderId:
        return self._engine.orders.next_order_id(strategy_id)

    def submit_order(self, cmd: SubmitOrder) -> Order:
        engine = self._engine
        monitor = engine.risk_monitor  # TradingEngine.prepare, inlined (once per order)
        return engine.orders.submit(cmd if monitor is None else monitor.prepare(cmd))

    def submit_terms(
        self, strategy_id: StrategyId, account_id: AccountId, instrument_id: InstrumentId,
        side: OrderSide, order_type: OrderType, quantity: Number, price: Number | None,
        trigger_price: Number | None, trailing_offset: Number | None,
        time_in_force: TimeInForce, reduce_only: bool, post_only: bool,
        stop_loss: Number | None, take_profit: Number | None, tag: str,
    ) -> Order:
        engine = self._engine
        inst = engine.portfolio.instrument(instrument_id)
        if inst is None:
            raise StrategyError(f"unknown instrument {instrument_id}")
        return self.submit_order(submit_command(
            engine.orders.next_order_id(strategy_id), strategy_id, account_id, inst, side,
            order_type, quantity, price, trigger_price, trailing_offset, time_in_force,
            reduce_only, post_only, stop_loss, take_profit, tag))

    def cancel_order(self, client_order_id: ClientOrderId) -> None:
        self._engine.orders.cancel(client_order_id)

    def modify_order(
        self,
        client_order_id: ClientOrderId,
        quantity: Decimal | None = None,
        price: Decimal | None = None,
        trigger_price: Decimal | None = None,
    ) -> None:
        self._engine.orders.modify(client_order_id, quantity, price, trigger_price)

    def instrument(self, instrument_id: InstrumentId) -> Instrument:
        inst = self._engine.portfolio.instrument(instrument_id)
        if inst is None:
            raise StrategyError(f"unknown instrument {instrument_id}")
        return inst

    def position_quantity(self, strategy_id: StrategyId, instrument_id: InstrumentId) -> Decimal:
        pos = self._engine.portfolio.ledger.position(strategy_id, instrument_id)
        return Decimal(0) if pos is None else pos.quantity

    def open_orders(self, strategy_id: StrategyId) -> Sequence[Order]:
        return self._engine.orders.open_orders(strategy_id)

    def equity(self, account_id: AccountId) -> Decimal:
        return self._engine.portfolio.equity(account_id)

    def subscribe(self, strategy_id: StrategyId, instrument_id: InstrumentId) -> None:
        self._engine.strategies.subscribe(strategy_id, instrument_id)

    def indicator(self, strategy_id: StrategyId, instrument_id: InstrumentId,
                  spec: IndicatorSpec) -> BarIndicator:
        self.instrument(instrument_id)  # StrategyError for an instrument no venue trades
        return self._engine.indicators.register(strategy_id, instrument_id, spec)

    def sizer(self) -> PositionSizing:
        return self._engine.sizer

"""Runs strategy callbacks inside a guard: a strategy's bug becomes an event, not a dead engine."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from aitrader.core import events as ev
from aitrader.core.ids import InstrumentId, StrategyId
from aitrader.core.market_data import (
    Bar,
    OrderBookDeltas,
    OrderBookSnapshot,
    QuoteTick,
    TradeTick,
)
from aitrader.core.order_book import OrderBook
from aitrader.core.ports import Clock
from aitrader.engine.bus import MessageBus
from aitrader.strategies.base import Strategy
from aitrader.strategies.context import StrategyContext

log = logging.getLogger("aitrader.trading")


class StrategyRunner:
    """Holds strategies, routes data and events to them, and stops one that raises."""

    def __init__(self, bus: MessageBus, clock: Clock) -> None:
        self._bus = bus
        self._clock = clock
        self._strategies: dict[StrategyId, Strategy] = {}
        self._running: set[StrategyId] = set()
        self._by_instrument: dict[InstrumentId, list[Strategy]] = {}
        # running strategies per instrument that override on_bar: updated in place on
        # start/stop/subscribe/error, so the engine's bar loop may hold the dict (bar_routes)
        self._bar_handlers: dict[InstrumentId, tuple[Strategy, ...]] = {}
        # running strategies that override on_fill / on_order_event: one lookup per event
        self._fill_handlers: dict[StrategyId, Strategy] = {}
        self._event_handlers: dict[StrategyId, Strategy] = {}

    def add(self, strategy: Strategy, ctx: StrategyContext) -> None:
        """Register and attach a strategy."""
        if strategy.id in self._strategies:
            raise ValueError(f"strategy id {strategy.id!r} is already in use")
        self._strategies[strategy.id] = strategy
        strategy.attach(ctx)

    def subscribe(self, strategy_id: StrategyId, instrument_id: InstrumentId) -> None:
        """Route an instrument's data to a strategy."""
        subs = self._by_instrument.setdefault(instrument_id, [])
        strategy = self._strategies[strategy_id]
        if strategy not in subs:
            subs.append(strategy)
        self._rebuild()

    def _rebuild(self) -> None:
        routes = {
            iid: tuple(s for s in subs if s.id in self._running and _overrides(s, "on_bar"))
            for iid, subs in self._by_instrument.items()
        }
        self._bar_handlers.clear()
        self._bar_handlers.update(routes)
        running = [self._strategies[sid] for sid in self._running]
        self._fill_handlers = {s.id: s for s in running if _overrides(s, "on_fill")}
        self._event_handlers = {s.id: s for s in running if _overrides(s, "on_order_event")}

    @property
    def bar_routes(self) -> dict[InstrumentId, tuple[Strategy, ...]]:
        """Live view (kept current, never replaced): instrument → strategies that take its bars.
        A loop that calls them itself must step each one's ``wake`` condition (when set) and
        call ``on_bar`` only when it holds, and route an exception to :meth:`fail`."""
        return self._bar_handlers

    def get(self, strategy_id: StrategyId) -> Strategy | None:
        """A strategy by id."""
        return self._strategies.get(strategy_id)

    def all(self) -> list[Strategy]:
        """Every strategy added."""
        return list(self._strategies.values())

    def is_running(self, strategy_id: StrategyId) -> bool:
        """True between start and stop (or an error)."""
        return strategy_id in self._running

    def start_all(self) -> None:
        """Start every strategy not yet running."""
        for sid in list(self._strategies):
            self.start(sid)

    def start(self, strategy_id: StrategyId) -> None:
        """Start one strategy that is not running (its on_start runs once per start)."""
        strategy = self._strategies[strategy_id]
        if strategy_id not in self._running:
            self._running.add(strategy_id)
            self._rebuild()
            self._guard(strategy, "on_start", strategy.on_start)

    def stop_all(self) -> None:
        """Stop every running strategy."""
        for sid in list(self._running):
            self.stop(sid)

    def stop(self, strategy_id: StrategyId) -> None:
        """Stop one strategy (its on_stop runs once)."""
        if strategy_id in self._running:
            self._running.discard(strategy_id)
            self._rebuild()
            strategy = self._strategies[strategy_id]
            self._guard(strategy, "on_stop", strategy.on_stop)

    # --- routing ------------------------------------------------------------------------------
    def on_bar(self, bar: Bar) -> None:
        """Deliver a bar to its subscribers."""
        for strategy in self._bar_handlers.get(bar.instrument_id, ()):
            try:
                wake = strategy.wake
                if wake is None or wake.step():
                    strategy.on_bar(bar)
            except Exception as exc:  # the guard is the point: a bug stops one strategy only
                self.fail(strategy, "on_bar", exc)

    def on_trade(self, tick: TradeTick) -> None:
        """Deliver a trade tick."""
        for strategy in self._by_instrument.get(tick.instrument_id, ()):
            self._call(strategy, "on_trade", strategy.on_trade, tick)

    def on_quote(self, quote: QuoteTick) -> None:
        """Deliver a quote."""
        for strategy in self._by_instrument.get(quote.instrument_id, ()):
            self._call(strategy, "on_quote", strategy.on_quote, quote)

    def on_book(self, book: OrderBook, update: OrderBookSnapshot | OrderBookDeltas) -> None:
        """Deliver a book change."""
        for strategy in self._by_instrument.get(update.instrument_id, ()):
            self._call(strategy, "on_book", strategy.on_book, book, update)

    def on_fill(self, fill: ev.OrderFilled) -> None:
        """Deliver a fill to the strategy that placed the order."""
        strategy = self._fill_handlers.get(fill.strategy_id)
        if strategy is not None:
            try:
                strategy.on_fill(fill)
            except Exception as exc:
                self.fail(strategy, "on_fill", exc)

    def on_order_event(self, strategy_id: StrategyId, event: ev.OrderEvent) -> None:
        """Deliver another order event to its strategy."""
        strategy = self._event_handlers.get(strategy_id)
        if strategy is not None:
            try:
                strategy.on_order_event(event)
            except Exception as exc:
                self.fail(strategy, "on_order_event", exc)

    # --- guard --------------------------------------------------------------------------------
    def _call(self, strategy: Strategy, name: str, fn: Callable[..., Any], *args: Any) -> None:
        if strategy.id in self._running:
            try:
                fn(*args)
            except Exception as exc:
                self.fail(strategy, name, exc)

    def _guard(self, strategy: Strategy, name: str, fn: Callable[[], None]) -> None:
        try:
            fn()
        except Exception as exc:
            self.fail(strategy, name, exc)

    def fail(self, strategy: Strategy, callback: str, exc: Exception) -> None:
        """Stop a strategy whose ``callback`` raised ``exc`` and publish StrategyErrored."""
        log.exception("strategy %s raised in %s; it is stopped", strategy.id, callback)
        self._running.discard(strategy.id)
        self._rebuild()
        self._bus.publish(
            ev.StrategyErrored(
                strategy.id, callback, f"{type(exc).__name__}: {exc}", self._clock.now_ns()
            )
        )


def _overrides(strategy: Strategy, hook: str) -> bool:
    """True when the strategy's class replaces the base class's no-op ``hook``."""
    return getattr(type(strategy), hook) is not getattr(Strategy, hook)


"""The running paper node as a service: the engine lives on one thread that owns it; the API and
other threads hand it commands through a queue and wait for the answer (an actor, no locks)."""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from typing import Any, TypeVar

from aitrader.core import events as ev
from aitrader.core.errors import AitraderError
from aitrader.core.ids import StrategyId
from aitrader.core.market_data import Bar
from aitrader.engine.trading_engine import TradingEngine
from aitrader.runtime.paper import PaperNode
from aitrader.runtime.service_cache import BarCache, InMemoryBarCache
from aitrader.runtime.service_orders import OrderView

log = logging.getLogger("aitrader.system")
T = TypeVar("T")
Listener = Callable[[str, dict[str, Any]], None]


class ServiceStopped(AitraderError):
    """The trading service is not running, so it cannot take commands."""


class TradingService:
    """Owns a :class:`PaperNode` on its own thread. Every read or change of engine state runs on
    that thread via :meth:`call` / :meth:`acall`, between bars, so the order manager and the
    portfolio are never touched by two threads at once."""

    def __init__(
        self,
        node: PaperNode,
        feed: Iterable[Bar],
        seconds_per_bar: float,
        cache: BarCache | None = None,
        on_stop: Callable[[PaperNode], None] | None = None,
        autostart: set[StrategyId] | None = None,
        between_bars: Callable[[], object] | None = None,
        orders: OrderView | None = None,
    ) -> None:
        self.node = node
        self._between_bars = between_bars
        self._feed = feed
        self._pace = seconds_per_bar
        self.cache = cache or InMemoryBarCache()
        self._on_stop = on_stop
        self._autostart = autostart
        self.orders = orders or OrderView()
        self._commands: queue.SimpleQueue[tuple[Callable[[TradingEngine], Any], Future[Any]]] = (
            queue.SimpleQueue())
        self._listeners: list[Listener] = []
        self._listeners_lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.bars = 0
        self.feed_ended = False
        self.started_ns = 0
        self._subscribe_engine_events()

    # --- lifecycle ----------------------------------------------------------------------------
    def start(self) -> None:
        """Start the engine thread (strategies' on_start runs there)."""
        if self._thread is not None:
            return
        self.started_ns = time.time_ns()
        self._thread = threading.Thread(target=self._run, name="aitrader-engine", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        """Stop the strategies, save state, and end the thread."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    @property
    def running(self) -> bool:
        """True while the engine thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    # --- commands -----------------------------------------------------------------------------
    def submit(self, fn: Callable[[TradingEngine], T]) -> Future[T]:
        """Queue ``fn(engine)`` for the engine thread; the future holds its result or error."""
        fut: Future[T] = Future()
        if threading.current_thread() is self._thread:
            _resolve(fn, self.node.engine, fut)
            return fut
        if not self.running or self._stopping.is_set():
            fut.set_exception(ServiceStopped("the trading engine is not running"))
            return fut
        self._commands.put((fn, fut))
        return fut

    def call(self, fn: Callable[[TradingEngine], T], timeout_s: float = 10.0) -> T:
        """Run ``fn(engine)`` on the engine thread and wait for its result."""
        return self.submit(fn).result(timeout_s)

    async def acall(self, fn: Callable[[TradingEngine], T]) -> T:
        """:meth:`call` for async code: awaits without blocking the event loop."""
        return await asyncio.wrap_future(self.submit(fn))

    # --- events -------------------------------------------------------------------------------
    def add_listener(self, listener: Listener) -> None:
        """Call ``listener(topic, payload)`` on the engine thread for each event; it must be
        quick and thread-safe (e.g. ``loop.call_soon_threadsafe``)."""
        with self._listeners_lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        """Stop calling ``listener``."""
        with self._listeners_lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def emit(self, topic: str, payload: dict[str, Any]) -> None:
        """Send an event to every listener (a listener that raises is logged and skipped)."""
        with self._listeners_lock:
            listeners = tuple(self._listeners)
        for listener in listeners:
            try:
                listener(topic, payload)
            except Exception:  # one broken client must not stop the engine
                log.exception("event listener failed on %s", topic)

    def _subscribe_engine_events(self) -> None:
        bus = self.node.engine.bus
        bus.subscribe(ev.OrderFilled, lambda e: self.emit("fill", _fill_payload(e)))
        bus.subscribe(ev.OrderEvent, self._on_order_event)
        bus.subscribe(ev.PositionChanged, lambda e: self.emit("position", {
            "account_id": e.account_id, "instrument_id": str(e.instrument_id),
            "quantity": str(e.quantity), "avg_price": str(e.avg_price),
            "realized_pnl": str(e.realized_pnl), "ts_event": e.ts_event}))
        bus.subscribe(ev.CircuitBreakerTripped, lambda e: self.emit("breaker", {
            "name": e.breaker, "engaged": True, "scope": e.scope, "reason": e.reason,
            "ts_event": e.ts_event}))
        bus.subscribe(ev.CircuitBreakerReset, lambda e: self.emit("breaker", {
            "name": e.breaker, "engaged": False, "scope": e.scope, "reason": e.reason,
            "ts_event": e.ts_event}))
        bus.subscribe(ev.StrategyErrored, lambda e: self.emit("strategy", {
            "strategy_id": e.strategy_id, "status": "errored", "error": e.error,
            "callback": e.callback, "ts_event": e.ts_event}))

    def _on_order_event(self, event: ev.OrderEvent) -> None:
        order = self.node.engine.orders.get(event.client_order_id)
        if order is None:
            return
        self.orders.on_event(order, event)
        self.emit("order", {
            "client_order_id": order.client_order_id, "event": type(event).__name__,
            "status": order.status.value, "strategy_id": order.strategy_id,
            "account_id": order.account_id, "instrument_id": str(order.instrument_id),
            "side": order.side.value, "quantity": str(order.quantity),
            "filled_qty": str(order.filled_qty),
            "avg_px": None if order.avg_px is None else str(order.avg_px),
            "reason": getattr(event, "reason", None), "ts_event": event.ts_event})

    # --- the engine thread --------------------------------------------------------------------
    def _run(self) -> None:
        engine = self.node.engine
        for strategy in engine.strategies.all():
            if self._autostart is None or strategy.id in self._autostart:
                engine.strategies.start(strategy.id)
        bars: Iterator[Bar] = iter(self._feed)
        next_at = time.monotonic()
        try:
            while not self._stopping.is_set():
                wait = next_at - time.monotonic() if not self.feed_ended else 0.1
                if self._drain(max(0.0, wait)):
                    continue  # commands first; then see whether a bar is due
                if self.feed_ended:
                    continue
                bar = next(bars, None)
                if bar is None:
                    self.feed_ended = True
                    log.info("the market feed ended after %d bars; the API keeps serving",
                             self.bars)
                    continue
                self._on_bar(engine, bar)
                if self._between_bars is not None:
                    self._between_bars()  # e.g. the risk CLI's queued requests
                next_at = max(next_at, time.monotonic()) + self._pace
        except Exception:
            log.exception("the engine thread failed")
            raise
        finally:
            if self._on_stop is not None:  # first, so running instances are saved as running
                self._on_stop(self.node)
            engine.stop()
            self._fail_pending()

    def _drain(self, wait_s: float) -> bool:
        """Run queued commands; block up to ``wait_s`` for the first. True if any ran."""
        try:
            fn, fut = (self._commands.get(timeout=wait_s) if wait_s > 0
                       else self._commands.get_nowait())
        except queue.Empty:
            return False
        _resolve(fn, self.node.engine, fut)
        for _ in range(256):  # a burst of commands, bounded so bars are not starved
            try:
                fn, fut = self._commands.get_nowait()
            except queue.Empty:
                break
            _resolve(fn, self.node.engine, fut)
        return True

    def _fail_pending(self) -> None:
        while True:
            try:
                _, fut = self._commands.get_nowait()
            except queue.Empty:
                return
            fut.set_exception(ServiceStopped("the trading engine stopped"))

    def _on_bar(self, engine: TradingEngine, bar: Bar) -> None:
        engine.on_bar(bar)
        self.bars += 1
        symbol = str(bar.instrument_id)
        payload = {"instrument_id": symbol, "ts_event": bar.ts_event, "ts_init": bar.ts_init,
                   "open": bar.open, "high": bar.high, "low": bar.low, "close": bar.close,
                   "volume": bar.volume}
        try:
            self.cache.push_bar(symbol, payload)
        except Exception:  # a cache outage must not stop trading
            log.warning("market data cache unavailable; bar %s not cached", symbol)
        self.emit("price", payload)
        pf = engine.portfolio
        for account in pf.accounts():
            cur = account.base_currency
            self.emit("pnl", {
                "account_id": account.id, "currency": cur, "equity": str(pf.equity(account.id)),
                "cash": str(account.cash(cur)),
                "unrealized_pnl": str(pf.unrealized_pnl(account.id, cur)),
                "ts_event": bar.ts_init})


def _resolve(fn: Callable[[TradingEngine], T], engine: TradingEngine, fut: Future[T]) -> None:
    if not fut.set_running_or_notify_cancel():
        return
    try:
        fut.set_result(fn(engine))
    except BaseException as exc:  # handed to the waiting caller, who re-raises it
        fut.set_exception(exc)


def _fill_payload(e: ev.OrderFilled) -> dict[str, Any]:
    return {"client_order_id": e.client_order_id, "trade_id": e.trade_id,
            "account_id": e.account_id, "strategy_id": e.strategy_id,
            "instrument_id": str(e.instrument_id), "side": e.side.value,
            "quantity": str(e.last_qty), "price": str(e.last_px),
            "commission": str(e.commission), "commission_currency": e.commission_currency,
            "liquidity": e.liquidity_side.value, "ts_event": e.ts_event}

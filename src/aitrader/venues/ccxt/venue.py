"""The CCXT venue: a crypto exchange behind the Venue port.

Threading: ccxt's async client runs on a private loop thread (:class:`LoopThread`). The engine's
thread calls the port's methods; order commands return at once and their results (and market
data) wait in a thread-safe inbox until the engine's thread calls :meth:`CcxtVenue.poll`, so the
engine stays single-threaded and processes venue events in arrival order.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import queue
import threading
from collections.abc import Callable, Coroutine, Sequence, Sized
from decimal import Decimal
from typing import Any, TypeVar

from aitrader.core import events as ev
from aitrader.core.errors import VenueError, VenueUnavailable
from aitrader.core.ids import AccountId, InstrumentId
from aitrader.core.instrument import Instrument
from aitrader.core.market_data import Bar, OrderBookDeltas, OrderBookSnapshot, TradeTick
from aitrader.core.money import ZERO
from aitrader.core.order import Order
from aitrader.core.ports import (
    Balance,
    Clock,
    FillReport,
    LiveTradingGate,
    MarketDataHandler,
    OrderReport,
    Subscription,
    VenueCapabilities,
    VenueEventHandler,
    VenueHealth,
    VenuePosition,
)
from aitrader.venues.ccxt import translate
from aitrader.venues.ccxt.capabilities import capabilities_of
from aitrader.venues.ccxt.client_factory import build_exchange
from aitrader.venues.ccxt.config import CcxtVenueConfig
from aitrader.venues.ccxt.error_mapping import translate as translate_error
from aitrader.venues.ccxt.loop_thread import LoopThread
from aitrader.venues.ccxt.market_streams import MarketStreams
from aitrader.venues.ccxt.order_flow import OrderFlow, OrderSpec
from aitrader.venues.ccxt.order_tracker import TrackedOrder

log = logging.getLogger("aitrader.trading")
T = TypeVar("T")
_TERMINAL = (ev.OrderCanceled, ev.OrderExpired, ev.OrderRejected)
Delivery = Callable[[], None]


class CcxtVenue:
    """One exchange account (or a public, key-less market data connection) through ccxt."""

    def __init__(self, config: CcxtVenueConfig, clock: Clock, gate: LiveTradingGate,
                 exchange: Any | None = None) -> None:
        self.name = config.name
        self.config = config
        self._clock = clock
        self._gate = gate
        self.exchange = exchange if exchange is not None else build_exchange(config)
        self.capabilities: VenueCapabilities = capabilities_of(self.exchange)
        self._loop = LoopThread(config.name)
        self._inbox: queue.SimpleQueue[Delivery] = queue.SimpleQueue()
        self._handler: VenueEventHandler | None = None
        self._instruments: dict[InstrumentId, Instrument] = {}
        self._health = VenueHealth(False, "not connected")
        self._health_lock = threading.Lock()
        self._settled: set[str] = set()  # engine thread: orders whose end a caller applied
        self._was_connected = False
        self._closed = False
        self._flow = OrderFlow(self.exchange, config, clock, self._emit, self._set_health)
        self._streams = MarketStreams(self.exchange, config, clock, self._deliver_data,
                                      self._set_health)

    # --- connection -----------------------------------------------------------------------------
    def bind(self, handler: VenueEventHandler) -> None:
        """Set the engine's event callback (called only from :meth:`poll`)."""
        self._handler = handler

    def connect(self) -> None:
        """Start the I/O thread, load markets (precision, limits) and start order polling.

        After a :meth:`disconnect` a fresh ccxt client is built (a closed one is bound to the
        old loop); what the venue knows of its orders carries over.
        """
        if self._closed:
            self.exchange = build_exchange(self.config)
            self._flow.rebind(self.exchange)
            self._streams.rebind(self.exchange)
            self._closed = False
        self._loop.start()
        try:
            markets = self._call(self._load_markets(), "loading markets")
        except VenueError as exc:
            self._set_health(False, str(exc))
            raise
        mode = int(self.exchange.precisionMode)
        loaded: dict[InstrumentId, Instrument] = {}
        for market in markets.values():
            if market.get("active") is False:
                continue
            try:
                inst = translate.instrument(market, self.name, mode)
            except Exception as exc:  # one odd market must not stop the rest
                log.warning("%s: skipping market %s: %s", self.name, market.get("symbol"), exc)
                continue
            loaded[inst.id] = inst
        self._instruments = loaded
        self._set_health(True, f"{len(loaded)} markets loaded")
        if self.config.has_keys:
            self._flow.rearm()
            self._loop.spawn(self._flow.run_poller())

    async def _load_markets(self) -> dict[str, Any]:
        markets: dict[str, Any] = await self.exchange.load_markets()
        return markets

    def disconnect(self) -> None:
        """Stop streams and polling, close the client, stop the thread; safe to call twice."""
        if self._loop.running:
            try:
                self._loop.call(self._close(), self.config.timeout_s)
            except Exception as exc:  # closing must not raise on a dead link
                log.warning("%s: error while closing: %s", self.name, exc)
        self._loop.stop()
        self._closed = True
        self._set_health(False, "disconnected")

    async def _close(self) -> None:
        await self._streams.stop()
        await self._flow.stop()
        await self.exchange.close()

    def health(self) -> VenueHealth:
        """Connection state, with how many times it recovered."""
        return self._health

    def _set_health(self, connected: bool, detail: str) -> None:
        """Any thread: record the link's state; a recovery after a loss counts a reconnect."""
        with self._health_lock:
            old = self._health
            recovered = connected and not old.connected and self._was_connected
            self._was_connected = self._was_connected or connected
            since = self._clock.now_ns() if connected != old.connected else old.since_ns
            self._health = VenueHealth(connected, detail, since,
                                       old.reconnects + (1 if recovered else 0))

    # --- delivery -------------------------------------------------------------------------------
    def poll(self) -> int:
        """Hand every waiting order event and market data item to its handler (engine thread)."""
        n = 0
        while True:
            try:
                deliver = self._inbox.get_nowait()
            except queue.Empty:
                return n
            deliver()
            n += 1

    def wait_for_events(self, count: int = 1, timeout_s: float = 5.0) -> int:
        """Poll until ``count`` deliveries happened or the timeout passed (tests, start-up)."""
        done = 0
        try:
            first = self._inbox.get(timeout=timeout_s)
        except queue.Empty:
            return 0
        first()
        done = 1 + self.poll()
        while done < count:
            try:
                self._inbox.get(timeout=timeout_s)()
            except queue.Empty:
                break
            done += 1 + self.poll()
        return done

    def _emit(self, event: ev.OrderEvent, level: Decimal | None = None) -> None:
        """Loop thread: queue an order event; a fill carries its cumulative level."""

        def deliver() -> None:
            if level is not None and not self._flow.claim_level(event.client_order_id, level):
                return  # this step was already applied (e.g. by reconciliation)
            if type(event) in _TERMINAL and event.client_order_id in self._settled:
                return  # reconciliation already closed it from the same report
            if self._handler is None:
                raise VenueError(f"venue {self.name} is not bound to an engine")
            self._handler(event)

        self._inbox.put(deliver)

    def _deliver_data(self, handler: MarketDataHandler, item: object) -> None:
        self._inbox.put(lambda: handler(item))  # type: ignore[arg-type]  # items are MarketData

    # --- reads ----------------------------------------------------------------------------------
    def instruments(self) -> Sequence[Instrument]:
        """Markets loaded at :meth:`connect`, as Instruments with precision and limits."""
        return list(self._instruments.values())

    def balances(self, account_id: AccountId) -> Sequence[Balance]:
        """The exchange account's balances."""
        raw = self._call(self.exchange.fetch_balance(), "fetching balances")
        return translate.balances(raw)

    def positions(self, account_id: AccountId) -> Sequence[VenuePosition]:
        """Open derivatives positions (none when the exchange has no positions endpoint)."""
        if not self.capabilities.positions:
            return []
        raw = self._call(self.exchange.fetch_positions(), "fetching positions")
        return translate.positions(raw, self.name)

    def open_orders(self, account_id: AccountId) -> Sequence[OrderReport]:
        """Every order working at the exchange, ours (client id mapped back) or not."""
        return self._call(self._flow.open_order_reports(), "fetching open orders")

    def order_report(self, order: Order) -> OrderReport | None:
        """The exchange's view of one of our orders; an open one is tracked from then on."""
        report = self._call(self._flow.report_for(_spec(order), order.venue_order_id,
                                                  order.filled_qty, order.avg_px,
                                                  _commission(order)), "looking up an order")
        if report is not None and report.status.is_closed:
            self._settled.add(order.client_order_id)  # its end is applied by the caller
        return report

    def fill_reports(self, order: Order) -> Sequence[FillReport]:
        """The fill the exchange has and the engine does not (one cumulative step), if any.

        Computed from the engine's own state of the order, so it does not matter what the
        poller saw meanwhile; the step's level is claimed, so the poller's copy is dropped.
        """
        report = self.order_report(order)
        if report is None:
            return []
        gap = TrackedOrder(order.client_order_id, "", order.instrument_id, order.side,
                           order.quantity, order.account_id, order.strategy_id,
                           order.venue_order_id)
        gap.seed(order.filled_qty, order.avg_px, _commission(order))
        fill = gap.step(report, report.commission, report.commission_currency,
                        self._clock.now_ns())
        if fill is None or not self._flow.claim_level(order.client_order_id, report.filled_qty):
            return []
        return [fill]

    # --- commands -------------------------------------------------------------------------------
    def submit_order(self, order: Order) -> None:
        """Refuse at once when the live gate is shut; otherwise send on the loop thread."""
        refusal = self._refusal()
        if refusal is not None:
            self._reject_now(order, refusal)
            return
        self._loop.spawn(self._flow.submit(_spec(order)))

    def cancel_order(self, order: Order) -> None:
        """Ask the exchange to cancel; the outcome arrives through :meth:`poll`."""
        self._loop.spawn(self._flow.cancel(order.client_order_id))

    def modify_order(self, order: Order, quantity: Decimal, price: Decimal | None,
                     trigger: Decimal | None) -> None:
        """Amend in place where the exchange supports it (the engine checks capabilities)."""
        self._loop.spawn(self._flow.modify(order.client_order_id, quantity, price, trigger))

    def _refusal(self) -> str | None:
        if self.config.sandbox or self._gate.allowed:
            return None
        return f"live trading is disabled for venue {self.name}: {self._gate.reason}"

    def _reject_now(self, order: Order, reason: str) -> None:
        if self._handler is None:
            raise VenueError(f"venue {self.name} is not bound to an engine")
        self._handler(ev.OrderRejected(order.client_order_id, self._clock.now_ns(), reason))

    # --- market data ----------------------------------------------------------------------------
    def subscribe(self, subscription: Subscription, handler: MarketDataHandler) -> None:
        """Start a trades/bars/book stream; items arrive through :meth:`poll`."""
        if subscription.kind not in self.capabilities.streams:
            raise VenueError(f"venue {self.name} cannot stream {subscription.kind}")
        self._loop.start()
        self._loop.spawn(self._streams.start(subscription, handler))

    def unsubscribe(self, subscription: Subscription) -> None:
        """Stop a stream."""
        self._loop.spawn(self._streams.cancel(subscription))

    def pending_for(self, instrument_id: InstrumentId) -> Sized:
        """The exchange matches its own orders: nothing for the engine to hand us."""
        return ()

    def on_bar(self, bar: Bar) -> None:
        """The exchange matches its own orders: nothing to do."""

    def on_trade(self, tick: TradeTick) -> None:
        """The exchange matches its own orders: nothing to do."""

    def on_book(self, book: OrderBookSnapshot | OrderBookDeltas) -> None:
        """The exchange matches its own orders: nothing to do."""

    # --- internals ------------------------------------------------------------------------------
    def _call(self, coro: Coroutine[Any, Any, T], action: str) -> T:
        if not self._loop.running:
            coro.close()
            raise VenueUnavailable(f"venue {self.name} is not connected (while {action})")
        try:
            return self._loop.call(_translated(coro, self.config.exchange, action),
                                   self.config.timeout_s * 3)
        except concurrent.futures.TimeoutError as exc:
            raise VenueUnavailable(f"{self.config.exchange}: no answer while {action}") from exc


async def _translated(coro: Coroutine[Any, Any, T], exchange: str, action: str) -> T:
    try:
        return await coro
    except asyncio.CancelledError:
        raise
    except VenueError:
        raise
    except Exception as exc:
        raise translate_error(exc, exchange, action) from exc


def _spec(order: Order) -> OrderSpec:
    return OrderSpec(order.client_order_id, order.account_id, order.strategy_id,
                     order.instrument_id, order.side, order.order_type,
                     order.quantity, order.price, order.trigger_price, order.time_in_force,
                     order.post_only, order.reduce_only)


def _commission(order: Order) -> Decimal:
    return sum((e.commission for e in order.events if type(e) is ev.OrderFilled), ZERO)


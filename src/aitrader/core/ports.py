"""Ports: the Protocols adapters implement and the engine depends on."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence, Sized
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import msgspec

from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import LiquiditySide, OrderSide, OrderStatus, OrderType, TimeInForce
from aitrader.core.events import OrderEvent
from aitrader.core.ids import AccountId, InstrumentId

if TYPE_CHECKING:
    from aitrader.core.events import PositionChanged
    from aitrader.core.instrument import Instrument
    from aitrader.core.market_data import (
        Bar,
        MarketData,
        OrderBookDeltas,
        OrderBookSnapshot,
        TradeTick,
    )
    from aitrader.core.order import Order


class Clock(Protocol):
    """Time as UTC nanoseconds; simulated in backtests, the wall clock live."""

    def now_ns(self) -> int:
        """Current time, UTC ns."""
        ...


VenueEventHandler = Callable[[OrderEvent], object]


MarketDataHandler = Callable[["MarketData"], object]
STREAM_KINDS = frozenset({"trades", "bars", "book"})


class VenueCapabilities(msgspec.Struct, frozen=True):
    """What a venue supports; the engine denies orders that need anything else."""

    order_types: frozenset[OrderType]
    time_in_force: frozenset[TimeInForce]
    reduce_only: bool = True
    post_only: bool = True
    oco: bool = False
    modify: bool = True
    streams: frozenset[str] = STREAM_KINDS
    positions: bool = False


class VenueHealth(msgspec.Struct, frozen=True):
    """Is the venue connection usable, and since when (UTC ns)."""

    connected: bool
    detail: str = ""
    since_ns: int = 0
    reconnects: int = 0


class Balance(msgspec.Struct, frozen=True):
    """One currency of an account as the venue reports it."""

    currency: str
    total: Decimal
    free: Decimal
    used: Decimal


class VenuePosition(msgspec.Struct, frozen=True):
    """A derivatives position as the venue reports it (signed quantity: > 0 long)."""

    instrument_id: InstrumentId
    quantity: Decimal
    avg_price: Decimal | None = None


class OrderReport(msgspec.Struct, frozen=True):
    """An order as the venue knows it; ``client_order_id`` is None for orders not ours."""

    instrument_id: InstrumentId
    venue_order_id: str
    client_order_id: str | None
    side: OrderSide
    order_type: OrderType
    status: OrderStatus
    quantity: Decimal
    filled_qty: Decimal
    price: Decimal | None = None
    avg_px: Decimal | None = None
    ts_ns: int = 0
    commission: Decimal | None = None  # cumulative, when the venue reports it
    commission_currency: str = ""


class FillReport(msgspec.Struct, frozen=True):
    """One trade (fill) as the venue reports it; ``trade_id`` is unique per venue."""

    trade_id: str
    venue_order_id: str
    client_order_id: str | None
    instrument_id: InstrumentId
    side: OrderSide
    quantity: Decimal
    price: Decimal
    commission: Decimal
    commission_currency: str
    liquidity_side: LiquiditySide
    ts_ns: int


class Subscription(msgspec.Struct, frozen=True):
    """A market data stream: ``trades``, ``bars`` (with a timeframe) or ``book`` (L2, depth)."""

    kind: str
    instrument_id: InstrumentId
    timeframe: str = ""
    depth: int = 0


class Venue(Protocol):
    """An execution venue: the simulator, an exchange or a broker.

    Calls come from the engine's thread; a venue that talks to the network does so elsewhere and
    hands events back only when the engine's thread asks (see :meth:`poll`).
    """

    name: str
    capabilities: VenueCapabilities

    def bind(self, handler: VenueEventHandler) -> None:
        """Set the callback that receives every order event the venue produces."""
        ...

    def connect(self) -> None:
        """Open the connection (load instruments, authenticate); raise a VenueError if not."""
        ...

    def disconnect(self) -> None:
        """Close the connection; safe to call twice."""
        ...

    def health(self) -> VenueHealth:
        """The connection's state."""
        ...

    def poll(self) -> int:
        """Deliver events that arrived since the last call to the bound handlers; how many."""
        ...

    def instruments(self) -> Sequence[Instrument]:
        """Instruments the venue trades, with precision and limits."""
        ...

    def balances(self, account_id: AccountId) -> Sequence[Balance]:
        """The account's balances per currency."""
        ...

    def positions(self, account_id: AccountId) -> Sequence[VenuePosition]:
        """The account's open derivatives positions (spot venues: none)."""
        ...

    def open_orders(self, account_id: AccountId) -> Sequence[OrderReport]:
        """Orders working at the venue for the account, ours or not."""
        ...

    def order_report(self, order: Order) -> OrderReport | None:
        """The venue's view of one of our orders (found by client order id), None if unknown."""
        ...

    def fill_reports(self, order: Order) -> Sequence[FillReport]:
        """Every fill of one of our orders the venue knows."""
        ...

    def submit_order(self, order: Order) -> None:
        """Send an order; results arrive through the bound handler."""
        ...

    def cancel_order(self, order: Order) -> None:
        """Ask to cancel a working order."""
        ...

    def modify_order(
        self, order: Order, quantity: Decimal, price: Decimal | None, trigger: Decimal | None
    ) -> None:
        """Ask to change a working order's terms."""
        ...

    def subscribe(self, subscription: Subscription, handler: MarketDataHandler) -> None:
        """Stream market data to ``handler`` (delivered by :meth:`poll`)."""
        ...

    def unsubscribe(self, subscription: Subscription) -> None:
        """Stop a stream."""
        ...

    def pending_for(self, instrument_id: InstrumentId) -> Sized:
        """A live view (it changes as orders come and go) of what the venue still has to match
        on the instrument's market data. While it is empty the engine may skip
        :meth:`on_bar` for that instrument; venues that match nothing themselves (live ones)
        return an empty tuple."""
        ...

    def on_bar(self, bar: Bar) -> None:
        """Market data reached the engine; simulated venues match on it, live ones ignore it."""
        ...

    def on_trade(self, tick: TradeTick) -> None:
        """Trade tick seen by the engine."""
        ...

    def on_book(self, book: OrderBookSnapshot | OrderBookDeltas) -> None:
        """Book update seen by the engine."""
        ...


class MarketDataFeed(Protocol):
    """A stream of market data in time order (replay, simulation or a live connection)."""

    def __iter__(self) -> Iterator[MarketData]:
        """Yield events in non-decreasing ``ts_init`` order."""
        ...


class HistorySource(Protocol):
    """Historical bars for an instrument and timeframe."""

    def load_bars(
        self, instrument_id: InstrumentId, timeframe: str, start_ns: int | None, end_ns: int | None
    ) -> Sequence[Bar]:
        """Bars with ``start_ns <= ts_event < end_ns``."""
        ...


class PreTradeCheck(Protocol):
    """Risk: says no to an order before it reaches any venue."""

    def check(self, cmd: SubmitOrder) -> str | None:
        """Return the reason to deny, or None to let the order through."""
        ...


class RiskHooks(Protocol):
    """What the engine lends its risk monitor: a view of working orders and two actions."""

    def open_orders(self) -> Sequence[Order]:
        """Every working order, all accounts."""
        ...

    def publish(self, event: object) -> None:
        """Put a risk event (breaker trip/reset) on the engine's bus."""
        ...

    def flatten(self, scope: str, reason: str) -> None:
        """Cancel working orders and close positions in ``scope`` (see CircuitBreakerTripped)."""
        ...


@runtime_checkable
class RiskMonitor(PreTradeCheck, Protocol):
    """A pre-trade check that also watches the market and the fills (circuit breakers)."""

    wants_bars: bool

    def attach(self, hooks: RiskHooks) -> None:
        """Called once by the engine that owns the orders."""
        ...

    def prepare(self, cmd: SubmitOrder) -> SubmitOrder:
        """The order as it will be checked and sent (e.g. with protective levels attached)."""
        ...

    def on_bar(self, bar: Bar) -> None:
        """A bar was matched and marked; called before strategies see it."""
        ...

    def on_position_changed(self, event: PositionChanged) -> None:
        """The portfolio booked a fill."""
        ...

    def on_venue_down(self, venue: str, reason: str) -> None:
        """A venue's connection failed: halt new entries there until its cool-down passes."""
        ...


class PositionSizing(Protocol):
    """Sizing helpers a strategy reaches through its context (implemented in ``risk``)."""

    def fixed_fractional(self, account_id: AccountId, instrument_id: InstrumentId,
                         entry: Decimal, stop: Decimal, risk_fraction: Decimal | None = None
                         ) -> Decimal:
        """Quantity that loses ``risk_fraction`` of equity at the stop."""
        ...

    def volatility_target(self, account_id: AccountId, instrument_id: InstrumentId,
                          price: Decimal, risk_fraction: Decimal | None = None,
                          atr_multiple: Decimal = ..., atr: float | None = None) -> Decimal:
        """Quantity that loses ``risk_fraction`` of equity over ``atr_multiple`` ATRs."""
        ...

    def kelly(self, account_id: AccountId, instrument_id: InstrumentId, price: Decimal,
              win_rate: float, payoff_ratio: float, fraction: float = ..., cap: float = ...
              ) -> Decimal:
        """Capped fractional-Kelly quantity."""
        ...

    def available_margin(self, account_id: AccountId) -> Decimal:
        """Room left for new exposure, in quote currency."""
        ...


class OrderJournal(Protocol):
    """Durable record of orders: written before an order is sent, updated on every event."""

    def record_order(self, order: Order) -> None:
        """Store a new order (before it is sent)."""
        ...

    def record_event(self, order: Order, event: OrderEvent) -> None:
        """Store an event and the order's state after it."""
        ...


class Predictor(Protocol):
    """A model that maps a feature row to class probabilities."""

    feature_names: Sequence[str]
    classes: Sequence[int]

    def predict_proba(self, features: Sequence[float]) -> Sequence[float]:
        """Probabilities, one per class in ``classes`` order."""
        ...


class Notifier(Protocol):
    """An alert channel (email, webhook, chat)."""

    def notify(self, subject: str, body: str) -> None:
        """Send an alert; raise VenueUnavailable-like errors on failure."""
        ...


InstrumentLookup = Callable[[InstrumentId], "Instrument | None"]


class LiveTradingGate(msgspec.Struct, frozen=True):
    """Whether orders may reach a real-money account, and why not; checked at the venue boundary.

    Built by ``runtime/`` from the account's ``live`` flag, SIMULATION_MODE and
    DISABLE_REAL_TRADING; venues refuse every real-money order while ``allowed`` is False.
    """

    allowed: bool
    reason: str = ""

    @classmethod
    def deny(cls, reason: str) -> LiveTradingGate:
        """A closed gate, with the reason shown in every refusal."""
        return cls(False, reason)

    @classmethod
    def allow(cls, reason: str) -> LiveTradingGate:
        """An open gate (live trading explicitly enabled)."""
        return cls(True, reason)

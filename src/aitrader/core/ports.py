"""Ports: the Protocols adapters implement and the engine depends on."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import msgspec

from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import OrderType, TimeInForce
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


class VenueCapabilities(msgspec.Struct, frozen=True):
    """What a venue supports; the engine denies orders that need anything else."""

    order_types: frozenset[OrderType]
    time_in_force: frozenset[TimeInForce]
    reduce_only: bool = True
    post_only: bool = True
    oco: bool = False
    modify: bool = True


class Venue(Protocol):
    """An execution venue: the simulator, an exchange or a broker."""

    name: str
    capabilities: VenueCapabilities

    def bind(self, handler: VenueEventHandler) -> None:
        """Set the callback that receives every order event the venue produces."""
        ...

    def instruments(self) -> Sequence[Instrument]:
        """Instruments the venue trades, with precision and limits."""
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

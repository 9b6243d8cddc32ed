"""What a strategy may ask of the engine; the engine implements it, the strategy never sees it."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import OrderSide, OrderType, TimeInForce
from aitrader.core.ids import AccountId, ClientOrderId, InstrumentId, StrategyId
from aitrader.core.instrument import Instrument
from aitrader.core.order import Order
from aitrader.core.order_terms import Number
from aitrader.core.ports import PositionSizing
from aitrader.strategies.bar_indicators import BarIndicator, IndicatorSpec


class StrategyContext(Protocol):
    """The engine as seen by one strategy."""

    def now_ns(self) -> int:
        """Current engine time, UTC ns."""
        ...

    def next_order_id(self, strategy_id: StrategyId) -> ClientOrderId:
        """A fresh deterministic client order id for this strategy."""
        ...

    def submit_order(self, cmd: SubmitOrder) -> Order:
        """Send an order through risk to its venue; returns the order (possibly DENIED)."""
        ...

    def submit_terms(
        self, strategy_id: StrategyId, account_id: AccountId, instrument_id: InstrumentId,
        side: OrderSide, order_type: OrderType, quantity: Number, price: Number | None,
        trigger_price: Number | None, trailing_offset: Number | None,
        time_in_force: TimeInForce, reduce_only: bool, post_only: bool,
        stop_loss: Number | None, take_profit: Number | None, tag: str,
    ) -> Order:
        """:meth:`submit_order` of these terms under a fresh client order id, rounded to the
        instrument's tick/lot (``aitrader.core.order_terms.submit_command``)."""
        ...

    def cancel_order(self, client_order_id: ClientOrderId) -> None:
        """Cancel a working order."""
        ...

    def modify_order(
        self,
        client_order_id: ClientOrderId,
        quantity: Decimal | None = None,
        price: Decimal | None = None,
        trigger_price: Decimal | None = None,
    ) -> None:
        """Change a working order."""
        ...

    def instrument(self, instrument_id: InstrumentId) -> Instrument:
        """An instrument the engine knows (StrategyError if not)."""
        ...

    def position_quantity(self, strategy_id: StrategyId, instrument_id: InstrumentId) -> Decimal:
        """The strategy's own signed position."""
        ...

    def open_orders(self, strategy_id: StrategyId) -> Sequence[Order]:
        """The strategy's working orders."""
        ...

    def equity(self, account_id: AccountId) -> Decimal:
        """Account equity in its base currency."""
        ...

    def sizer(self) -> PositionSizing:
        """Position sizing helpers (fixed fractional, volatility-targeted, capped Kelly)."""
        ...

    def subscribe(self, strategy_id: StrategyId, instrument_id: InstrumentId) -> None:
        """Receive bars, trades and books of an instrument."""
        ...

    def indicator(self, strategy_id: StrategyId, instrument_id: InstrumentId,
                  spec: IndicatorSpec) -> BarIndicator:
        """The strategy's handle of ``spec`` on the instrument, kept current by the engine on
        each of its bars (the same handle when asked again)."""
        ...

"""The Strategy base class: lifecycle hooks, typed parameters and order helpers."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError

from aitrader.core.enums import BUY, GTC, MARKET, SELL, OrderSide, OrderType, TimeInForce
from aitrader.core.errors import StrategyError
from aitrader.core.events import OrderEvent, OrderFilled
from aitrader.core.ids import AccountId, ClientOrderId, InstrumentId, StrategyId
from aitrader.core.market_data import Bar, OrderBookDeltas, OrderBookSnapshot, QuoteTick, TradeTick
from aitrader.core.order import Order
from aitrader.core.order_book import OrderBook
from aitrader.strategies.bar_indicators import BarIndicator, IndicatorSpec
from aitrader.strategies.context import StrategyContext
from aitrader.strategies.wake import WakeCondition


class StrategyParams(BaseModel):
    """Base of every strategy's parameters: frozen, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Strategy:
    """Subclass, set ``name`` and ``Params``, and override the ``on_*`` hooks you need.

    The same instance runs unchanged in backtest, paper and live mode: it only talks to the
    :class:`StrategyContext` it is attached to.
    """

    name: ClassVar[str] = ""
    Params: ClassVar[type[StrategyParams]] = StrategyParams

    def __init__(
        self,
        strategy_id: str,
        account_id: str,
        instruments: list[InstrumentId],
        params: Mapping[str, Any] | StrategyParams | None = None,
    ) -> None:
        self.id = StrategyId(strategy_id)
        self.account_id = AccountId(account_id)
        if not instruments:
            raise StrategyError(f"strategy {strategy_id}: at least one instrument is required")
        self.instruments = list(instruments)
        self.params = self.parse_params(params)
        self._ctx: StrategyContext | None = None
        # when set, on_bar runs only on bars where it holds (see wake_on)
        self.wake: WakeCondition | None = None

    @classmethod
    def parse_params(cls, params: Mapping[str, Any] | StrategyParams | None) -> Any:
        """Validate parameters against ``Params``; StrategyError names each bad key."""
        if isinstance(params, cls.Params):
            return params
        try:
            return cls.Params.model_validate(dict(params or {}))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}"
                for e in exc.errors()
            )
            name = cls.name or cls.__name__
            raise StrategyError(f"strategy {name} parameters: {problems}") from None

    @classmethod
    def param_schema(cls) -> dict[str, Any]:
        """JSON Schema of the parameters (for the CLI listing and the dashboard forms)."""
        return cls.Params.model_json_schema()

    # --- wiring -------------------------------------------------------------------------------
    def attach(self, ctx: StrategyContext) -> None:
        """Called by the engine before ``on_start``."""
        self._ctx = ctx
        for iid in self.instruments:
            ctx.subscribe(self.id, iid)

    @property
    def ctx(self) -> StrategyContext:
        """The engine context (StrategyError before attach)."""
        if self._ctx is None:
            raise StrategyError(f"strategy {self.id} is not attached to an engine")
        return self._ctx

    # --- lifecycle hooks (override) -----------------------------------------------------------
    def on_start(self) -> None:
        """Called once before the first data."""

    def on_bar(self, bar: Bar) -> None:
        """A bar of a subscribed instrument closed."""

    def on_trade(self, tick: TradeTick) -> None:
        """A trade printed on a subscribed instrument."""

    def on_quote(self, quote: QuoteTick) -> None:
        """Best bid/ask changed."""

    def on_book(self, book: OrderBook, update: OrderBookSnapshot | OrderBookDeltas) -> None:
        """The L2 book of a subscribed instrument changed; ``book`` is the engine's current book."""

    def on_fill(self, fill: OrderFilled) -> None:
        """One of this strategy's orders filled (partly)."""

    def on_order_event(self, event: OrderEvent) -> None:
        """Any other event on one of this strategy's orders (accepted, rejected, denied...)."""

    def on_stop(self) -> None:
        """Called once when the strategy stops."""

    def get_state(self) -> dict[str, Any]:
        """JSON-serialisable state to persist across restarts (override with your own)."""
        return {}

    def set_state(self, state: Mapping[str, Any]) -> None:
        """Restore what :meth:`get_state` returned."""

    # --- helpers ------------------------------------------------------------------------------
    def indicator(self, spec: IndicatorSpec,
                  instrument_id: InstrumentId | None = None) -> BarIndicator:
        """A handle whose ``value`` the engine sets before each ``on_bar`` of the instrument (the
        first by default); register in ``on_start`` (not ``__init__``: no engine yet), where
        it sees every bar — one registered later starts from the next bar. Asking again for the
        same spec returns the same handle, so a restarted strategy keeps its values."""
        if self._ctx is None:
            raise StrategyError(f"strategy {self.id}: no engine yet to compute {spec.key}; "
                                "register indicators in on_start")
        return self._ctx.indicator(self.id, instrument_id or self.instruments[0], spec)

    def wake_on(self, condition: WakeCondition | None) -> None:
        """Call ``on_bar`` only on bars where ``condition`` holds (None: on every bar), in every
        mode; a backtest then skips the bars nobody acts on. Declare it in ``on_start`` from
        this strategy's indicator handles, e.g. ``self.wake_on(Crossed(self.fast, self.slow))``,
        and only when ``on_bar`` has nothing to decide on the other bars."""
        self.wake = condition

    def position(self, instrument_id: InstrumentId | None = None) -> Decimal:
        """This strategy's signed position in an instrument (the first one by default)."""
        ctx = self._ctx or self.ctx  # the property raises the StrategyError when detached
        return ctx.position_quantity(self.id, instrument_id or self.instruments[0])

    def submit(
        self,
        side: OrderSide,
        quantity: Decimal | float | str,
        *,
        instrument_id: InstrumentId | None = None,
        order_type: OrderType = MARKET,
        price: Decimal | float | str | None = None,
        trigger_price: Decimal | float | str | None = None,
        trailing_offset: Decimal | float | str | None = None,
        time_in_force: TimeInForce = GTC,
        reduce_only: bool = False,
        post_only: bool = False,
        stop_loss: Decimal | float | str | None = None,
        take_profit: Decimal | float | str | None = None,
        tag: str = "",
    ) -> Order:
        """Round to the instrument's tick/lot and submit an order; returns it (maybe DENIED)."""
        ctx = self._ctx or self.ctx  # the property raises the StrategyError when detached
        return ctx.submit_terms(
            self.id, self.account_id, instrument_id or self.instruments[0], side, order_type,
            quantity, price, trigger_price, trailing_offset, time_in_force, reduce_only,
            post_only, stop_loss, take_profit, tag)

    def buy(self, quantity: Decimal | float | str, *, reduce_only: bool = False,
            **kwargs: Any) -> Order:
        """Submit a buy (market unless ``order_type`` says otherwise)."""
        if kwargs:
            return self.submit(BUY, quantity, reduce_only=reduce_only, **kwargs)
        return self._market(BUY, quantity, reduce_only)

    def sell(self, quantity: Decimal | float | str, *, reduce_only: bool = False,
             **kwargs: Any) -> Order:
        """Submit a sell (market unless ``order_type`` says otherwise)."""
        if kwargs:
            return self.submit(SELL, quantity, reduce_only=reduce_only, **kwargs)
        return self._market(SELL, quantity, reduce_only)

    def _market(self, side: OrderSide, quantity: Decimal | float | str,
                reduce_only: bool) -> Order:
        """:meth:`submit` of a plain GTC market order on the first instrument (the common case
        of buy/sell, without binding a dozen keyword defaults)."""
        ctx = self._ctx or self.ctx
        return ctx.submit_terms(self.id, self.account_id, self.instruments[0], side, MARKET,
                                quantity, None, None, None, GTC, reduce_only, False, None,
                                None, "")

    def close_position(self, instrument_id: InstrumentId | None = None) -> Order | None:
        """Flatten this strategy's position with a reduce-only market order."""
        qty = self.position(instrument_id)
        if qty == 0:
            return None
        side = SELL if qty > 0 else BUY
        return self.submit(side, abs(qty), instrument_id=instrument_id, reduce_only=True)

    def cancel(self, client_order_id: ClientOrderId) -> None:
        """Cancel one of this strategy's working orders."""
        self.ctx.cancel_order(client_order_id)

    def cancel_all(self) -> None:
        """Cancel every working order of this strategy."""
        for order in list(self.ctx.open_orders(self.id)):
            self.ctx.cancel_order(order.client_order_id)

"""What the API asks of the running engine. Each function runs ON the engine thread (through
``TradingService.call``) and returns plain data, so no live object escapes that thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from aitrader.core import events as ev
from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import OrderSide, OrderType, TimeInForce
from aitrader.core.errors import AitraderError, InvalidOrder, StrategyError
from aitrader.core.ids import AccountId, ClientOrderId, InstrumentId, StrategyId
from aitrader.core.order import Order
from aitrader.engine.trading_engine import TradingEngine
from aitrader.strategies.base import Strategy
from aitrader.strategies.registry import StrategyRegistry

MANUAL = StrategyId("api")  # orders placed by hand through the API
Persist = Callable[[Strategy, str], None]


class NotFound(AitraderError):
    """The named account, order, strategy or instrument does not exist."""


class Conflict(AitraderError):
    """The request clashes with the current state (e.g. cancelling a filled order)."""


@dataclass(frozen=True)
class ManualOrder:
    """An order typed in by a person or sent by a script through the API."""

    account_id: str
    instrument_id: str
    side: OrderSide
    order_type: OrderType
    quantity: Decimal
    price: Decimal | None = None
    trigger_price: Decimal | None = None
    trailing_offset: Decimal | None = None
    time_in_force: TimeInForce = TimeInForce.GTC
    reduce_only: bool = False
    post_only: bool = False
    stop_loss: Decimal | None = None
    take_profit: Decimal | None = None
    tag: str = ""


# --- accounts -------------------------------------------------------------------------------
def list_accounts(engine: TradingEngine) -> list[dict[str, Any]]:
    """Every account with its equity."""
    return [account_summary(engine, a.id) for a in engine.portfolio.accounts()]


def account_summary(engine: TradingEngine, account_id: str) -> dict[str, Any]:
    """One account: type, currencies, cash, equity and P&L in its base currency."""
    pf = engine.portfolio
    account = _account(engine, account_id)
    cur = account.base_currency
    return {
        "id": account.id, "venue": account.venue, "base_currency": cur,
        "type": account.account_type.value, "leverage": account.leverage, "live": account.live,
        "cash": account.cash(cur), "equity": pf.equity(account.id),
        "unrealized_pnl": pf.unrealized_pnl(account.id, cur),
        "realized_pnl": account.realized.get(cur, Decimal(0)),
        "fees": account.fees.get(cur, Decimal(0)),
        "open_positions": len(pf.positions(account.id)),
    }


def account_balance(engine: TradingEngine, account_id: str) -> dict[str, Any]:
    """Balances per currency: starting, realized, fees and cash."""
    account = _account(engine, account_id)
    return {"account_id": account.id, "base_currency": account.base_currency,
            "equity": engine.portfolio.equity(account.id),
            "balances": [{"currency": c, "starting": account.starting.get(c, Decimal(0)),
                          "realized_pnl": account.realized.get(c, Decimal(0)),
                          "fees": account.fees.get(c, Decimal(0)), "cash": account.cash(c)}
                         for c in account.currencies()]}


def account_positions(engine: TradingEngine, account_id: str) -> list[dict[str, Any]]:
    """Open positions with their marks and unrealized P&L."""
    account = _account(engine, account_id)
    pf = engine.portfolio
    out = []
    for pos in pf.positions(account.id):
        mark = pf.mark_decimal(pos.instrument_id)
        out.append({"account_id": account.id, "instrument_id": str(pos.instrument_id),
                    "quantity": pos.quantity, "avg_price": pos.avg_price,
                    "mark_price": mark, "realized_pnl": pos.realized_pnl,
                    "unrealized_pnl": pos.unrealized_pnl(pos.avg_price if mark is None else mark),
                    "ts_opened": pos.ts_opened, "ts_last": pos.ts_last})
    return out


# --- orders ---------------------------------------------------------------------------------
def place_order(engine: TradingEngine, spec: ManualOrder,
                client_order_id: str | None = None) -> dict[str, Any]:
    """Check the terms against the instrument and submit; a repeated ``client_order_id``
    returns the order placed the first time (the order manager deduplicates)."""
    _account(engine, spec.account_id)
    iid = parse_instrument(spec.instrument_id)
    inst = engine.portfolio.instrument(iid)
    if inst is None:
        raise NotFound(f"unknown instrument {spec.instrument_id}")
    if not inst.is_on_lot(spec.quantity):
        raise InvalidOrder(f"quantity must be a multiple of the lot size {inst.lot_size} of "
                           f"{iid}, was {spec.quantity}")
    for name in ("price", "trigger_price", "stop_loss", "take_profit"):
        value = getattr(spec, name)
        if value is not None and value > 0 and not inst.is_on_tick(value):
            raise InvalidOrder(f"{name} must be a multiple of the tick size {inst.tick_size} of "
                               f"{iid}, was {value}")
    coid = (ClientOrderId(client_order_id) if client_order_id
            else engine.orders.next_order_id(MANUAL))
    cmd = SubmitOrder(
        client_order_id=coid, strategy_id=MANUAL, account_id=AccountId(spec.account_id),
        instrument_id=iid, side=spec.side, order_type=spec.order_type, quantity=spec.quantity,
        price=spec.price, trigger_price=spec.trigger_price, trailing_offset=spec.trailing_offset,
        time_in_force=spec.time_in_force, reduce_only=spec.reduce_only,
        post_only=spec.post_only, stop_loss=spec.stop_loss, take_profit=spec.take_profit,
        tag=spec.tag,
    )
    return order_snapshot(engine.orders.submit(cmd.validate()))


def cancel_order(engine: TradingEngine, client_order_id: str) -> dict[str, Any]:
    """Ask the venue to cancel a working order."""
    order = engine.orders.get(ClientOrderId(client_order_id))
    if order is None:
        raise NotFound(f"unknown order {client_order_id} (or not held by the running engine)")
    if order.is_closed:
        raise Conflict(f"order {client_order_id} is {order.status.value}; nothing to cancel")
    engine.orders.cancel(order.client_order_id, "cancelled through the API")
    return order_snapshot(order)


def get_order(engine: TradingEngine, client_order_id: str) -> dict[str, Any] | None:
    """The engine's live view of an order, or None."""
    order = engine.orders.get(ClientOrderId(client_order_id))
    return None if order is None else order_snapshot(order)


def order_snapshot(order: Order) -> dict[str, Any]:
    """An order's terms and state, with the reason of a denial or rejection."""
    reason = next((getattr(e, "reason", None) for e in reversed(order.events)
                   if isinstance(e, ev.OrderDenied | ev.OrderRejected | ev.OrderCanceled)), None)
    return {
        "client_order_id": order.client_order_id, "strategy_id": order.strategy_id,
        "account_id": order.account_id, "instrument_id": str(order.instrument_id),
        "side": order.side.value, "order_type": order.order_type.value,
        "quantity": order.quantity, "price": order.price, "trigger_price": order.trigger_price,
        "time_in_force": order.time_in_force.value, "status": order.status.value,
        "filled_qty": order.filled_qty, "avg_px": order.avg_px,
        "venue_order_id": order.venue_order_id, "reason": reason or None,
        "ts_init": order.ts_init, "ts_last": order.ts_last,
    }


# --- strategies -----------------------------------------------------------------------------
def list_strategies(engine: TradingEngine) -> list[dict[str, Any]]:
    """Every strategy instance with its status and parameters."""
    return [strategy_snapshot(engine, s) for s in engine.strategies.all()]


def strategy_snapshot(engine: TradingEngine, strategy: Strategy) -> dict[str, Any]:
    """One instance."""
    return {"id": strategy.id, "type": type(strategy).name, "account_id": strategy.account_id,
            "instruments": [str(i) for i in strategy.instruments],
            "params": strategy.params.model_dump(mode="json"),
            "status": "running" if engine.strategies.is_running(strategy.id) else "stopped"}


def create_strategy(engine: TradingEngine, registry: StrategyRegistry, strategy_id: str,
                    type_: str, account_id: str, instruments: list[str], params: dict[str, Any],
                    persist: Persist | None = None) -> dict[str, Any]:
    """Add a new instance (stopped); the strategy's own Params validate ``params``."""
    if engine.strategies.get(StrategyId(strategy_id)) is not None or strategy_id == MANUAL:
        raise Conflict(f"strategy id {strategy_id!r} is already in use")
    _account(engine, account_id)
    iids = [parse_instrument(text) for text in instruments]
    for iid in iids:
        if engine.portfolio.instrument(iid) is None:
            raise NotFound(f"unknown instrument {iid}")
    strategy = registry.get(type_)(strategy_id, account_id, iids, params)
    engine.add_strategy(strategy)
    if persist is not None:
        persist(strategy, "stopped")
    return strategy_snapshot(engine, strategy)


def update_strategy(engine: TradingEngine, strategy_id: str, params: dict[str, Any],
                    persist: Persist | None = None) -> dict[str, Any]:
    """Replace the parameters; a running instance is stopped and started again around it."""
    strategy = _strategy(engine, strategy_id)
    new_params = type(strategy).parse_params(params)
    running = engine.strategies.is_running(strategy.id)
    if running:
        engine.strategies.stop(strategy.id)
    strategy.params = new_params
    if running:
        engine.strategies.start(strategy.id)
    if persist is not None:
        persist(strategy, "running" if running else "stopped")
    return strategy_snapshot(engine, strategy)


def set_strategy_running(engine: TradingEngine, strategy_id: str, running: bool,
                         persist: Persist | None = None) -> dict[str, Any]:
    """Start or stop one instance (doing it twice is harmless)."""
    strategy = _strategy(engine, strategy_id)
    if running:
        engine.strategies.start(strategy.id)
    else:
        engine.strategies.stop(strategy.id)
    if persist is not None:
        persist(strategy, "running" if engine.strategies.is_running(strategy.id) else "stopped")
    return strategy_snapshot(engine, strategy)


# --- market ---------------------------------------------------------------------------------
def depth(engine: TradingEngine, symbol: str, levels: int) -> dict[str, Any]:
    """The engine's L2 book of an instrument (empty when the feed carries bars only)."""
    iid = resolve_symbol(engine, symbol)
    book = engine.book(iid)
    mark = engine.portfolio.mark(iid)
    if book is None:
        return {"instrument_id": str(iid), "available": False, "bids": [], "asks": [],
                "mark_price": mark, "ts_event": 0}
    bids = [{"price": lvl.price, "size": lvl.size} for lvl in book.bids(levels)]
    asks = [{"price": lvl.price, "size": lvl.size} for lvl in book.asks(levels)]
    return {"instrument_id": str(iid), "available": True, "bids": bids, "asks": asks,
            "mark_price": mark, "ts_event": book.ts_event}


def resolve_symbol(engine: TradingEngine, symbol: str) -> InstrumentId:
    """``BTC/USDT@SIM``, or a bare ``BTC/USDT`` / ``BTCUSDT`` when exactly one venue trades it."""
    known = instruments(engine)
    if "@" in symbol:
        iid = parse_instrument(symbol)
        if iid in known:
            return iid
        raise NotFound(f"unknown instrument {symbol}")
    plain = symbol.replace("/", "").replace("-", "").upper()
    hits = [i for i in known if i.symbol.replace("/", "").replace("-", "").upper() == plain]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        names = ", ".join(sorted(str(i) for i in known)) or "none"
        raise NotFound(f"unknown symbol {symbol!r} (known: {names})")
    raise InvalidOrder(f"symbol {symbol!r} trades on several venues; write SYMBOL@VENUE")


def instruments(engine: TradingEngine) -> list[InstrumentId]:
    """Every instrument a connected venue trades."""
    return [inst.id for venue in engine.venues.values() for inst in venue.instruments()]


def parse_instrument(text: str) -> InstrumentId:
    """``SYMBOL@VENUE``; InvalidOrder otherwise."""
    return InstrumentId.parse(text)


def _account(engine: TradingEngine, account_id: str) -> Any:
    for account in engine.portfolio.accounts():
        if account.id == account_id:
            return account
    raise NotFound(f"unknown account {account_id}")


def _strategy(engine: TradingEngine, strategy_id: str) -> Strategy:
    strategy = engine.strategies.get(StrategyId(strategy_id))
    if strategy is None:
        raise NotFound(f"unknown strategy {strategy_id}")
    return strategy


__all__ = ["MANUAL", "Conflict", "ManualOrder", "NotFound", "StrategyError"]

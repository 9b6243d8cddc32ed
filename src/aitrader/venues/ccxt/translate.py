"""ccxt's unified structures (markets, orders, trades, balances, OHLCV, books) ↔ aitrader values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ccxt.base.decimal_to_precision import DECIMAL_PLACES, SIGNIFICANT_DIGITS, TICK_SIZE

from aitrader.core.enums import AssetClass, LiquiditySide, OrderSide, OrderStatus, OrderType
from aitrader.core.errors import DataError
from aitrader.core.ids import InstrumentId
from aitrader.core.instrument import Instrument
from aitrader.core.market_data import Bar, BookLevel, OrderBookSnapshot, TradeTick
from aitrader.core.money import ZERO, to_decimal
from aitrader.core.ports import Balance, FillReport, OrderReport, VenuePosition

_MS = 1_000_000
_STATUS = {
    "open": OrderStatus.ACCEPTED, "closed": OrderStatus.FILLED, "canceled": OrderStatus.CANCELED,
    "cancelled": OrderStatus.CANCELED, "expired": OrderStatus.EXPIRED,
    "rejected": OrderStatus.REJECTED,
}
_SIGNIFICANT_FALLBACK_TICK = Decimal("1e-8")  # sends are rounded by ccxt's own precision rules


def dec(value: Any, default: Decimal | None = None) -> Decimal | None:
    """A ccxt number (float, int or numeric string) as an exact Decimal, or ``default``."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise DataError(f"expected a number, was {value!r}")
    return to_decimal(value if isinstance(value, float | int | Decimal) else str(value))


def step(value: Any, mode: int, what: str, symbol: str) -> Decimal:
    """A market's tick or lot as a Decimal step, whatever ccxt's precision mode."""
    if value is None:
        raise DataError(f"market {symbol} has no {what} precision")
    if mode == TICK_SIZE:
        out = dec(value)
    elif mode == DECIMAL_PLACES:
        out = Decimal(1).scaleb(-int(value))
    elif mode == SIGNIFICANT_DIGITS:
        out = _SIGNIFICANT_FALLBACK_TICK
    else:
        raise DataError(f"unknown ccxt precision mode {mode} for {symbol}")
    if out is None or out <= 0:
        raise DataError(f"market {symbol}: {what} precision must be > 0, was {value!r}")
    return out


def instrument(market: Mapping[str, Any], venue: str, precision_mode: int) -> Instrument:
    """A ccxt market as an Instrument with the exchange's tick, lot and limits."""
    symbol = str(market["symbol"])
    precision = market.get("precision") or {}
    limits = market.get("limits") or {}
    amount = limits.get("amount") or {}
    cost = limits.get("cost") or {}
    contract = bool(market.get("contract"))
    multiplier = dec(market.get("contractSize"), Decimal(1)) if contract else Decimal(1)
    return Instrument(
        InstrumentId(symbol, venue),
        AssetClass.FUTURE if contract else AssetClass.CRYPTO,
        str(market["base"]), str(market["quote"]),
        step(precision.get("price"), precision_mode, "price", symbol),
        step(precision.get("amount"), precision_mode, "amount", symbol),
        min_quantity=dec(amount.get("min"), ZERO) or ZERO,
        max_quantity=dec(amount.get("max")),
        min_notional=dec(cost.get("min"), ZERO) or ZERO,
        multiplier=multiplier or Decimal(1),
    )


def order_status(order: Mapping[str, Any]) -> OrderStatus:
    """ccxt's order status, with a partial fill made explicit."""
    status = _STATUS.get(str(order.get("status") or "open"), OrderStatus.ACCEPTED)
    filled = dec(order.get("filled"), ZERO) or ZERO
    if status is OrderStatus.ACCEPTED and filled > ZERO:
        return OrderStatus.PARTIALLY_FILLED
    return status


def order_type(order: Mapping[str, Any]) -> OrderType:
    """MARKET/LIMIT, and STOP/STOP_LIMIT when the order carries any trigger (stop-loss and
    take-profit orders are triggered orders too)."""
    trigger = (order.get("triggerPrice") or order.get("stopPrice")
               or order.get("stopLossPrice") or order.get("takeProfitPrice"))
    kind = str(order.get("type") or "limit").lower()
    limit = kind == "limit" or "limit" in kind
    if trigger:
        return OrderType.STOP_LIMIT if limit else OrderType.STOP
    return OrderType.LIMIT if limit else OrderType.MARKET


def order_report(order: Mapping[str, Any], venue: str,
                 client_order_id: str | None = None) -> OrderReport:
    """A ccxt order as an OrderReport; ``client_order_id`` is ours when we know the mapping."""
    amount = dec(order.get("amount"), ZERO) or ZERO
    fee = order.get("fee") or {}
    if client_order_id is None:
        client_order_id = _str_or_none(order.get("clientOrderId"))
    return OrderReport(
        InstrumentId(str(order["symbol"]), venue), str(order["id"]), client_order_id,
        OrderSide(str(order.get("side") or "buy").upper()), order_type(order), order_status(order),
        amount, dec(order.get("filled"), ZERO) or ZERO, dec(order.get("price")),
        dec(order.get("average")), _ns(order.get("lastUpdateTimestamp") or order.get("timestamp")),
        dec(fee.get("cost")), str(fee.get("currency") or ""),
    )


def fill_report(trade: Mapping[str, Any], venue: str, client_order_id: str | None) -> FillReport:
    """A ccxt trade (one of ours) as a FillReport."""
    fee = trade.get("fee") or {}
    maker = trade.get("takerOrMaker") == "maker"
    return FillReport(
        str(trade["id"]), str(trade.get("order") or ""), client_order_id,
        InstrumentId(str(trade["symbol"]), venue), OrderSide(str(trade["side"]).upper()),
        dec(trade["amount"]) or ZERO, dec(trade["price"]) or ZERO,
        dec(fee.get("cost"), ZERO) or ZERO, str(fee.get("currency") or ""),
        LiquiditySide.MAKER if maker else LiquiditySide.TAKER, _ns(trade.get("timestamp")),
    )


def balances(balance: Mapping[str, Any]) -> list[Balance]:
    """ccxt's balance structure as one Balance per currency with a non-zero total."""
    totals = balance.get("total") or {}
    free = balance.get("free") or {}
    used = balance.get("used") or {}
    out = []
    for cur in sorted(totals):
        total = dec(totals.get(cur), ZERO) or ZERO
        f = dec(free.get(cur))
        u = dec(used.get(cur))
        if f is None:
            f = total - (u or ZERO)
        if u is None:
            u = total - f
        if total != ZERO or f != ZERO:
            out.append(Balance(cur, total, f, u))
    return out


def positions(raw: Sequence[Mapping[str, Any]], venue: str) -> list[VenuePosition]:
    """ccxt positions as signed VenuePositions (short < 0)."""
    out = []
    for pos in raw:
        qty = dec(pos.get("contracts"), ZERO) or ZERO
        if qty == ZERO:
            continue
        sign = -1 if pos.get("side") == "short" else 1
        out.append(VenuePosition(InstrumentId(str(pos["symbol"]), venue), qty * sign,
                                 dec(pos.get("entryPrice"))))
    return out


def trade_tick(trade: Mapping[str, Any], iid: InstrumentId) -> TradeTick:
    """A public ccxt trade as a TradeTick stamped with the exchange's time."""
    side = OrderSide.SELL if trade.get("side") == "sell" else OrderSide.BUY
    ts = _ns(trade.get("timestamp"))
    return TradeTick(iid, ts, ts, float(trade["price"]), float(trade["amount"]), side,
                     str(trade.get("id") or ""))


def bar(row: Sequence[Any], iid: InstrumentId, timeframe_ns: int) -> Bar:
    """One ccxt OHLCV row ``[ms, o, h, l, c, v]`` as a Bar closing one timeframe later."""
    start = int(row[0]) * _MS
    return Bar(iid, start, start + timeframe_ns, float(row[1]), float(row[2]), float(row[3]),
               float(row[4]), float(row[5] or 0.0))


def book(raw: Mapping[str, Any], iid: InstrumentId, ts_init: int) -> OrderBookSnapshot:
    """A ccxt order book as an L2 snapshot."""
    ts = _ns(raw.get("timestamp")) or ts_init
    return OrderBookSnapshot(
        iid, ts, max(ts, ts_init),
        tuple(BookLevel(float(p), float(q)) for p, q, *_ in raw.get("bids") or ()),
        tuple(BookLevel(float(p), float(q)) for p, q, *_ in raw.get("asks") or ()),
        int(raw.get("nonce") or 0),
    )


def _ns(ms: Any) -> int:
    return 0 if ms is None else int(ms) * _MS


def _str_or_none(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)
